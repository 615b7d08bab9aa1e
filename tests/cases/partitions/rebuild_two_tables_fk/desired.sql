CREATE TABLE accounts (id bigint NOT NULL, region text NOT NULL, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE accounts_eu PARTITION OF accounts FOR VALUES IN ('eu');
CREATE TABLE accounts_other PARTITION OF accounts DEFAULT;
CREATE TABLE payments (id bigint NOT NULL, region text NOT NULL, account_id bigint NOT NULL,
    PRIMARY KEY (id, region),
    CONSTRAINT payments_account_fk FOREIGN KEY (account_id, region) REFERENCES accounts (id, region))
    PARTITION BY LIST (region);
CREATE TABLE payments_eu PARTITION OF payments FOR VALUES IN ('eu');
CREATE TABLE payments_other PARTITION OF payments DEFAULT;
