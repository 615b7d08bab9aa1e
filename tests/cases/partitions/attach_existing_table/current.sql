-- A plain table with the parent's columns becomes its partition:
-- ATTACH PARTITION, no copy.
CREATE TABLE sales (id bigint NOT NULL, sold_on date NOT NULL, amount numeric) PARTITION BY RANGE (sold_on);
CREATE TABLE sales_2024 PARTITION OF sales FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE sales_2023 (id bigint NOT NULL, sold_on date NOT NULL, amount numeric);
