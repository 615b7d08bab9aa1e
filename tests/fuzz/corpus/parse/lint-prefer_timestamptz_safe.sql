-- lint fixture: safe form of prefer_timestamptz
CREATE TABLE drafts (id bigint PRIMARY KEY, created_at timestamptz);
