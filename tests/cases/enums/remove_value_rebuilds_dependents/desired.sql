-- Removing 'old' rebuilds the enum (renamed aside, made anew, columns
-- converted). Everything whose expression names it must be made again
-- with the new type: a partial index and checks the server would
-- re-create with the old type when a column is converted ("operator
-- does not exist: status = status_schemig_old"), defaults of other
-- columns, a view that only casts to it, a policy that reads a column
-- of it; otherwise the old type cannot be dropped.
CREATE TYPE status AS ENUM ('draft', 'active', 'done');
CREATE TABLE posts (
    id integer PRIMARY KEY,
    s status NOT NULL DEFAULT 'draft',
    prev status,
    label text DEFAULT ('active'::status)::text,
    CONSTRAINT posts_prev_check CHECK (prev IS DISTINCT FROM s),
    CONSTRAINT posts_s_check CHECK (s <> 'done'::status OR prev IS NOT NULL)
);
CREATE INDEX posts_active ON posts (id) WHERE s = 'active';
CREATE TABLE notes (id integer, body text, kind text DEFAULT 'draft'::status::text);
CREATE VIEW active_posts AS SELECT id FROM posts WHERE s = 'active';
CREATE VIEW note_kinds AS SELECT id, kind::status AS k FROM notes;
ALTER TABLE posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY posts_visible ON posts FOR SELECT USING (s <> 'draft');
