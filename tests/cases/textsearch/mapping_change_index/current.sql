CREATE TEXT SEARCH DICTIONARY public.stops (TEMPLATE = simple, stopwords = 'english');
CREATE TEXT SEARCH DICTIONARY public.stems (TEMPLATE = simple);
CREATE TEXT SEARCH CONFIGURATION public.cfg (COPY = english);
ALTER TEXT SEARCH CONFIGURATION public.cfg ALTER MAPPING FOR asciiword WITH public.stops, english_stem;
ALTER TEXT SEARCH CONFIGURATION public.cfg ALTER MAPPING FOR word WITH public.stems;
COMMENT ON TEXT SEARCH CONFIGURATION public.cfg IS 'v1';
CREATE TABLE public.notes (id integer, body text);
CREATE INDEX notes_fts ON public.notes USING gin (to_tsvector('public.cfg'::regconfig, body));
