-- lint fixture: the table copying_column_type_change*.sql change
CREATE TABLE accounts (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name varchar(40) NOT NULL,
  code varchar(200) CHARACTER SET latin1,
  kind enum('a','b') NOT NULL DEFAULT 'a',
  visits int NOT NULL DEFAULT 0
) DEFAULT CHARSET=utf8mb4;
