CREATE SCHEMA crm;
CREATE SCHEMA reporting;
CREATE TABLE crm.customers (id integer PRIMARY KEY, name text);
