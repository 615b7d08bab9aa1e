-- The file says NOT VALID: the check is added NOT VALID and not
-- validated (pg_dump shows the difference).
CREATE TABLE items (id integer PRIMARY KEY, price numeric);
ALTER TABLE items ADD CONSTRAINT items_price_check CHECK (price > 0) NOT VALID;
