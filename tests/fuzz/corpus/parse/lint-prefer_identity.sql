-- lint fixture: fires prefer_identity
CREATE TABLE drafts (id bigserial PRIMARY KEY);
