CREATE TABLE p (id integer CONSTRAINT p_pkey PRIMARY KEY);
CREATE TABLE t (id integer NOT NULL, email text, qty integer, p_id integer,
	CONSTRAINT t_pkey PRIMARY KEY (id), CONSTRAINT t_email_key UNIQUE (email),
	CONSTRAINT t_qty_check CHECK ((qty > 0)),
	CONSTRAINT t_p_id_fkey FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE NO ACTION);
