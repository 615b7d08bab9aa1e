CREATE TABLE docs (id integer, owner_name text, body text);
