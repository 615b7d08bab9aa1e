-- Names and values that break naive JavaScript strings and knex.raw:
-- quotes, backslashes, backticks, ${...}, newlines, non-ASCII letters,
-- U+2028 (a line terminator in JavaScript) and "?" (a knex.raw binding).
CREATE TABLE "we""ird `tab` ${x}" (
    id int PRIMARY KEY,
    "col?" text DEFAULT 'a?b',
    "col
nl" text,
    "ünï ☃" text,
    "gone ??" int
);

CREATE TABLE docs (id int PRIMARY KEY, body jsonb NOT NULL DEFAULT '{}');
