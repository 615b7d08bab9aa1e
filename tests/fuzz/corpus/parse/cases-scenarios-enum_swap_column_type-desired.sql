CREATE TYPE state AS ENUM ('new', 'done');
CREATE TABLE t (id integer, state state DEFAULT 'new');
