CREATE TABLE t (
  id int NOT NULL,
  name varchar(20),
  note text CHARACTER SET utf8mb4,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
