-- A NOT VALID foreign key the desired schema wants validated: VALIDATE
-- CONSTRAINT. The reverse drops it and adds it NOT VALID again.
CREATE TABLE customers (id integer PRIMARY KEY);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer);
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
