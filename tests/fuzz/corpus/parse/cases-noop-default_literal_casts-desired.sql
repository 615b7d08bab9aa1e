CREATE TABLE t (a text DEFAULT 'x'::text, b integer DEFAULT 0, c character varying(5) DEFAULT 'y'::character varying,
	d boolean DEFAULT true, e date DEFAULT '2020-01-01'::date);
