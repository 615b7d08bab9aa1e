-- A counting trigger whose WHEN clause reads only column a: changing
-- other columns (a type change, a drop, an addition) leaves it alone.
CREATE TABLE hits (n bigint NOT NULL);
CREATE TABLE events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	a integer,
	b text,
	c integer,
	x text
);
CREATE FUNCTION count_hit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE hits SET n = n + 1;
	RETURN NEW;
END
$$;
CREATE TRIGGER events_count AFTER INSERT ON events FOR EACH ROW
	WHEN (NEW.a IS NOT NULL) EXECUTE FUNCTION count_hit();
