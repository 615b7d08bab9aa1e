CREATE TABLE hits (n bigint NOT NULL);
CREATE TABLE events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	a integer,
	b text,
	c bigint,
	d timestamp with time zone DEFAULT now()
);
CREATE FUNCTION count_hit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE hits SET n = n + 1;
	RETURN NEW;
END
$$;
CREATE TRIGGER events_count AFTER INSERT ON events FOR EACH ROW
	WHEN (NEW.a IS NOT NULL) EXECUTE FUNCTION count_hit();
