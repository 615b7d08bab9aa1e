CREATE TABLE docs (id integer, owner_name text, body text);
CREATE POLICY p ON docs TO app_reader, app_writer USING (true);
