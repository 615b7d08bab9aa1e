CREATE SCHEMA app;
CREATE FUNCTION app.whoami() RETURNS text LANGUAGE sql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$ SELECT current_user::text $$;
