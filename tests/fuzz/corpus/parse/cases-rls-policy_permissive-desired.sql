CREATE TABLE docs (id integer, owner_name text, body text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_docs ON docs USING (owner_name = current_user);
