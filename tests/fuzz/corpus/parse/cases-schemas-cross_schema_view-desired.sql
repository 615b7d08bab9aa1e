CREATE SCHEMA crm;
CREATE SCHEMA reporting;
CREATE TABLE crm.customers (id integer PRIMARY KEY, name text);
CREATE VIEW reporting.customer_names AS SELECT c.id, c.name FROM crm.customers c;
