-- text has no implicit cast to integer: the change needs USING, and the
-- explicit cast (through text's input function) is the obvious one.
CREATE TABLE meters (id integer PRIMARY KEY, reading text DEFAULT '0', flag integer);
