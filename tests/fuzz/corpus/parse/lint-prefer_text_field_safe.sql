-- lint fixture: safe form of prefer_text_field
CREATE TABLE drafts (id bigint PRIMARY KEY, title text CHECK (char_length(title) <= 80));
