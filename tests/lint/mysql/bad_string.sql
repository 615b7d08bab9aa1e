-- lint fixture: bad input: a string never closed
-- expect-error: 3:46
ALTER TABLE orders ADD COLUMN a text DEFAULT 'x;
