CREATE TABLE sales (id integer, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE sales_eu PARTITION OF sales FOR VALUES IN ('de', 'fr');
