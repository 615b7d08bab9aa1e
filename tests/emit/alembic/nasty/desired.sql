CREATE TABLE "we""ird\tab" (
    id int PRIMARY KEY,
    "col:name" text DEFAULT 'it''s :name %s %(x)s \ back\\slash "dq" """ end',
    "new
line" text DEFAULT E'tab\there\nnew line \\ and \u00e9',
    "ünï©ødé 😀" integer DEFAULT '5'::integer,
    ctl text DEFAULT E'cr\rbell\x07del\x7f nbsp\u00a0 ls\u2028 end',
    pct text DEFAULT '100%' CHECK (pct <> '%%' AND pct::text <> ':x')
);
CREATE INDEX "idx ""q"" %" ON "we""ird\tab" ("col:name");
COMMENT ON TABLE "we""ird\tab" IS 'comment: """ triple quotes, \ backslash, '' quote, :x, %(y)s, 日本語, line sep # not a comment end';
CREATE FUNCTION "f:n%"() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'x % y', 1;
    RETURN 'a:b::text' || E'\\' || '%';
END
$$;
CREATE VIEW "v:w" AS SELECT '::text'::text AS c, ':bind'::text AS "d%s";
