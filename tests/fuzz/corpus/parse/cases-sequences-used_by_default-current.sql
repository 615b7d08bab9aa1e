CREATE TABLE orders (id bigint, ref text);
