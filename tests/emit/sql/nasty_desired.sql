-- The same tables after a change that touches every odd name.
CREATE TABLE "we""ird\tab" (
    id int PRIMARY KEY,
    "col
nl" text DEFAULT '${x}',
    "ünï" text NOT NULL DEFAULT 'é''${y}\',
    "new ${z}" text DEFAULT E'line1\nline2 -- */ $$ \\ ${x}'
);

CREATE INDEX "idx ${x} ""q""" ON "we""ird\tab" ("ünï");

COMMENT ON COLUMN "we""ird\tab"."ünï" IS 'comment with ${x}, \ and '' and
a newline';

CREATE TABLE "plain" (id int PRIMARY KEY, "it's" varchar(10),
    "$$dollar" text DEFAULT '$1 ${a:b} $${c}');
