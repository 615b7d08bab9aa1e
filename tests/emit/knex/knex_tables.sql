-- Knex's bookkeeping tables as its first migrate:* creates them (3.x):
-- appended to the expected schema after a migrate:latest or rollback.
CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);
CREATE TABLE knex_migrations_lock ("index" serial PRIMARY KEY, is_locked integer);
