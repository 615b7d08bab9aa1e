CREATE TABLE readings (id integer, value text);
