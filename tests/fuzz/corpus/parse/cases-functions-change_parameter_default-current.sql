CREATE FUNCTION page(n integer, size integer DEFAULT 20) RETURNS integer LANGUAGE sql AS $$ SELECT n * size $$;
