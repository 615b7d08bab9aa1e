CREATE TYPE mood AS ENUM ('calm', 'busy', 'idle');
CREATE TABLE docs (id integer PRIMARY KEY, m mood, body text);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RETURN NEW;
END
$$;
CREATE TRIGGER docs_touch BEFORE INSERT ON docs FOR EACH ROW
	WHEN (NEW.body <> '') EXECUTE FUNCTION touch();
