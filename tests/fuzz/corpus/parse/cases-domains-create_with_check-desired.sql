CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE stock (id integer, qty positive_int);
