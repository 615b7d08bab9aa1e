CREATE TABLE bookings (id integer, starts date, ends date);
