CREATE TABLE reservations (id integer, during tstzrange,
	CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&));
