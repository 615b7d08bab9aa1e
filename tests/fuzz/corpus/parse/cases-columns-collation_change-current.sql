CREATE TABLE words (id integer, word text);
