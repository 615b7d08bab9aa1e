CREATE TYPE public.mood AS ENUM ('sad', 'ok');
CREATE FUNCTION public.mood_rank(public.mood) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE $1 WHEN 'sad' THEN 0 ELSE 1 END $$;
CREATE CAST (public.mood AS integer) WITH FUNCTION public.mood_rank(public.mood);
CREATE CAST (public.mood AS text) WITH INOUT AS IMPLICIT;
COMMENT ON CAST (public.mood AS text) IS 'print a mood';
CREATE TABLE public.entries (
    id integer,
    m public.mood,
    score integer DEFAULT ('ok'::public.mood)::integer,
    CONSTRAINT entries_rank CHECK (((m)::integer >= 0))
);
CREATE VIEW public.ranked AS SELECT id, (m)::integer AS rank FROM public.entries;
