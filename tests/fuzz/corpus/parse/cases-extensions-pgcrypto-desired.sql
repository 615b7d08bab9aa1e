CREATE EXTENSION pgcrypto;
CREATE TABLE users (id integer, pw text, salt text DEFAULT gen_salt('bf'));
