-- A view over a table defined after it (unqualified names).
CREATE VIEW expensive AS
    SELECT id, price FROM items WHERE price > 100;

CREATE TABLE items (
    id integer PRIMARY KEY,
    price numeric NOT NULL
);
