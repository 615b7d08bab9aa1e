-- A plain table that the target partitions by range: rebuilt.
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text, PRIMARY KEY (id, at));
CREATE INDEX events_payload_idx ON events (payload);
COMMENT ON TABLE events IS 'what happened';
GRANT SELECT ON events TO app_reader;
