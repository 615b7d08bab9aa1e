-- lint fixture: a table this migration creates holds no rows to lose
CREATE TABLE staging (id int PRIMARY KEY);
TRUNCATE staging;
