CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);
CREATE TABLE sessions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	started_at timestamp with time zone NOT NULL DEFAULT now());
CREATE INDEX sessions_user_idx ON sessions (user_id, started_at DESC);
CREATE VIEW active_users AS SELECT DISTINCT u.id, u.email FROM users u JOIN sessions s ON s.user_id = u.id;
GRANT SELECT ON active_users TO app_reader;
