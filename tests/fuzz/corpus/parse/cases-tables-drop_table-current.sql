CREATE TABLE keep_me (id integer PRIMARY KEY);
CREATE TABLE old_log (id integer, msg text);
