-- A rebuilt table with an identity column and a serial one: the new
-- identity sequence takes the usual name, the serial's sequence stays
-- owned by the column (values going on: tests/suites/rebuild.sh).
CREATE TABLE jobs (id bigint GENERATED ALWAYS AS IDENTITY, queue text NOT NULL, n serial, PRIMARY KEY (id, queue));
