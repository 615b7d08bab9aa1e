-- A partition leaves a parent without a default partition: the plan
-- detaches it CONCURRENTLY (PostgreSQL 14+, outside a transaction).
CREATE TABLE visits (id bigint NOT NULL, at date NOT NULL, page text) PARTITION BY RANGE (at);
CREATE TABLE visits_2023 PARTITION OF visits FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE visits_2024 PARTITION OF visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
