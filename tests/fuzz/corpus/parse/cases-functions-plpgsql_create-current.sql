CREATE TABLE counters (name text PRIMARY KEY, n integer NOT NULL DEFAULT 0);
