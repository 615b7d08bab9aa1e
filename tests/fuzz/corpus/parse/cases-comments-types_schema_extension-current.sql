CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('a');
CREATE DOMAIN app.code AS text;
CREATE TYPE app.pair AS (a integer, b integer);
