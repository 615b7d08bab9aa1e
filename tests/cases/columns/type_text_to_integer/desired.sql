CREATE TABLE meters (id integer PRIMARY KEY, reading integer DEFAULT 0, flag boolean);
