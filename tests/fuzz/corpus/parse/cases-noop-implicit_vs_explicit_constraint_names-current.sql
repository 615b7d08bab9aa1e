CREATE TABLE p (id integer PRIMARY KEY);
CREATE TABLE t (id integer PRIMARY KEY, email text UNIQUE, qty integer CHECK (qty > 0), p_id integer REFERENCES p);
