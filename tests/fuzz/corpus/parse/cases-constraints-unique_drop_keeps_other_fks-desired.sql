CREATE TABLE address (id integer PRIMARY KEY, slug text, code text,
	CONSTRAINT address_code_key UNIQUE NULLS NOT DISTINCT (code));
CREATE TABLE customer (id integer PRIMARY KEY,
	address_id integer CONSTRAINT customer_address_fk REFERENCES address (id),
	address_code text CONSTRAINT customer_code_fk REFERENCES address (code));
