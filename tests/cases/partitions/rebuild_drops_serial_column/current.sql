-- A rebuild that drops a serial column: its sequence goes with it; the
-- other way, the new table's serial column gets its sequence back.
CREATE TABLE notes (id integer NOT NULL, at date NOT NULL, legacy serial, body text);
