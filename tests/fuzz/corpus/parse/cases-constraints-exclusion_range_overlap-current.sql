CREATE TABLE reservations (id integer, during tstzrange);
