CREATE FUNCTION twice(val integer) RETURNS integer LANGUAGE sql AS $$ SELECT val * 2 $$;
