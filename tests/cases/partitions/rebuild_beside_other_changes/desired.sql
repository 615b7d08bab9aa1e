CREATE TABLE users (id integer PRIMARY KEY, name text);
CREATE INDEX users_name_idx ON users (lower(name));
GRANT SELECT, INSERT ON users TO app_reader;
CREATE TABLE clicks (id bigint NOT NULL, at date NOT NULL, user_id integer) PARTITION BY RANGE (at);
CREATE TABLE clicks_2024 PARTITION OF clicks FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX clicks_user_idx ON clicks (user_id);
