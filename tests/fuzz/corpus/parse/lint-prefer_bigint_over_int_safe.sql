-- lint fixture: safe form of prefer_bigint_over_int
CREATE TABLE drafts (id bigint PRIMARY KEY, hits bigint);
