-- A validated check the desired schema has NOT VALID: the server cannot
-- mark a constraint not valid again, so it is dropped and added NOT VALID
-- (pg_dump shows the difference). The reverse validates it.
CREATE TABLE items (id integer PRIMARY KEY, price numeric);
ALTER TABLE items ADD CONSTRAINT items_price_check CHECK (price > 0);
