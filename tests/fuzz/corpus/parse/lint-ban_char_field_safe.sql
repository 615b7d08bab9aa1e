-- lint fixture: safe form of ban_char_field
CREATE TABLE drafts (id bigint PRIMARY KEY, code text);
