-- The schema file: a new column every row gets a value for (a batched
-- backfill), and an index built concurrently.
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    updates integer NOT NULL DEFAULT 0,
    token uuid DEFAULT gen_random_uuid()
);

CREATE INDEX accounts_email_idx ON accounts (email);

CREATE FUNCTION count_updates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updates := OLD.updates + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER accounts_count_updates BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION count_updates();
