-- The classes of tests/parse_route/dump.sql as a person writes them:
-- unqualified names, IN lists, int/varchar/timestamptz, options in any
-- order, bounds without a time zone. Loaded into a database, `diff --parse`
-- against this file makes no statement (the view is only noted).
CREATE TABLE tags (
    id bigint PRIMARY KEY,
    labels text[] NOT NULL,
    kind varchar(20),
    note text
);
CREATE INDEX tags_labels_idx ON tags USING gin (labels) WHERE labels && ARRAY['a', 'b'];
CREATE INDEX tags_kind_idx ON tags ((kind IN ('x', 'y')));
CREATE INDEX tags_kind2_idx ON tags (kind) WHERE kind IN ('p', 'q');
CREATE TABLE events (
    id bigint NOT NULL,
    at timestamptz NOT NULL,
    tag_id bigint,
    parent_id bigint,
    state text
) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_old PARTITION OF events FOR VALUES FROM (MINVALUE) TO ('2024-01-01 00:00:00+00');
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    tag_id bigint CONSTRAINT orders_tag_fk REFERENCES tags MATCH FULL ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
    tag2 bigint,
    parent_id bigint,
    CONSTRAINT orders_tag2_fk FOREIGN KEY (tag2) REFERENCES tags ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE
);
ALTER TABLE orders ADD CONSTRAINT orders_parent_fk FOREIGN KEY (parent_id) REFERENCES orders (id) ON DELETE CASCADE NOT VALID;
CREATE FUNCTION touch() RETURNS trigger SECURITY DEFINER SET search_path = pg_catalog, public LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION add(a int, b int = 2, c text = 'x', d int8 = 5, e text[] = '{}') RETURNS int LANGUAGE sql RETURNS NULL ON NULL INPUT IMMUTABLE PARALLEL SAFE COST 5 AS $$ SELECT a + b $$;
CREATE TRIGGER tags_touch BEFORE UPDATE ON tags FOR EACH ROW WHEN (OLD.labels IS DISTINCT FROM NEW.labels) EXECUTE PROCEDURE touch();
CREATE TRIGGER tags_touch2 BEFORE UPDATE OF kind ON tags FOR EACH ROW WHEN (NEW.kind IN ('a', 'b')) EXECUTE FUNCTION touch();
CREATE TRIGGER tags_touch3 AFTER INSERT ON tags FOR EACH ROW WHEN (NEW.note LIKE 'x%') EXECUTE FUNCTION touch('arg\1', 'it''s');
CREATE VIEW v AS SELECT id, kind FROM tags WHERE kind IS NOT NULL;
