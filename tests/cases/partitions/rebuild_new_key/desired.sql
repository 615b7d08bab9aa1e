CREATE TABLE readings (id bigint NOT NULL, at date NOT NULL, sensor text NOT NULL, v numeric) PARTITION BY LIST (sensor);
CREATE TABLE readings_a PARTITION OF readings FOR VALUES IN ('a', 'b');
CREATE TABLE readings_b PARTITION OF readings DEFAULT;
