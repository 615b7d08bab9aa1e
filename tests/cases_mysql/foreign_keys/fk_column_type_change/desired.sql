CREATE TABLE p (id bigint NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE c (id int NOT NULL, p_id bigint, PRIMARY KEY (id), KEY p_id (p_id), CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
