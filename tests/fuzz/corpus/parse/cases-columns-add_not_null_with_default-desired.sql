CREATE TABLE tickets (id integer PRIMARY KEY, status text NOT NULL DEFAULT 'new');
