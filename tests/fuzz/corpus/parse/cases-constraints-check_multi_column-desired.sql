CREATE TABLE bookings (id integer, starts date, ends date, CHECK (ends > starts));
