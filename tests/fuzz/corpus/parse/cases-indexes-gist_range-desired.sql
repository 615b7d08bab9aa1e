CREATE TABLE shifts (id integer, hours int4range);
CREATE INDEX shifts_hours_idx ON shifts USING gist (hours);
