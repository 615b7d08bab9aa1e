-- lint fixture: safe form of adding_field_with_volatile_default
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN uid uuid;
ALTER TABLE orders ALTER COLUMN uid SET DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT now();
