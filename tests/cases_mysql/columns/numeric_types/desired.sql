CREATE TABLE t (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  a tinyint(1) NOT NULL DEFAULT 0,
  b smallint,
  c mediumint unsigned,
  d float,
  e double,
  f bit(3),
  g year,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
