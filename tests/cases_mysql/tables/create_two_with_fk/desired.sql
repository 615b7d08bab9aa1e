CREATE TABLE authors (
  id int NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE books (
  id int NOT NULL,
  author_id int NOT NULL,
  PRIMARY KEY (id),
  KEY author_id (author_id),
  CONSTRAINT books_ibfk_1 FOREIGN KEY (author_id) REFERENCES authors (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
