CREATE TABLE lines (id integer, code text NOT NULL, seq integer NOT NULL);
CREATE UNIQUE INDEX lines_key ON lines (code, seq);
ALTER TABLE lines REPLICA IDENTITY USING INDEX lines_key;
CREATE TABLE orders (id integer PRIMARY KEY, ref text NOT NULL,
    CONSTRAINT orders_ref_key UNIQUE (ref, id));
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_ref_key;
