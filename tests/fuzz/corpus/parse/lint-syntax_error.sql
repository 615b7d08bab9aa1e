-- lint fixture: a syntax error
SELECT 1;
CREATE TABEL broken (id int);
