CREATE TABLE users (id integer PRIMARY KEY, email text, legacy_flag boolean);
