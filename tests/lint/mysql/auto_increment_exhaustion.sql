-- lint fixture: fires auto_increment_exhaustion (signed int, smallint unsigned)
-- expect: 4:1 warning auto_increment_exhaustion
-- expect: 5:1 warning auto_increment_exhaustion
CREATE TABLE events (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, at datetime);
CREATE TABLE kinds (id smallint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY);
