CREATE TABLE docs (id integer, owner_name text, body text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY ins ON docs FOR INSERT TO app_writer WITH CHECK (owner_name = current_user);
CREATE POLICY upd ON docs FOR UPDATE TO app_writer USING (true) WITH CHECK (body <> '');
