CREATE UNLOGGED TABLE cache_entries (k text PRIMARY KEY, v text);
