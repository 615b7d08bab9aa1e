CREATE TABLE items (id integer PRIMARY KEY, price numeric);
ALTER TABLE items ADD CONSTRAINT items_price_check CHECK (price > 0) NOT VALID;
