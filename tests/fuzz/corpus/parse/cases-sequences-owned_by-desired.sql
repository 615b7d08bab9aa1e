CREATE TABLE t (id integer NOT NULL);
CREATE SEQUENCE t_id_seq OWNED BY t.id;
