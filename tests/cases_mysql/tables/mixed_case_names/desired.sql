CREATE TABLE Users (Id int NOT NULL, EMail varchar(50), PRIMARY KEY (Id), UNIQUE KEY UX_Email (EMail)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE users_Archive (Id int NOT NULL, PRIMARY KEY (Id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
