CREATE TABLE sales (id bigint NOT NULL, sold_on date NOT NULL, amount numeric, PRIMARY KEY (id, sold_on)) PARTITION BY RANGE (sold_on);
CREATE INDEX sales_amount_idx ON sales (amount);
CREATE TABLE sales_2024 PARTITION OF sales FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE sales_2023 PARTITION OF sales FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
