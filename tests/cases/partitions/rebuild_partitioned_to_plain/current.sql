-- A partitioned table that the target makes plain: rebuilt, its
-- partitions go with the old table.
CREATE TABLE metrics (id bigint NOT NULL, at date NOT NULL, v numeric) PARTITION BY RANGE (at);
CREATE TABLE metrics_2024 PARTITION OF metrics FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE metrics_2025 PARTITION OF metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX metrics_at_idx ON metrics (at);
