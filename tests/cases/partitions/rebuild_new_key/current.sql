-- A new partition key: rebuilt; the partitions keep their names but
-- not their bounds.
CREATE TABLE readings (id bigint NOT NULL, at date NOT NULL, sensor text NOT NULL, v numeric) PARTITION BY RANGE (at);
CREATE TABLE readings_a PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_b PARTITION OF readings DEFAULT;
