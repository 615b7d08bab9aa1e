CREATE TABLE audit (at timestamp with time zone, what text);
