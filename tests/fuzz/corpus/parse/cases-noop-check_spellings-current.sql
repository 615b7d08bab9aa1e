CREATE TABLE t (a integer, b text, CONSTRAINT a_pos CHECK (a > 0), CONSTRAINT b_in CHECK (b IN ('x', 'y')));
