-- lint fixture: safe form of auto_increment_exhaustion
CREATE TABLE events (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, at datetime);
CREATE TABLE kinds (id int NOT NULL PRIMARY KEY);
