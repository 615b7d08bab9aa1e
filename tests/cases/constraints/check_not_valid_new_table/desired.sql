-- The table is new and its check NOT VALID (as pg_dump writes a check
-- added to a table that held rows): the migration must leave it NOT
-- VALID, not inline it in CREATE TABLE, where the server validates it.
CREATE TABLE items (id integer PRIMARY KEY, price numeric, qty integer);
ALTER TABLE items ADD CONSTRAINT items_price_check CHECK (price > 0) NOT VALID;
ALTER TABLE items ADD CONSTRAINT items_qty_check CHECK (qty >= 0);
COMMENT ON CONSTRAINT items_price_check ON items IS 'old rows predate it';
