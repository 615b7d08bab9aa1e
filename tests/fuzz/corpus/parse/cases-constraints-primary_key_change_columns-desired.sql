CREATE TABLE memberships (group_id integer NOT NULL, user_id integer NOT NULL, id integer NOT NULL,
	CONSTRAINT memberships_pkey PRIMARY KEY (group_id, user_id));
