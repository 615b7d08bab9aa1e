-- emit_mysql: names and defaults full of backticks, quotes, backslashes,
-- "?", "%", ":name" and "${x}" (target). No backslash in the COMMENT:
-- the dialect writes such a literal in hex, which COMMENT refuses.
CREATE TABLE `we``ird "t" \ ?` (
  `i``d` bigint unsigned NOT NULL PRIMARY KEY,
  `a"b\c` varchar(60) NOT NULL DEFAULT 'it''s \\ ? %s :name ${x}',
  `q?'%` varchar(40) NULL DEFAULT '"double" `tick` \\n ?? %% :x',
  KEY `i``x "?"` (`a"b\c`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE `new ``t```` x` (
  `$x` int NOT NULL DEFAULT 0 COMMENT 'a ''comment'' with "quotes", ? and %'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
