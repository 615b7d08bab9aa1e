CREATE TABLE `order` (
  `select` int NOT NULL,
  `a``b c` varchar(5) DEFAULT 'x',
  `from-to` int,
  PRIMARY KEY (`select`),
  KEY `key` (`from-to`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `we``ird table` (`id` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
