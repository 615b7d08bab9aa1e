CREATE TABLE logs (id bigint NOT NULL, at date NOT NULL, msg text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX logs_msg_idx ON logs (msg);
