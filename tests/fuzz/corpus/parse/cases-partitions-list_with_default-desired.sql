CREATE TABLE sales (id integer, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE sales_eu PARTITION OF sales FOR VALUES IN ('de', 'fr');
CREATE TABLE sales_us PARTITION OF sales FOR VALUES IN ('us');
CREATE TABLE sales_other PARTITION OF sales DEFAULT;
