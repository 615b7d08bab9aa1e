CREATE EXTENSION btree_gist;
CREATE TABLE bookings (room integer, during tsrange,
	CONSTRAINT bookings_no_double EXCLUDE USING gist (room WITH =, during WITH &&));
