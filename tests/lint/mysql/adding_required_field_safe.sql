-- lint fixture: safe forms of adding_required_field
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR', ALGORITHM=INSTANT;
ALTER TABLE orders ADD COLUMN region varchar(20) NULL, ALGORITHM=INSTANT;
ALTER TABLE orders ADD COLUMN total_cents bigint AS (total * 100) VIRTUAL, ALGORITHM=INSTANT;
