CREATE FUNCTION page(n integer, size integer) RETURNS integer LANGUAGE sql AS $$ SELECT n * size $$;
