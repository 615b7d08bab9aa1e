CREATE SCHEMA app;
CREATE TYPE app."Priority" AS ENUM ('Low', 'High ''urgent''', 'très haut');
CREATE TABLE app.tasks (id integer, p app."Priority");
