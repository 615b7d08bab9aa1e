CREATE TABLE parents (id bigint PRIMARY KEY, code text NOT NULL);
CREATE TABLE children (id integer, parent_id bigint REFERENCES parents (id));
