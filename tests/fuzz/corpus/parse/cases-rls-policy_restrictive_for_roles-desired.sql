CREATE TABLE docs (id integer, owner_name text, body text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers_only ON docs AS RESTRICTIVE FOR SELECT TO app_reader, "Mixed Case Role" USING (body IS NOT NULL);
