-- Domain checks must exist before a column holds the domain inside a
-- composite type or an array: PostgreSQL refuses ALTER DOMAIN ... ADD
-- CONSTRAINT (and SET NOT NULL) once one does ("cannot alter type ...
-- because column ... uses it").
CREATE FUNCTION is_upper(v text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT v = upper(v) $$;
CREATE DOMAIN code AS text NOT NULL
    CONSTRAINT code_upper CHECK (is_upper(VALUE));
CREATE TYPE pair AS (a code, b integer);
CREATE DOMAIN amount AS numeric CONSTRAINT amount_positive CHECK (VALUE > 0);
CREATE TYPE span AS (lo amount, hi amount);
CREATE TABLE t (id integer, p pair, s span, codes code[]);
