CREATE TABLE address (id integer PRIMARY KEY, slug text);
CREATE UNIQUE INDEX address_slug_idx ON address (slug) INCLUDE (id);
CREATE TABLE customer (id integer PRIMARY KEY, address_id integer REFERENCES address (id), slug text REFERENCES address (slug));
