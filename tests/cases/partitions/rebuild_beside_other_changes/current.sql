-- A rebuild in the same migration as changes to other tables' indexes,
-- triggers and grants: those are planned as usual.
CREATE TABLE users (id integer PRIMARY KEY, name text);
CREATE INDEX users_name_idx ON users (name);
GRANT SELECT ON users TO app_reader;
CREATE TABLE clicks (id bigint NOT NULL, at date NOT NULL, user_id integer);
CREATE INDEX clicks_user_idx ON clicks (user_id);
