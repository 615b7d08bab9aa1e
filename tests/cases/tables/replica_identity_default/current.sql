-- The reverse of replica_identity_full: back to DEFAULT (the primary key).
CREATE TABLE events (id integer PRIMARY KEY, payload text);
ALTER TABLE events REPLICA IDENTITY FULL;
CREATE TABLE audit (at timestamptz, what text);
ALTER TABLE audit REPLICA IDENTITY NOTHING;
