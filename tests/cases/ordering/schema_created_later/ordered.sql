CREATE SCHEMA billing;

CREATE TABLE billing.invoices (
    id integer PRIMARY KEY,
    total numeric NOT NULL
);

GRANT USAGE ON SCHEMA billing TO app_reader;

CREATE FUNCTION billing.total_of(i integer) RETURNS numeric
    LANGUAGE sql STABLE
    RETURN (SELECT total FROM billing.invoices WHERE id = i);
