CREATE TABLE slots (day date, slot integer);
