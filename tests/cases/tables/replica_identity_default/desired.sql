CREATE TABLE events (id integer PRIMARY KEY, payload text);
CREATE TABLE audit (at timestamptz, what text);
ALTER TABLE audit REPLICA IDENTITY FULL;
