-- The same operator: PROCEDURE for FUNCTION, unqualified names, the
-- estimators set afterwards, a comment set twice.
create function ci_eq(text, text) returns boolean
    language sql immutable as $$ SELECT lower($1) = lower($2) $$;
CREATE OPERATOR =~ (PROCEDURE = ci_eq, LEFTARG = pg_catalog.text, RIGHTARG = text,
    NEGATOR = !=~, COMMUTATOR = =~);
ALTER OPERATOR public.=~ (text, text) SET (RESTRICT = pg_catalog.eqsel, JOIN = eqjoinsel);
COMMENT ON OPERATOR =~ (text, text) IS 'old';
COMMENT ON OPERATOR public.=~ (pg_catalog.text, text) IS 'ci';
