CREATE TABLE events (id bigint, payload text) WITH (fillfactor = 90);
