CREATE FUNCTION fmt(v integer) RETURNS text LANGUAGE sql AS $$ SELECT v::text $$;
CREATE FUNCTION fmt(v numeric, places integer DEFAULT 2) RETURNS text LANGUAGE sql AS $$ SELECT round(v, places)::text $$;
CREATE FUNCTION fmt(v date) RETURNS text LANGUAGE sql AS $$ SELECT to_char(v, 'YYYY-MM-DD') $$;
