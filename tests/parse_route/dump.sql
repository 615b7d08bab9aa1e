-- What `diff --parse` must spell as the server does, in pg_dump's form:
-- index expressions with ARRAY[...]::text[], a timestamptz partition
-- bound, trigger WHEN clauses, foreign keys with actions, MATCH and
-- DEFERRABLE, functions with defaults, SET and attributes, a view.
CREATE TABLE public.tags (
    id bigint NOT NULL,
    labels text[] NOT NULL,
    kind character varying(20),
    note text,
    CONSTRAINT tags_pkey PRIMARY KEY (id)
);
CREATE INDEX tags_labels_idx ON public.tags USING gin (labels) WHERE (labels && ARRAY['a'::text, 'b'::text]);
CREATE INDEX tags_kind_idx ON public.tags USING btree (((kind)::text = ANY (ARRAY['x'::text, 'y'::text])));
CREATE INDEX tags_kind2_idx ON public.tags USING btree (kind) WHERE ((kind)::text = ANY ((ARRAY['p'::character varying, 'q'::character varying])::text[]));
CREATE TABLE public.events (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    tag_id bigint,
    parent_id bigint,
    state text
) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
CREATE TABLE public.events_old PARTITION OF public.events FOR VALUES FROM (MINVALUE) TO ('2024-01-01 00:00:00+00');
CREATE TABLE public.orders (
    id bigint PRIMARY KEY,
    tag_id bigint,
    tag2 bigint,
    parent_id bigint
);
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_tag_fk FOREIGN KEY (tag_id) REFERENCES public.tags(id) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_tag2_fk FOREIGN KEY (tag2) REFERENCES public.tags(id) ON DELETE RESTRICT DEFERRABLE;
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_parent_fk FOREIGN KEY (parent_id) REFERENCES public.orders(id) ON DELETE CASCADE NOT VALID;
CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION public.add(a integer, b integer DEFAULT 2, c text DEFAULT 'x', d bigint DEFAULT 5, e text[] DEFAULT '{}') RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 5
    AS $$ SELECT a + b $$;
CREATE TRIGGER tags_touch BEFORE UPDATE ON public.tags FOR EACH ROW WHEN ((old.labels IS DISTINCT FROM new.labels)) EXECUTE FUNCTION public.touch();
CREATE TRIGGER tags_touch2 BEFORE UPDATE OF kind ON public.tags FOR EACH ROW WHEN (((new.kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))) EXECUTE FUNCTION public.touch();
CREATE TRIGGER tags_touch3 AFTER INSERT ON public.tags FOR EACH ROW WHEN ((new.note ~~ 'x%'::text)) EXECUTE FUNCTION public.touch('arg\1', 'it''s');
CREATE VIEW public.v AS
 SELECT tags.id,
    tags.kind
   FROM public.tags
  WHERE (tags.kind IS NOT NULL);
