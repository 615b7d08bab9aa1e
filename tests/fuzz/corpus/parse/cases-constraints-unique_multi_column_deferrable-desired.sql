CREATE TABLE slots (day date, slot integer,
	CONSTRAINT slots_day_slot_key UNIQUE (day, slot) DEFERRABLE INITIALLY DEFERRED);
