CREATE TABLE invoices (id integer GENERATED ALWAYS AS IDENTITY, total numeric);
