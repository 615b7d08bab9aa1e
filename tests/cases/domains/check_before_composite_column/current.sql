CREATE DOMAIN code AS text;
CREATE TYPE pair AS (a code, b integer);
