CREATE FUNCTION public.ci_eq(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) = lower($2) $$;
CREATE FUNCTION public.ci_ne(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) <> lower($2) $$;
CREATE FUNCTION public.ci_match(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) LIKE lower($2) $$;
CREATE OPERATOR public.=~ (FUNCTION = public.ci_eq, LEFTARG = text, RIGHTARG = text,
    COMMUTATOR = =~, RESTRICT = eqsel);
CREATE OPERATOR public.<>~ (FUNCTION = public.ci_ne, LEFTARG = text, RIGHTARG = text);
CREATE OPERATOR public.~~~ (FUNCTION = public.ci_match, LEFTARG = text, RIGHTARG = text);
COMMENT ON OPERATOR public.=~ (text, text) IS 'case-insensitive equality';
COMMENT ON OPERATOR public.~~~ (text, text) IS 'case-insensitive LIKE';
