CREATE TABLE jobs (id integer, state text DEFAULT 'queued');
