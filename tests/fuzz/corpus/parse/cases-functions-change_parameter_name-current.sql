CREATE FUNCTION twice(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a * 2 $$;
