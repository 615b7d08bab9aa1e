CREATE TABLE posts (id integer, tags text[], scores integer[]);
