CREATE TABLE visits (id bigint NOT NULL, at date NOT NULL, page text) PARTITION BY RANGE (at);
CREATE TABLE visits_2023 (id bigint NOT NULL, at date NOT NULL, page text);
CREATE TABLE visits_2024 PARTITION OF visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
