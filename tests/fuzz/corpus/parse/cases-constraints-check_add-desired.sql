CREATE TABLE products (id integer, price numeric CONSTRAINT price_positive CHECK (price > 0));
