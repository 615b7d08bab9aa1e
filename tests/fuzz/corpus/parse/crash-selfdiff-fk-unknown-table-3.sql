CREATE TABLE empnoyees (id integer PRIMARY KEY,
	manager_id integer REFERENCES employees (id) ON DELETE SET NULL);
