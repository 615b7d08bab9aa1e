CREATE TABLE codes (a text, b text, CONSTRAINT codes_ab_key UNIQUE NULLS NOT DISTINCT (a, b));
