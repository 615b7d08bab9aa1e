-- The same aggregates as pg_dump writes them.
CREATE FUNCTION public.concat2(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT $1 || $2 $$;

CREATE AGGREGATE public.biggest(integer) (
    SFUNC = int4larger,
    STYPE = integer,
    SORTOP = OPERATOR(pg_catalog.>)
);

CREATE AGGREGATE public.concat_all(text) (
    SFUNC = public.concat2,
    STYPE = text
);

CREATE AGGREGATE public.row_count(*) (
    SFUNC = int8inc,
    STYPE = bigint,
    INITCOND = '0',
    PARALLEL = safe
);
