CREATE TABLE hot_rows (id integer PRIMARY KEY, counter integer) WITH (fillfactor = 70);
