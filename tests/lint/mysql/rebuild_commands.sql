-- lint fixture: fires rebuild_commands
-- expect: 8:16 error rebuild_commands
-- expect: 9:20 error rebuild_commands
-- expect: 10:20 error rebuild_commands
-- expect: 11:47 error rebuild_commands
-- expect: 12:20 error rebuild_commands
SET SESSION lock_wait_timeout = 5;
OPTIMIZE TABLE orders;
ALTER TABLE orders FORCE;
ALTER TABLE orders ENGINE=InnoDB;
ALTER TABLE orders ADD INDEX i (a), ALGORITHM=COPY;
ALTER TABLE orders CONVERT TO CHARACTER SET utf8mb4, ALGORITHM=INPLACE;
