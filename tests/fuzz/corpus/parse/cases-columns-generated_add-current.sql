CREATE TABLE order_lines (id integer, price numeric(10,2), qty integer);
