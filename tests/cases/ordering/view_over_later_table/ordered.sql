CREATE TABLE items (
    id integer PRIMARY KEY,
    price numeric NOT NULL
);

CREATE VIEW expensive AS
    SELECT id, price FROM items WHERE price > 100;
