CREATE TABLE orders (id integer PRIMARY KEY, ref text NOT NULL, note text);
CREATE UNIQUE INDEX orders_ref_key ON orders (ref);
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_ref_key;
CREATE TABLE lines (id integer, code text NOT NULL, seq integer NOT NULL);
CREATE UNIQUE INDEX lines_code_seq_key ON lines (code, seq);
ALTER TABLE lines REPLICA IDENTITY USING INDEX lines_code_seq_key;
