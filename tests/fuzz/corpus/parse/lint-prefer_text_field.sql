-- lint fixture: fires prefer_text_field
CREATE TABLE drafts (id bigint PRIMARY KEY, title varchar(80));
