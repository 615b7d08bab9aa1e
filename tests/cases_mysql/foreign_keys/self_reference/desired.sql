CREATE TABLE node (
  id int NOT NULL,
  parent_id int,
  PRIMARY KEY (id),
  KEY parent_id (parent_id),
  CONSTRAINT node_parent FOREIGN KEY (parent_id) REFERENCES node (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
