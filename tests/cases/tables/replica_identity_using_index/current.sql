-- USING INDEX needs the index first (a unique, non-partial index on NOT
-- NULL columns); going back, the identity leaves the index before it is
-- dropped. The second table moves its identity from one index to another.
CREATE TABLE orders (id integer PRIMARY KEY, ref text NOT NULL, note text);
CREATE TABLE lines (id integer, code text NOT NULL, seq integer NOT NULL);
CREATE UNIQUE INDEX lines_code_key ON lines (code);
ALTER TABLE lines REPLICA IDENTITY USING INDEX lines_code_key;
