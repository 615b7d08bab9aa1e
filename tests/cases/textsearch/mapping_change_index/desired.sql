-- Options change in place, a new template means a new dictionary (its
-- mapping steps aside), mappings are altered, added and dropped: the
-- configuration keeps its oid and the index over it is rebuilt.
CREATE TEXT SEARCH DICTIONARY public.stops (TEMPLATE = simple, accept = false);
ALTER TEXT SEARCH DICTIONARY public.stops (stopwords = 'english');
CREATE TEXT SEARCH DICTIONARY public.stems (TEMPLATE = snowball, language = 'english');
CREATE TEXT SEARCH CONFIGURATION public.cfg (COPY = english);
ALTER TEXT SEARCH CONFIGURATION public.cfg ALTER MAPPING FOR asciiword WITH public.stops, english_stem;
ALTER TEXT SEARCH CONFIGURATION public.cfg ALTER MAPPING FOR word WITH public.stems;
ALTER TEXT SEARCH CONFIGURATION public.cfg ALTER MAPPING FOR hword, hword_part WITH public.stops, simple;
ALTER TEXT SEARCH CONFIGURATION public.cfg DROP MAPPING FOR email, url, url_path;
ALTER TEXT SEARCH CONFIGURATION public.cfg ADD MAPPING FOR tag WITH simple;
COMMENT ON TEXT SEARCH CONFIGURATION public.cfg IS 'v2';
CREATE TABLE public.notes (id integer, body text);
CREATE INDEX notes_fts ON public.notes USING gin (to_tsvector('public.cfg'::regconfig, body));
