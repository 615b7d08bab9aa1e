CREATE TABLE docs (id integer, owner_name text, body text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON docs FOR SELECT USING (id > 0);
