-- UPDATE OF pins its columns as a WHEN clause does: PostgreSQL refuses
-- to change the type of b while the trigger names it.
CREATE TABLE docs (id integer PRIMARY KEY, b varchar(20), c integer);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RETURN NEW;
END
$$;
CREATE TRIGGER docs_touch BEFORE UPDATE OF b ON docs FOR EACH ROW
	EXECUTE FUNCTION touch();
CREATE TRIGGER docs_touch_c BEFORE UPDATE OF c ON docs FOR EACH ROW
	EXECUTE FUNCTION touch();
