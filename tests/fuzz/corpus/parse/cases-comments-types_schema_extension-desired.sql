CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('a');
CREATE DOMAIN app.code AS text;
CREATE TYPE app.pair AS (a integer, b integer);
COMMENT ON SCHEMA app IS 'application objects';
COMMENT ON TYPE app.mood IS 'moods';
COMMENT ON DOMAIN app.code IS 'codes';
COMMENT ON TYPE app.pair IS 'pairs';
COMMENT ON COLUMN app.pair.b IS 'second';
