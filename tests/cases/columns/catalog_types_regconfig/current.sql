-- Catalog types (regconfig, regnamespace, regclass, tsvector) written
-- unqualified must stay pg_catalog's, never become public.regconfig.
CREATE TABLE docs (
    id integer PRIMARY KEY,
    body text
);
