CREATE TABLE jobs (id integer, priority integer DEFAULT 5, queued_at timestamp with time zone DEFAULT now());
