CREATE TABLE t (a text DEFAULT 'x', b integer DEFAULT 0, c character varying(5) DEFAULT 'y', d boolean DEFAULT true, e date DEFAULT '2020-01-01');
