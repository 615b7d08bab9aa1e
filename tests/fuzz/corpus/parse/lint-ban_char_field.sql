-- lint fixture: fires ban_char_field
CREATE TABLE drafts (id bigint PRIMARY KEY, code char(3));
