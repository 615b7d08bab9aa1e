-- A function whose result type changes is dropped and created again:
-- the column default, CHECK, expression index and view that call it step
-- aside around that (PostgreSQL refuses to drop it under them).
CREATE FUNCTION norm(t text) RETURNS character varying LANGUAGE sql IMMUTABLE
AS $$ SELECT lower(t)::character varying $$;
CREATE FUNCTION seed() RETURNS bigint LANGUAGE sql
AS $$ SELECT 7::bigint $$;
CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL,
    score bigint DEFAULT seed(),
    CONSTRAINT users_email_norm CHECK (norm(email) <> '')
);
CREATE INDEX users_email_norm_idx ON users (norm(email));
CREATE VIEW user_emails AS SELECT id, norm(email) AS email FROM users;
