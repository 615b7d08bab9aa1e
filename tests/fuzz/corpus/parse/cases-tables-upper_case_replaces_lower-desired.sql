CREATE TABLE "Customers" (id integer);
