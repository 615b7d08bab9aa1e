-- Two rebuilt tables, one referencing the other, and a table the target
-- drops that references one of them: every foreign key is out of the way
-- before a key it uses goes.
CREATE TABLE accounts (id bigint NOT NULL, region text NOT NULL, PRIMARY KEY (id, region));
CREATE TABLE payments (id bigint NOT NULL, region text NOT NULL, account_id bigint NOT NULL,
    PRIMARY KEY (id, region),
    CONSTRAINT payments_account_fk FOREIGN KEY (account_id, region) REFERENCES accounts (id, region));
CREATE TABLE legacy_notes (account_id bigint, region text,
    FOREIGN KEY (account_id, region) REFERENCES accounts (id, region));
