CREATE DOMAIN pct AS numeric CONSTRAINT pct_range CHECK (VALUE >= 0);
