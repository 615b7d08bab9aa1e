-- lint fixture: bad input: no action
-- expect-error: 3:20
ALTER TABLE orders 42;
