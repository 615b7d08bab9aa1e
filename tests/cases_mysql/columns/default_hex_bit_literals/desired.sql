CREATE TABLE t (
  id int NOT NULL,
  v varbinary(4) DEFAULT x'000a41',
  w binary(2) DEFAULT X'4142',
  b blob DEFAULT x'01',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
