-- A foreign key backed by a plain unique index follows the index when it is
-- rebuilt; the one on the primary key stays.
CREATE TABLE address (id integer PRIMARY KEY, slug text);
CREATE UNIQUE INDEX address_slug_idx ON address (slug);
CREATE TABLE customer (id integer PRIMARY KEY, address_id integer REFERENCES address (id), slug text REFERENCES address (slug));
