-- The same tables after a change that touches every odd name: the
-- forward and the rollback SQL carry all of them through JavaScript.
CREATE TABLE "we""ird `tab` ${x}" (
    id int PRIMARY KEY,
    "col?" text DEFAULT 'a?b ?? ?| ?& \? \\? ${x} `bt` $${y}',
    "col
nl" text DEFAULT E'line1\nline2\r\\ */ // \u2028 \u2029 end',
    "ünï ☃" text NOT NULL DEFAULT 'é''☃\',
    "new `?` ${z}" text DEFAULT '`${a}` \\`',
    U&"line\2028sep" int,
    CONSTRAINT "re \? chk" CHECK ("col?" ~ '^[^\?]*\??' OR "col?" IS NULL)
);

CREATE INDEX "idx ? ${x} ""q""" ON "we""ird `tab` ${x}" ("ünï ☃");

COMMENT ON COLUMN "we""ird `tab` ${x}"."ünï ☃" IS 'comment with ${x}, \ and ? and
a newline and `backticks`';

CREATE TABLE docs (id int PRIMARY KEY, body jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT "no bad?" CHECK (NOT (body ?| array['bad', 'b?d']) AND (body ? 'id' OR NOT (body ?& array['x']))));

CREATE INDEX docs_q_idx ON docs (id) WHERE body ? 'q';
