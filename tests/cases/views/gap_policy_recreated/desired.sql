CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, size integer, ref integer);
CREATE TABLE refs (id integer PRIMARY KEY);
ALTER TABLE docs ADD CONSTRAINT docs_ref_fkey FOREIGN KEY (ref) REFERENCES refs (id) ON DELETE CASCADE;
CREATE INDEX docs_size_idx ON docs (size);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_owner ON docs FOR ALL USING (owner = current_user);
