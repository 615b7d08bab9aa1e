-- Identifiers and defaults that break naive quoting: quotes, backslashes,
-- newlines, non-ASCII letters and Flyway-style ${...} placeholders.
CREATE TABLE "we""ird\tab" (
    id int PRIMARY KEY,
    "col
nl" text DEFAULT 'a''b\c',
    "ünï" text,
    "gone ${x}" int
);

CREATE TABLE "plain" (id int PRIMARY KEY, "it's" varchar(10));
