-- The usual unaccent setup: COPY takes english's mappings, then words
-- go through unaccent first; an expression index and a default use it.
CREATE EXTENSION unaccent;
CREATE TEXT SEARCH CONFIGURATION public.english_unaccent (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION public.english_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
COMMENT ON TEXT SEARCH CONFIGURATION public.english_unaccent IS 'english without accents';
CREATE TEXT SEARCH DICTIONARY public.simple_nostop (TEMPLATE = simple, StopWords = english, Accept = false);
COMMENT ON TEXT SEARCH DICTIONARY public.simple_nostop IS 'simple, no stop words';
CREATE TEXT SEARCH CONFIGURATION public.codes (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION public.codes ADD MAPPING FOR asciiword, word WITH simple_nostop;
ALTER TEXT SEARCH CONFIGURATION public.codes ADD MAPPING FOR int, uint WITH simple;
CREATE TABLE public.docs (
    id integer,
    body text,
    lexemes tsvector DEFAULT to_tsvector('public.codes'::regconfig, '')
);
CREATE INDEX docs_fts ON public.docs USING gin (to_tsvector('public.english_unaccent'::regconfig, body));
