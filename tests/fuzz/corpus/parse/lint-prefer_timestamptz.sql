-- lint fixture: fires prefer_timestamptz
CREATE TABLE drafts (id bigint PRIMARY KEY, created_at timestamp);
