CREATE SCHEMA crm;
CREATE SCHEMA billing;
CREATE TABLE crm.customers (id integer PRIMARY KEY);
CREATE TABLE billing.invoices (id integer, customer_id integer);
