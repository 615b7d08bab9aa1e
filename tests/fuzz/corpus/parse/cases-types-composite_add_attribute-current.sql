CREATE TYPE point3 AS (x double precision, y double precision);
