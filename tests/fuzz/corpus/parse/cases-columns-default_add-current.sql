CREATE TABLE jobs (id integer, priority integer, queued_at timestamp with time zone);
