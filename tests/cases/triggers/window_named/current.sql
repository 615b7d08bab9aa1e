-- The trigger's WHEN clause changes and an enum gains a value, a step of
-- its own between the trigger's drop and its creation: the verdict must
-- say that the trigger is missing meanwhile.
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE TABLE docs (id integer PRIMARY KEY, m mood, body text);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RETURN NEW;
END
$$;
CREATE TRIGGER docs_touch BEFORE INSERT ON docs FOR EACH ROW
	WHEN (NEW.body IS NOT NULL) EXECUTE FUNCTION touch();
