-- The WHEN clause reads the column whose type changes: the trigger must
-- step aside, within the change's own step.
CREATE TABLE hits (n bigint NOT NULL);
CREATE TABLE events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	a integer DEFAULT 0,
	b text
);
CREATE FUNCTION count_hit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE hits SET n = n + 1;
	RETURN NEW;
END
$$;
CREATE TRIGGER events_count AFTER INSERT ON events FOR EACH ROW
	WHEN (NEW.a > 0) EXECUTE FUNCTION count_hit();
ALTER TABLE events ENABLE ALWAYS TRIGGER events_count;
COMMENT ON TRIGGER events_count ON events IS 'one hit per event';
