-- lint fixture: an earlier migration creating the table changing_column_type*.sql alter
CREATE TABLE accounts (id bigint PRIMARY KEY, name varchar(20), amount numeric(10,2));
