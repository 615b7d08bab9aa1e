-- lint fixture: bad input: a column list never closed
-- expect-error: 3:44
ALTER TABLE orders ADD COLUMN (a int, b int;
