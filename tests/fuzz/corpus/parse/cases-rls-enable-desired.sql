CREATE TABLE docs (id integer, owner_name text, body text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
