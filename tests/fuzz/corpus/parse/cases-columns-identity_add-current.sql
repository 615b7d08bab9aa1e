CREATE TABLE invoices (id integer NOT NULL, total numeric);
