CREATE TABLE docs (id integer, body jsonb DEFAULT '{}'::jsonb NOT NULL, ref uuid DEFAULT gen_random_uuid());
