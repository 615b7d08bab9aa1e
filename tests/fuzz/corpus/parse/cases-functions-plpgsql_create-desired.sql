CREATE TABLE counters (name text PRIMARY KEY, n integer NOT NULL DEFAULT 0);
CREATE FUNCTION bump(p_name text) RETURNS integer
	LANGUAGE plpgsql
	AS $$
DECLARE
	v integer;
BEGIN
	UPDATE counters SET n = n + 1 WHERE name = p_name RETURNING n INTO v;
	RETURN v;
END;
$$;
