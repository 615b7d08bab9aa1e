-- lint fixture: safe form of rewrite_commands
VACUUM orders;
REINDEX (CONCURRENTLY) TABLE orders;
