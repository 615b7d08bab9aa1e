-- The plan of rebuild_with_policies_and_comments, online: A rebuilt table with row level security, a policy, comments on it and
-- a column, a column grant, a CHECK, a unique key, a trigger with a WHEN
-- clause and a statistics object: all made again on the new table.
CREATE TABLE docs (id bigint NOT NULL, tenant text NOT NULL, title text CHECK (title <> ''), body text,
    CONSTRAINT docs_key UNIQUE (id, tenant));
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_tenant ON docs USING (tenant = current_user);
COMMENT ON TABLE docs IS 'documents';
COMMENT ON COLUMN docs.title IS 'shown in lists';
GRANT SELECT (id, title) ON docs TO app_reader;
CREATE FUNCTION docs_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER docs_touch BEFORE UPDATE ON docs FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body) EXECUTE FUNCTION docs_touch();
CREATE STATISTICS docs_stats (dependencies) ON id, tenant FROM docs;
