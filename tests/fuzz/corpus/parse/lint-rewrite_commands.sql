-- lint fixture: fires rewrite_commands
VACUUM FULL orders;
