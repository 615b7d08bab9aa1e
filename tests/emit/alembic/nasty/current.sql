-- Identifiers, defaults and bodies full of what breaks naive quoting:
-- quotes, backslashes, newlines, tabs, non-ASCII, '%', ':name', '::cast'.
CREATE TABLE "we""ird\tab" (
    id int PRIMARY KEY,
    "col:name" text
);
INSERT INTO "we""ird\tab" VALUES (1, 'a'), (2, 'b:c'), (3, NULL);
