CREATE TABLE notes (id integer NOT NULL, at date NOT NULL, body text) PARTITION BY RANGE (at);
CREATE TABLE notes_all PARTITION OF notes DEFAULT;
