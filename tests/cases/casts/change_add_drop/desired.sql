CREATE TYPE public.mood AS ENUM ('sad', 'ok');
CREATE FUNCTION public.mood_rank(public.mood) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE $1 WHEN 'sad' THEN 0 ELSE 1 END $$;
-- A default, a check and a view use this cast while it changes context.
CREATE CAST (mood AS int) WITH FUNCTION mood_rank AS ASSIGNMENT;
CREATE CAST (public.mood AS character varying) WITH INOUT;
COMMENT ON CAST (public.mood AS varchar) IS 'print a mood';
CREATE TABLE public.entries (
    id integer,
    m public.mood,
    score integer DEFAULT ('ok'::public.mood)::integer,
    CONSTRAINT entries_rank CHECK (((m)::integer >= 0))
);
CREATE VIEW public.ranked AS SELECT id, (m)::integer AS rank FROM public.entries;
