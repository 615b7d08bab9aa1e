-- Not a view but the same window: a policy whose command changes is
-- dropped and made again (ALTER POLICY cannot change it), while an index
-- is built concurrently and a foreign key is validated beside the old
-- one; the two share one step, so no statement runs without the policy.
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, size integer, ref integer);
CREATE TABLE refs (id integer PRIMARY KEY);
ALTER TABLE docs ADD CONSTRAINT docs_ref_fkey FOREIGN KEY (ref) REFERENCES refs (id);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_owner ON docs FOR SELECT USING (owner = current_user);
