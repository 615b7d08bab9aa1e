CREATE TABLE regions (country text, code text, PRIMARY KEY (country, code));
CREATE TABLE stores (id integer, country text, region text,
	FOREIGN KEY (country, region) REFERENCES regions (country, code) MATCH FULL);
