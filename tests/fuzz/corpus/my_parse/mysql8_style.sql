/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `app` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */;
USE `app`;
CREATE TABLE `t` (
  `id` int NOT NULL AUTO_INCREMENT,
  `u` varchar(36) DEFAULT (uuid()),
  `h` int DEFAULT NULL /*!80023 INVISIBLE */,
  `j` json DEFAULT NULL,
  `c` int GENERATED ALWAYS AS ((`id` * 2)) VIRTUAL,
  PRIMARY KEY (`id`),
  KEY `functional_index` (((`id` + 1))),
  CONSTRAINT `t_chk_1` CHECK ((`id` > 0))
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
ALTER IGNORE TABLE t ADD COLUMN z int;
