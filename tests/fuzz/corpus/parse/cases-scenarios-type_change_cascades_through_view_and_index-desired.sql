CREATE TABLE m (id integer PRIMARY KEY, v double precision);
CREATE INDEX m_v_idx ON m (v);
CREATE VIEW mv AS SELECT id, v FROM m;
CREATE VIEW mv2 AS SELECT id FROM mv WHERE v > 0;
