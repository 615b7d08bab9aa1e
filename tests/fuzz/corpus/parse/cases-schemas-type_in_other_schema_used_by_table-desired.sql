CREATE SCHEMA types;
CREATE TYPE types.state AS ENUM ('on', 'off');
CREATE TABLE t (id integer, s types.state DEFAULT 'off'::types.state);
