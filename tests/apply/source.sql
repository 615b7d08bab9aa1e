-- The database before: a hot table whose rows count their updates (the
-- trigger proves a backfill wrote each row exactly once).
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    updates integer NOT NULL DEFAULT 0
);

CREATE FUNCTION count_updates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updates := OLD.updates + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER accounts_count_updates BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION count_updates();
