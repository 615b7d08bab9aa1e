CREATE TABLE parent (
  id int NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE child (
  id int NOT NULL,
  parent_id int,
  PRIMARY KEY (id),
  KEY parent_id (parent_id),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
