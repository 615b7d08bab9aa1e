CREATE TABLE events (id bigint, payload text) WITH (fillfactor = 80, autovacuum_enabled = false);
