CREATE TYPE mood AS ENUM ('a', 'b');
CREATE DOMAIN code AS text;
