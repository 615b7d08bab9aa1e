-- Unused operators change: estimators in place, NEGATOR and HASHES by
-- dropping and making again (with its comment), a comment changes, one
-- operator goes and another comes.
CREATE FUNCTION public.ci_eq(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) = lower($2) $$;
CREATE FUNCTION public.ci_ne(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) <> lower($2) $$;
CREATE FUNCTION public.ci_prefix(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) LIKE lower($2) || '%' $$;
CREATE OPERATOR public.=~ (FUNCTION = public.ci_eq, LEFTARG = text, RIGHTARG = text,
    COMMUTATOR = =~, NEGATOR = <>~, HASHES, RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR public.<>~ (FUNCTION = public.ci_ne, LEFTARG = text, RIGHTARG = text,
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR public.^~ (FUNCTION = public.ci_prefix, LEFTARG = text, RIGHTARG = text);
COMMENT ON OPERATOR public.=~ (text, text) IS 'equal, ignoring case';
COMMENT ON OPERATOR public.^~ (text, text) IS 'starts with, ignoring case';
