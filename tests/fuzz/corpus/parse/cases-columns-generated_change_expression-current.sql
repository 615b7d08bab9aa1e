CREATE TABLE rects (w integer, h integer, area integer GENERATED ALWAYS AS (w * h) STORED);
