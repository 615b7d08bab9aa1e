CREATE TABLE items (id integer);
