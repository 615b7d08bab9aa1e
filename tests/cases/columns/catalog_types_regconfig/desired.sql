CREATE TABLE docs (
    id integer PRIMARY KEY,
    body text,
    search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce(body, ''))) STORED,
    config regconfig DEFAULT 'simple'::regconfig,
    home regnamespace DEFAULT 'public'::regnamespace,
    self regclass DEFAULT 'public.docs'::regclass,
    q tsquery
);
