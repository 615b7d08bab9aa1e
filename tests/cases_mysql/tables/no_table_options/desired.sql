CREATE TABLE t (id int NOT NULL PRIMARY KEY, a varchar(20) NOT NULL, b text);
