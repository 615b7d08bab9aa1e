-- lint fixture: names full of backticks, quotes and backslashes
-- expect: 5:27 error ban_drop_column
-- expect: 6:1 error require_algorithm_lock
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `we``ird "t"` DROP COLUMN `a\b'c`, ALGORITHM=INSTANT;
ALTER TABLE `we``ird "t"` ADD INDEX `i``x` (`a\b'c`);
