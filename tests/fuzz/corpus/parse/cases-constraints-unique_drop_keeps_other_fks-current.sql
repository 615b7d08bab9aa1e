-- Dropping UNIQUE (slug) must leave the foreign key on address(id) alone,
-- while the one on address(code) follows its changed key.
CREATE TABLE address (id integer PRIMARY KEY, slug text, code text,
	CONSTRAINT address_slug_key UNIQUE (slug),
	CONSTRAINT address_code_key UNIQUE (code));
CREATE TABLE customer (id integer PRIMARY KEY,
	address_id integer CONSTRAINT customer_address_fk REFERENCES address (id),
	address_code text CONSTRAINT customer_code_fk REFERENCES address (code));
