-- A policy steps aside only for the columns its clauses read: dropping
-- legacy or retyping body leaves every policy alone; retyping size
-- rebuilds p_size in the step of the change (one transaction: no window
-- where its rows are hidden or its inserts fail).
CREATE TABLE owners (name text PRIMARY KEY, active boolean);
CREATE TABLE docs (id integer, owner_name text, body text, size integer, legacy text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_owner ON docs FOR SELECT
    USING (owner_name = CURRENT_USER
           AND EXISTS (SELECT 1 FROM owners o WHERE o.name = docs.owner_name AND o.active));
CREATE POLICY p_size ON docs FOR INSERT WITH CHECK (size < 1000);
COMMENT ON POLICY p_size ON docs IS 'small documents only';
