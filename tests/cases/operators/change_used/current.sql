-- A version type with its own = and < (commutator, negator: shells the
-- server makes), a prefix operator, and a CHECK, a view and a partial
-- index that use them: the operators come first, what uses them after.
CREATE TYPE public.semver AS (major integer, minor integer);
CREATE FUNCTION public.semver_eq(a public.semver, b public.semver) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT a.major = b.major AND a.minor = b.minor $$;
CREATE FUNCTION public.semver_lt(a public.semver, b public.semver) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT (a.major, a.minor) < (b.major, b.minor) $$;
CREATE FUNCTION public.semver_major(a public.semver) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT a.major $$;
CREATE OPERATOR public.= (
    FUNCTION = public.semver_eq, LEFTARG = public.semver, RIGHTARG = public.semver,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel
);
CREATE OPERATOR public.< (
    FUNCTION = public.semver_lt, LEFTARG = public.semver, RIGHTARG = public.semver,
    COMMUTATOR = >, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR public.@# (FUNCTION = public.semver_major, RIGHTARG = public.semver);
COMMENT ON OPERATOR public.= (public.semver, public.semver) IS 'same version';
COMMENT ON OPERATOR public.@# (NONE, public.semver) IS 'major part';
CREATE TABLE public.releases (
    id integer PRIMARY KEY,
    min_version public.semver NOT NULL,
    max_version public.semver NOT NULL,
    CONSTRAINT ordered CHECK (NOT (max_version < min_version))
);
CREATE INDEX releases_pinned ON public.releases (id) WHERE (min_version = max_version);
CREATE VIEW public.v1_releases AS
    SELECT id FROM public.releases WHERE @# min_version = 1
      AND min_version = max_version;
