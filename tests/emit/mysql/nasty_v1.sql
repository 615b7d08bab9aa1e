-- emit_mysql: names and defaults full of backticks, quotes, backslashes,
-- "?", "%", ":name" and "${x}" (source)
CREATE TABLE `we``ird "t" \ ?` (
  `i``d` bigint unsigned NOT NULL PRIMARY KEY,
  `a"b\c` varchar(40) NOT NULL DEFAULT 'it''s \\ ? %s :name ${x}'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
