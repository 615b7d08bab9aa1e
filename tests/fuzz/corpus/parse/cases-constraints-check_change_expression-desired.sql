CREATE TABLE products (id integer, qty integer, CONSTRAINT qty_range CHECK (qty >= 0 AND qty <= 1000));
