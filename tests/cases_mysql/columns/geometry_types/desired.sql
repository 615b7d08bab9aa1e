CREATE TABLE t (
  id int NOT NULL,
  pos point,
  area polygon DEFAULT NULL,
  shape geometry,
  path linestring,
  many multipoint,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
