CREATE FUNCTION public.ci_eq(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) = lower($2) $$;
CREATE OPERATOR public.=~ (
    FUNCTION = public.ci_eq,
    LEFTARG = text,
    RIGHTARG = text,
    COMMUTATOR = OPERATOR(public.=~),
    NEGATOR = OPERATOR(public.!=~),
    RESTRICT = eqsel,
    JOIN = eqjoinsel
);
COMMENT ON OPERATOR public.=~ (text, text) IS 'ci';
