-- A plain table with its own key and index becomes a partition of a parent
-- with the same key and index: ATTACH PARTITION, the parent's make them anew.
CREATE TABLE sales (id bigint NOT NULL, sold_on date NOT NULL, amount numeric, PRIMARY KEY (id, sold_on)) PARTITION BY RANGE (sold_on);
CREATE INDEX sales_amount_idx ON sales (amount);
CREATE TABLE sales_2024 PARTITION OF sales FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE sales_2023 (id bigint NOT NULL, sold_on date NOT NULL, amount numeric, PRIMARY KEY (id, sold_on));
CREATE INDEX sales_2023_amount_idx ON sales_2023 (amount);
