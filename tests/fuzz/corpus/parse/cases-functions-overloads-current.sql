CREATE FUNCTION fmt(v integer) RETURNS text LANGUAGE sql AS $$ SELECT v::text $$;
