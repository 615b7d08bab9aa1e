-- The identity index is dropped and made again under the same name (its
-- columns change): the new index is not the identity until told again.
-- The second table's identity is a unique constraint's index.
CREATE TABLE lines (id integer, code text NOT NULL, seq integer NOT NULL);
CREATE UNIQUE INDEX lines_key ON lines (code);
ALTER TABLE lines REPLICA IDENTITY USING INDEX lines_key;
CREATE TABLE orders (id integer PRIMARY KEY, ref text NOT NULL,
    CONSTRAINT orders_ref_key UNIQUE (ref));
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_ref_key;
