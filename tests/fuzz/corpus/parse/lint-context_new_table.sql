-- lint fixture: a table created in the same file is new: no index/constraint/column findings
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint, status text, total numeric);
CREATE INDEX invoices_customer_idx ON invoices (customer_id);
ALTER TABLE invoices ADD CONSTRAINT invoices_total_check CHECK (total >= 0);
ALTER TABLE invoices ALTER COLUMN status SET NOT NULL;
ALTER TABLE invoices ADD COLUMN note text NOT NULL;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_key UNIQUE (status);
