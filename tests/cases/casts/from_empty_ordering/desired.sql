-- Everything new at once: the cast comes after its type and function,
-- before the default and the view that are written with it; a cast of a
-- table's row type after the table.
CREATE TYPE public.level AS ENUM ('low', 'high');
CREATE FUNCTION public.level_num(public.level) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE $1 WHEN 'low' THEN 1.0 ELSE 2.0 END $$;
CREATE CAST (public.level AS numeric) WITH FUNCTION public.level_num(public.level) AS IMPLICIT;
CREATE TABLE public.readings (
    id integer,
    lvl public.level,
    weight numeric DEFAULT ('high'::public.level)::numeric
);
CREATE VIEW public.weighted AS SELECT id, (lvl)::numeric * 2 AS w FROM public.readings;
CREATE CAST (public.readings AS text) WITH INOUT;
COMMENT ON CAST (public.readings AS text) IS 'a row as text';
