CREATE TABLE docs (id integer, body jsonb);
CREATE INDEX docs_body_idx ON docs USING gin (body jsonb_path_ops);
