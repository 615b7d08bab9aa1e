CREATE TABLE doc (id int NOT NULL, body text, PRIMARY KEY (id), FULLTEXT KEY body (body)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='moved';
