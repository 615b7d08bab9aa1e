CREATE TABLE owners (name text PRIMARY KEY, active boolean, since date);
CREATE TABLE docs (id integer, owner_name text, body character varying(200), size bigint);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_owner ON docs FOR SELECT
    USING (owner_name = CURRENT_USER
           AND EXISTS (SELECT 1 FROM owners o WHERE o.name = docs.owner_name AND o.active));
CREATE POLICY p_size ON docs FOR INSERT WITH CHECK (size < 1000);
COMMENT ON POLICY p_size ON docs IS 'small documents only';
