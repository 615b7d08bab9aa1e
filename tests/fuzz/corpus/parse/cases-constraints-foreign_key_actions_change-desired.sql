CREATE TABLE authors (id integer PRIMARY KEY);
CREATE TABLE books (id integer PRIMARY KEY,
	author_id integer CONSTRAINT books_author_fk REFERENCES authors (id) ON DELETE SET NULL ON UPDATE CASCADE);
