-- lint fixture: bad input: a statement the linter does not know
-- expect-error: 3:1
ALTR TABLE orders ADD COLUMN a int;
