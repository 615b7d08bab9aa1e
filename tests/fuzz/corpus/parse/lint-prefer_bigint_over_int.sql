-- lint fixture: fires prefer_bigint_over_int
CREATE TABLE drafts (id bigint PRIMARY KEY, hits integer);
