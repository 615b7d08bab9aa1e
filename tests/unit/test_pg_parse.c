/* The DDL parser: canonical types, the server's implicit names, serial
 * expansion, error positions, warnings, and equal models for equivalent
 * spellings (hand-written versus pg_dump output). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/pg.h"

/* ---- helpers ---------------------------------------------------------- */

static model *parse_ok(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	int r = pg_parse(m, sql, "test.sql", &e);
	if (r)
		fail_msg("unexpected parse error: %s", e.msg);
	error_clear(&e);
	return m;
}

/* The error message of a failing parse; the caller frees it. */
static char *parse_err(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	int r = pg_parse(m, sql, "bad.sql", &e);
	assert_int_equal(r, -1);
	assert_non_null(e.msg);
	char *msg = strdup(e.msg);
	error_clear(&e);
	model_free(m);
	return msg;
}

#define S(x) ((x) ? (x) : "-")

static void dump_constraints(strbuf *sb, const m_constraint *k, int n)
{
	for (int j = 0; j < n; j++)
		strbuf_addf(sb, "  con %s %c %s def=%s cmt=%s\n", k[j].name,
			    k[j].kind, S(k[j].ref.name), k[j].definition,
			    S(k[j].comment));
}

/* A text form of everything the differ compares: two models are equal
 * when their dumps are. */
static char *dump(const model *m)
{
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < m->nschemas; i++)
		strbuf_addf(&sb, "schema %s %s\n", m->schemas[i].name,
			    S(m->schemas[i].comment));
	for (int i = 0; i < m->nextensions; i++)
		strbuf_addf(&sb, "ext %s %s\n", m->extensions[i].name,
			    m->extensions[i].schema);
	for (int i = 0; i < m->nenums; i++) {
		strbuf_addf(&sb, "enum %s.%s %s:", m->enums[i].schema,
			    m->enums[i].name, S(m->enums[i].comment));
		for (int j = 0; j < m->enums[i].nlabels; j++)
			strbuf_addf(&sb, " %s", m->enums[i].labels[j]);
		strbuf_addch(&sb, '\n');
	}
	for (int i = 0; i < m->ndomains; i++) {
		const m_domain *d = &m->domains[i];
		strbuf_addf(&sb, "domain %s.%s %s def=%s nn=%d\n", d->schema,
			    d->name, d->base_type, S(d->default_expr),
			    d->not_null);
		dump_constraints(&sb, d->checks, d->nchecks);
	}
	for (int i = 0; i < m->nsequences; i++) {
		const m_sequence *s = &m->sequences[i];
		strbuf_addf(
		    &sb,
		    "seq %s.%s %s %lld %lld %lld %lld %lld %d own=%s.%s.%s\n",
		    s->schema, s->name, s->type, (long long)s->start,
		    (long long)s->increment, (long long)s->min,
		    (long long)s->max, (long long)s->cache, s->cycle,
		    S(s->owner.schema), S(s->owner.name), S(s->owner_column));
	}
	for (int i = 0; i < m->ntables; i++) {
		const m_table *t = &m->tables[i];
		strbuf_addf(
		    &sb, "table %s.%s %c parent=%s bound=%s key=%s rls=%d\n",
		    t->schema, t->name, t->kind, S(t->parent.name),
		    S(t->partition_bound), S(t->partition_key), t->rls_enabled);
		for (int j = 0; j < t->ncolumns; j++) {
			const m_column *c = &t->columns[j];
			strbuf_addf(
			    &sb, "  col %s %s def=%s nn=%d id=%d gen=%s\n",
			    c->name, c->type, S(c->default_expr), c->not_null,
			    c->identity, S(c->generated_expr));
		}
		dump_constraints(&sb, t->constraints, t->nconstraints);
	}
	for (int i = 0; i < m->nindexes; i++)
		strbuf_addf(&sb, "index %s %s\n", m->indexes[i].name,
			    m->indexes[i].definition);
	for (int i = 0; i < m->nviews; i++)
		strbuf_addf(&sb, "view %s.%s %s\n", m->views[i].schema,
			    m->views[i].name, m->views[i].definition);
	for (int i = 0; i < m->nfunctions; i++)
		strbuf_addf(&sb, "function %s.%s(%s) %s\n",
			    m->functions[i].schema, m->functions[i].name,
			    m->functions[i].identity_args,
			    S(m->functions[i].result));
	for (int i = 0; i < m->ntriggers; i++)
		strbuf_addf(&sb, "trigger %s\n", m->triggers[i].definition);
	for (int i = 0; i < m->ngrants; i++)
		strbuf_addf(&sb, "grant %c %s.%s %s %s\n", m->grants[i].objkind,
			    S(m->grants[i].schema), m->grants[i].name,
			    S(m->grants[i].grantee), m->grants[i].privilege);
	return strbuf_detach(&sb);
}

static const m_table *table(const model *m, const char *schema,
			    const char *name)
{
	const m_table *t = model_find_table(m, schema, name);
	if (!t)
		fail_msg("no table %s.%s", schema, name);
	return t;
}

static void expect_same_model(const char *a, const char *b)
{
	model *ma = parse_ok(a), *mb = parse_ok(b);
	char *da = dump(ma), *db = dump(mb);
	if (strcmp(da, db))
		fail_msg("models differ:\n--- first\n%s--- second\n%s", da, db);
	free(da);
	free(db);
	model_free(ma);
	model_free(mb);
}

/* ---- tests ------------------------------------------------------------ */

static void test_types_are_canonical(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"int", "integer"},
	    {"int4", "integer"},
	    {"integer", "integer"},
	    {"int8", "bigint"},
	    {"bigint", "bigint"},
	    {"int2", "smallint"},
	    {"smallint", "smallint"},
	    {"varchar(20)", "character varying(20)"},
	    {"varchar", "character varying"},
	    {"character varying(5)", "character varying(5)"},
	    {"char(3)", "character(3)"},
	    {"character(3)", "character(3)"},
	    {"char", "character(1)"},
	    {"\"char\"", "\"char\""},
	    {"bool", "boolean"},
	    {"float8", "double precision"},
	    {"double precision", "double precision"},
	    {"float", "double precision"},
	    {"float(24)", "real"},
	    {"float(25)", "double precision"},
	    {"float4", "real"},
	    {"real", "real"},
	    {"numeric(10,2)", "numeric(10,2)"},
	    {"numeric(10)", "numeric(10,0)"},
	    {"decimal", "numeric"},
	    {"timestamp", "timestamp without time zone"},
	    {"timestamptz", "timestamp with time zone"},
	    {"timestamp with time zone", "timestamp with time zone"},
	    {"timestamp(3)", "timestamp(3) without time zone"},
	    {"time", "time without time zone"},
	    {"timetz", "time with time zone"},
	    {"interval", "interval"},
	    {"text", "text"},
	    {"bytea", "bytea"},
	    {"uuid", "uuid"},
	    {"jsonb", "jsonb"},
	    {"bit(4)", "bit(4)"},
	    {"varbit", "bit varying"},
	    {"bit varying(8)", "bit varying(8)"},
	    {"int[]", "integer[]"},
	    {"int[][]", "integer[]"},
	    {"text[3]", "text[]"},
	    {"pg_catalog.int4", "integer"},
	    {"mood", "public.mood"},
	    {"public.mood", "public.mood"},
	    {"app.mood", "app.mood"},
	    {"\"My Type\"", "public.\"My Type\""},
	    {"app.\"My Type\"[]", "app.\"My Type\"[]"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char sql[256];
		snprintf(sql, sizeof(sql), "CREATE TABLE t (c %s);",
			 cases[i][0]);
		model *m = parse_ok(sql);
		const m_table *t = table(m, "public", "t");
		if (strcmp(t->columns[0].type, cases[i][1]))
			fail_msg("%s -> %s, expected %s", cases[i][0],
				 t->columns[0].type, cases[i][1]);
		model_free(m);
	}
}

static void test_implicit_names(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE p (id int PRIMARY KEY);\n"
	    "CREATE TABLE t (\n"
	    "  id int PRIMARY KEY,\n"
	    "  a int UNIQUE CHECK (a > 0),\n"
	    "  b int REFERENCES p,\n"
	    "  c int, d int,\n"
	    "  UNIQUE (c, d), UNIQUE (c, d), CHECK (c < d), CHECK (true),\n"
	    "  FOREIGN KEY (c, d) REFERENCES t2 (x, y)\n"
	    ");\n"
	    "CREATE INDEX ON t (a);\n"
	    "CREATE INDEX ON t (a);\n"
	    "CREATE INDEX ON t (lower(c::text), (c + d));\n"
	    "CREATE UNIQUE INDEX ON t (b) INCLUDE (c);\n");
	const m_table *t = table(m, "public", "t");
	static const char *const want[] = {
	    "t_a_check", "t_a_key", "t_b_fkey", "t_c_d_fkey",
	    "t_c_d_key", "t_check", "t_check1", "t_pkey",
	};
	assert_int_equal(t->nconstraints, 8);
	for (int i = 0; i < 8; i++)
		assert_string_equal(t->constraints[i].name, want[i]);
	const m_constraint *fk = model_table_find_constraint(t, "t_b_fkey");
	assert_non_null(fk);
	assert_string_equal(fk->definition,
			    "FOREIGN KEY (b) REFERENCES public.p(id)");
	assert_int_equal(m->nindexes, 4);
	assert_string_equal(m->indexes[0].name, "t_a_idx");
	assert_string_equal(m->indexes[1].name, "t_a_idx1");
	assert_string_equal(m->indexes[2].name, "t_b_c_idx");
	assert_string_equal(m->indexes[3].name, "t_lower_expr_idx");
	assert_string_equal(m->indexes[3].definition,
			    "CREATE INDEX t_lower_expr_idx ON public.t USING "
			    "btree (lower((c)::text), ((c + d)))");
	model_free(m);

	/* NAMEDATALEN: 63 bytes, the longer part cut first. */
	m = parse_ok(
	    "CREATE TABLE "
	    "a_very_long_table_name_that_goes_on_and_on_and_on_forever_more"
	    " (a_very_long_column_name_that_also_goes_on_and_on_forever "
	    "int UNIQUE, x int PRIMARY KEY);");
	t = m->tables;
	assert_string_equal(t->constraints[0].name,
			    "a_very_long_table_name_that_g_a_very_long_column_"
			    "name_that__key");
	assert_string_equal(
	    t->constraints[1].name,
	    "a_very_long_table_name_that_goes_on_and_on_and_on_forever__pkey");
	assert_true(strlen(t->constraints[0].name) <= 63);
	model_free(m);
}

static void test_serial_expansion(void **state)
{
	(void)state;
	model *m =
	    parse_ok("CREATE SCHEMA app;\n"
		     "CREATE TABLE t (id serial, b bigserial);\n"
		     "CREATE TABLE app.u (id smallserial PRIMARY KEY);\n");
	const m_table *t = table(m, "public", "t");
	assert_string_equal(t->columns[0].type, "integer");
	assert_true(t->columns[0].not_null);
	assert_string_equal(t->columns[0].default_expr,
			    "nextval('public.t_id_seq'::regclass)");
	assert_string_equal(t->columns[1].type, "bigint");
	assert_int_equal(m->nsequences, 3);
	const m_sequence *s = &m->sequences[0]; /* app.u_id_seq sorts first */
	assert_string_equal(s->schema, "app");
	assert_string_equal(s->name, "u_id_seq");
	assert_string_equal(s->type, "smallint");
	assert_int_equal(s->max, 32767);
	assert_string_equal(table(m, "app", "u")->columns[0].default_expr,
			    "nextval('app.u_id_seq'::regclass)");
	s = &m->sequences[2];
	assert_string_equal(s->name, "t_id_seq");
	assert_string_equal(s->type, "integer");
	assert_int_equal(s->start, 1);
	assert_int_equal(s->increment, 1);
	assert_int_equal(s->min, 1);
	assert_int_equal(s->max, 2147483647);
	assert_int_equal(s->cache, 1);
	assert_string_equal(s->owner.name, "t");
	assert_string_equal(s->owner_column, "id");
	assert_string_equal(m->sequences[1].name, "t_b_seq");
	assert_int_equal(m->sequences[1].max, INT64_MAX);
	model_free(m);
}

static void test_malformed_sql_position(void **state)
{
	(void)state;
	char *msg = parse_err("CREATE TABLE t (a int);\n"
			      "-- comment\n"
			      "CREATE TABLE u (a int,, b int);\n");
	assert_string_equal(msg, "bad.sql:3:23: syntax error at or near \",\"");
	free(msg);
}

static void test_malformed_first_line(void **state)
{
	(void)state;
	char *msg = parse_err("CREAT TABLE t (a int);");
	assert_string_equal(msg,
			    "bad.sql:1:1: syntax error at or near \"CREAT\"");
	free(msg);
}

static void test_unknown_table_is_an_error(void **state)
{
	(void)state;
	char *msg = parse_err("CREATE TABLE t (a int);\n\n"
			      "ALTER TABLE nope ADD COLUMN b int;\n");
	assert_non_null(strstr(msg, "bad.sql:3:"));
	assert_non_null(strstr(msg, "public.nope"));
	free(msg);
	msg = parse_err("CREATE INDEX ON app.missing (a);");
	assert_non_null(strstr(msg, "bad.sql:1:"));
	assert_non_null(strstr(msg, "app.missing"));
	free(msg);
}

static void test_warnings_for_unmodelled_statements(void **state)
{
	(void)state;
	model *m =
	    parse_ok("SET statement_timeout = 0;\n"
		     "SELECT pg_catalog.set_config('search_path', '', false);\n"
		     "CREATE TABLE t (a int);\n"
		     "ALTER TABLE public.t OWNER TO postgres;\n"
		     "COMMENT ON EXTENSION plpgsql IS 'x';\n"
		     "INSERT INTO t VALUES (1);\n"
		     "CREATE ROLE r;\n");
	assert_int_equal(m->nwarnings, 2);
	assert_string_equal(m->warnings[0].message,
			    "test.sql:6: INSERT is not part of the schema "
			    "model; ignored");
	assert_string_equal(m->warnings[1].message,
			    "test.sql:7: CREATE ROLE is not part of the schema "
			    "model; ignored");
	model_free(m);
	/* Statement names of more than a verb and one word. */
	m = parse_ok(
	    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT "
	    "ON TABLES TO app_reader;\n"
	    "CREATE FOREIGN DATA WRAPPER w;\n"
	    "CREATE OR REPLACE RULE r AS ON INSERT TO t DO NOTHING;\n"
	    "CREATE TEXT SEARCH TEMPLATE tt (LEXIZE = dsimple_lexize);\n"
	    "create\n  event trigger e on ddl_command_start "
	    "execute function f();\n"
	    "SECURITY LABEL ON TABLE t IS 'x';\n");
	static const char *const names[] = {"ALTER DEFAULT PRIVILEGES",
					    "CREATE FOREIGN DATA WRAPPER",
					    "CREATE RULE",
					    "CREATE TEXT SEARCH TEMPLATE",
					    "CREATE EVENT TRIGGER",
					    "SECURITY LABEL"};
	assert_int_equal(m->nwarnings, 6);
	for (int i = 0; i < 6; i++) {
		char want[128];
		snprintf(want, sizeof(want), "%s is not part of the schema",
			 names[i]);
		if (!strstr(m->warnings[i].message, want))
			fail_msg("warning %d: %s", i, m->warnings[i].message);
	}
	model_free(m);
}

static void test_equivalent_spellings(void **state)
{
	(void)state;
	expect_same_model(
	    "create table T (ID int primary key, price numeric check (price>0),"
	    " s varchar(10) default 'x', n int default (0), ts timestamptz);",
	    "CREATE TABLE public.t (id integer NOT NULL, price numeric,"
	    " s character varying(10) DEFAULT 'x'::character varying,"
	    " n int4 DEFAULT 0, ts timestamp with time zone,"
	    " CONSTRAINT t_price_check CHECK ((price > (0)::numeric)));"
	    "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY "
	    "(id);");
	expect_same_model("CREATE TABLE t (a text CHECK (a IN ('x', 'y')));",
			  "CREATE TABLE t (a text, CONSTRAINT t_a_check CHECK "
			  "((a = ANY (ARRAY['x'::text, 'y'::text]))));");
	expect_same_model(
	    "CREATE TABLE t (a int);"
	    "CREATE INDEX i ON t (a) WHERE a > 0;",
	    "CREATE TABLE t (a int);"
	    "CREATE INDEX i ON public.t USING btree (a) WHERE (a > 0);");
}

/* pg_dump writes serial columns as a sequence, OWNED BY and a default. */
static void test_pg_dump_serial_equals_hand_written(void **state)
{
	(void)state;
	expect_same_model(
	    "CREATE TABLE t (id serial PRIMARY KEY, name text);",
	    "\\restrict abc\n"
	    "SET statement_timeout = 0;\n"
	    "SELECT pg_catalog.set_config('search_path', '', false);\n"
	    "CREATE TABLE public.t (id integer NOT NULL, name text);\n"
	    "ALTER TABLE public.t OWNER TO postgres;\n"
	    "CREATE SEQUENCE public.t_id_seq AS integer START WITH 1 "
	    "INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;\n"
	    "ALTER TABLE public.t_id_seq OWNER TO postgres;\n"
	    "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n"
	    "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT "
	    "nextval('public.t_id_seq'::regclass);\n"
	    "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY "
	    "(id);\n"
	    "\\unrestrict abc\n");
}

static void test_identity_enum_domain(void **state)
{
	(void)state;
	model *m =
	    parse_ok("CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
		     "CREATE DOMAIN pos AS int NOT NULL CHECK (VALUE > 0);\n"
		     "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY,\n"
		     "  m mood DEFAULT 'ok', g int GENERATED ALWAYS AS (id * "
		     "2) STORED);\n");
	const m_table *t = table(m, "public", "t");
	assert_int_equal(t->columns[0].identity, 'a');
	assert_true(t->columns[0].not_null);
	assert_null(t->columns[0].default_expr);
	assert_string_equal(t->columns[1].default_expr, "'ok'::public.mood");
	assert_string_equal(t->columns[2].generated_expr, "(id * 2)");
	assert_int_equal(m->nsequences, 0);
	assert_int_equal(m->nenums, 1);
	assert_int_equal(m->enums[0].nlabels, 2);
	assert_string_equal(m->domains[0].checks[0].name, "pos_check");
	assert_string_equal(m->domains[0].checks[0].definition,
			    "CHECK ((VALUE > 0))");
	model_free(m);
}

static void test_grants_comments_views_functions(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a int, b text);\n"
	    "CREATE VIEW v AS SELECT a FROM t JOIN public.t t2 USING (a);\n"
	    "CREATE FUNCTION f(x int, OUT y text) LANGUAGE sql AS "
	    "$$ SELECT 'a' $$;\n"
	    "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS "
	    "$$ BEGIN RETURN NEW; END $$;\n"
	    "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE "
	    "FUNCTION trg();\n"
	    "GRANT ALL ON t TO alice;\n"
	    "REVOKE DELETE, TRUNCATE ON t FROM alice;\n"
	    "GRANT EXECUTE ON FUNCTION f(integer) TO PUBLIC;\n"
	    "COMMENT ON TABLE t IS 'tee';\n"
	    "COMMENT ON COLUMN t.a IS 'ay';\n"
	    "CREATE PROCEDURE p(a int, INOUT b varchar(9)) LANGUAGE sql"
	    " AS $$ SELECT 1 $$;\n");
	const m_table *t = table(m, "public", "t");
	assert_string_equal(t->comment, "tee");
	assert_string_equal(t->columns[0].comment, "ay");
	assert_int_equal(m->nviews, 1);
	assert_int_equal(m->views[0].ndeps, 1);
	assert_string_equal(m->views[0].deps[0].name, "t");
	assert_int_equal(m->nfunctions, 3);
	/* Procedures spell IN out; argument types drop their modifier. */
	assert_string_equal(m->functions[1].signature,
			    "IN a integer, INOUT b character varying");
	assert_string_equal(m->functions[1].identity_args,
			    "integer, character varying");
	assert_string_equal(m->functions[0].identity_args, "integer");
	assert_string_equal(m->functions[0].signature, "x integer, OUT y text");
	assert_string_equal(m->functions[0].result, "text");
	assert_string_equal(
	    m->triggers[0].definition,
	    "CREATE TRIGGER tr BEFORE UPDATE ON public.t FOR EACH "
	    "ROW EXECUTE FUNCTION public.trg()");
	/* ALL on a table is seven privileges; two were revoked. */
	int alice = 0;
	for (int i = 0; i < m->ngrants; i++)
		if (m->grants[i].grantee &&
		    !strcmp(m->grants[i].grantee, "alice"))
			alice++;
	assert_int_equal(alice, 5);
	/* Plus EXECUTE to PUBLIC on f (granted again), trg and p: the
	 * default every new routine gets. */
	assert_int_equal(m->ngrants, 8);
	model_free(m);
}

static void test_drop_and_enum_changes(void **state)
{
	(void)state;
	expect_same_model("DROP TABLE IF EXISTS t;\n"
			  "CREATE SCHEMA public;\n"
			  "CREATE TYPE m AS ENUM ('a', 'c');\n"
			  "ALTER TYPE m ADD VALUE 'b' BEFORE 'c';\n"
			  "ALTER TYPE m ADD VALUE IF NOT EXISTS 'a';\n"
			  "ALTER TYPE m ADD VALUE 'd';\n"
			  "CREATE TABLE gone (id serial);\n"
			  "CREATE INDEX ON gone (id);\n"
			  "DROP TABLE gone;\n"
			  "CREATE TABLE t (x m);\n",
			  "CREATE TYPE m AS ENUM ('a', 'b', 'c', 'd');\n"
			  "CREATE TABLE t (x m);\n");
	char *msg = parse_err("DROP TABLE nothing;");
	assert_non_null(strstr(msg, "bad.sql:1:"));
	free(msg);
}

/* pg_dump spells partitions out with columns, the parent's checks and
 * attached indexes; the model keeps them on the parent. */
static void test_pg_dump_partitions_equal_hand_written(void **state)
{
	(void)state;
	expect_same_model(
	    "CREATE TABLE ev (id bigint, at date, CHECK (id > 0),"
	    " PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\n"
	    "CREATE TABLE ev_2024 PARTITION OF ev"
	    " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n",
	    "CREATE TABLE public.ev (id bigint NOT NULL, at date NOT NULL,"
	    " CONSTRAINT ev_id_check CHECK ((id > 0)))"
	    " PARTITION BY RANGE (at);\n"
	    "CREATE TABLE public.ev_2024 (id bigint NOT NULL,"
	    " at date NOT NULL, CONSTRAINT ev_id_check CHECK ((id > 0)));\n"
	    "ALTER TABLE ONLY public.ev ATTACH PARTITION public.ev_2024"
	    " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
	    "ALTER TABLE ONLY public.ev ADD CONSTRAINT ev_pkey"
	    " PRIMARY KEY (id, at);\n"
	    "ALTER TABLE ONLY public.ev_2024 ADD CONSTRAINT ev_2024_pkey"
	    " PRIMARY KEY (id, at);\n"
	    "ALTER INDEX public.ev_pkey ATTACH PARTITION"
	    " public.ev_2024_pkey;\n");
}

/* CREATE INDEX ON ONLY a partitioned table: the index on the whole
 * table once every partition there was at the time has its index
 * attached (a partition made later gets its own from the server); until
 * then "ON ONLY", as the live side reads an INVALID one. */
static const char *only_def(const char *sql)
{
	static char buf[256];
	model *m = parse_ok(sql);
	const m_index *x = NULL;
	for (int i = 0; i < m->nindexes; i++)
		if (!strcmp(m->indexes[i].name, "m_k_idx"))
			x = &m->indexes[i];
	assert_non_null(x);
	snprintf(buf, sizeof(buf), "%s", x->definition);
	model_free(m);
	return buf;
}

static void test_on_only_index_until_attached(void **state)
{
	(void)state;
	const char *base =
	    "CREATE TABLE public.m (id int, k int) PARTITION BY RANGE (id);\n"
	    "CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) "
	    "TO (10);\n"
	    "CREATE TABLE public.m2 PARTITION OF public.m FOR VALUES FROM (10) "
	    "TO (20);\n"
	    "CREATE INDEX m_k_idx ON ONLY public.m (k);\n"
	    "CREATE INDEX m1_k_idx ON public.m1 (k);\n"
	    "CREATE INDEX m2_k_idx ON public.m2 (k);\n"
	    "ALTER INDEX public.m_k_idx ATTACH PARTITION public.m1_k_idx;\n";
	char sql[2048];
	assert_string_equal(only_def(base),
			    "CREATE INDEX m_k_idx ON ONLY public.m USING btree "
			    "(k)");
	snprintf(sql, sizeof(sql), "%s%s", base,
		 "ALTER INDEX public.m_k_idx ATTACH PARTITION "
		 "public.m2_k_idx;\n");
	assert_string_equal(only_def(sql),
			    "CREATE INDEX m_k_idx ON public.m USING btree (k)");
	/* A partition made after the index gets it from the server. */
	assert_string_equal(
	    only_def("CREATE TABLE public.m (id int, k int) PARTITION BY "
		     "RANGE (id);\n"
		     "CREATE INDEX m_k_idx ON ONLY public.m (k);\n"
		     "CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES "
		     "FROM (0) TO (10);\n"),
	    "CREATE INDEX m_k_idx ON public.m USING btree (k)");
	/* Attached to another index: still waiting. */
	snprintf(sql, sizeof(sql), "%s%s", base,
		 "CREATE INDEX m_x_idx ON ONLY public.m (k);\n"
		 "ALTER INDEX public.m_x_idx ATTACH PARTITION "
		 "public.m2_k_idx;\n");
	model *m = parse_ok(sql);
	for (int i = 0; i < m->nindexes; i++)
		if (!strcmp(m->indexes[i].name, "m_k_idx"))
			assert_non_null(
			    strstr(m->indexes[i].definition, " ON ONLY "));
	model_free(m);
}

/* The columns views and triggers depend on, from the file alone: a
 * change to any other column leaves them alone (diff_deps.c). */
static bool reads(const m_view *v, const char *table, const char *col)
{
	for (int i = 0; i < v->ncolumn_deps; i++)
		if (!strcmp(v->column_deps[i].table, table) &&
		    !strcmp(v->column_deps[i].column, col))
			return true;
	return false;
}

static void test_column_dependencies(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (id int, a int, b text, c int);\n"
	    "CREATE TABLE u (id int, x int);\n"
	    "CREATE VIEW v AS SELECT t.a, u.x FROM t JOIN u USING (id)\n"
	    "  WHERE t.b <> '';\n"
	    "CREATE VIEW s AS SELECT * FROM t;\n"
	    "CREATE VIEW w AS SELECT r FROM t r;\n"
	    "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS\n"
	    "  $$ BEGIN RETURN NEW; END $$;\n"
	    "CREATE TRIGGER tg BEFORE UPDATE OF c, a ON t FOR EACH ROW\n"
	    "  WHEN (NEW.b IS DISTINCT FROM OLD.b) EXECUTE FUNCTION f();\n"
	    "CREATE TRIGGER tw AFTER UPDATE ON t FOR EACH ROW\n"
	    "  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION f();\n");
	const m_view *s = NULL, *v = NULL, *w = NULL;
	for (int i = 0; i < m->nviews; i++) {
		const m_view *x = &m->views[i];
		if (!strcmp(x->name, "s"))
			s = x;
		else if (!strcmp(x->name, "v"))
			v = x;
		else if (!strcmp(x->name, "w"))
			w = x;
	}
	assert_non_null(s);
	assert_non_null(v);
	assert_non_null(w);
	assert_true(reads(v, "t", "a") && reads(v, "t", "b") &&
		    reads(v, "t", "id") && reads(v, "u", "x") &&
		    reads(v, "u", "id"));
	assert_false(reads(v, "t", "c"));
	assert_false(reads(v, "t", "*"));
	/* SELECT * and a whole-row reference stand for every column. */
	assert_true(reads(s, "t", "*"));
	assert_true(reads(w, "t", "*"));
	const m_trigger *tg = NULL, *tw = NULL;
	for (int i = 0; i < m->ntriggers; i++) {
		if (!strcmp(m->triggers[i].name, "tg"))
			tg = &m->triggers[i];
		if (!strcmp(m->triggers[i].name, "tw"))
			tw = &m->triggers[i];
	}
	assert_non_null(tg);
	assert_non_null(tw);
	/* WHEN's columns and UPDATE OF, sorted; NEW.* pins none. */
	assert_int_equal(tg->ncolumns, 3);
	assert_string_equal(tg->columns[0], "a");
	assert_string_equal(tg->columns[1], "b");
	assert_string_equal(tg->columns[2], "c");
	assert_int_equal(tw->ncolumns, 0);
	model_free(m);
}

/* Statistics objects in the server's spelling: kinds in its order and
 * left out when all are on, columns in attribute order, expressions
 * after them; DROP STATISTICS and DROP TABLE take them away. */
static void test_statistics(void **state)
{
	(void)state;
	model *m =
	    parse_ok("CREATE TABLE t (a int, b text, c int);\n"
		     "CREATE STATISTICS s1 (mcv, ndistinct) ON c, a FROM t;\n"
		     "CREATE STATISTICS s2 (mcv, dependencies, ndistinct)"
		     " ON b, (c + 1) FROM t;\n"
		     "CREATE STATISTICS IF NOT EXISTS s2 ON a, b FROM t;\n"
		     "ALTER STATISTICS s1 SET STATISTICS 300;\n"
		     "COMMENT ON STATISTICS s1 IS 'x';\n"
		     "CREATE STATISTICS gone ON a, b FROM t;\n"
		     "DROP STATISTICS gone;\n"
		     "CREATE TABLE u (a int, b int);\n"
		     "CREATE STATISTICS on_u ON a, b FROM u;\n"
		     "DROP TABLE u;\n");
	assert_int_equal(m->nstatistics, 2);
	assert_int_equal(m->nwarnings, 0);
	assert_string_equal(
	    m->statistics[0].definition,
	    "CREATE STATISTICS public.s1 (ndistinct, mcv) ON a, c "
	    "FROM public.t");
	assert_string_equal(m->statistics[0].stattarget, "300");
	assert_string_equal(m->statistics[0].comment, "x");
	assert_string_equal(m->statistics[1].definition,
			    "CREATE STATISTICS public.s2 ON b, ((c + 1)) FROM "
			    "public.t");
	assert_null(m->statistics[1].stattarget);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_types_are_canonical),
	    cmocka_unit_test(test_implicit_names),
	    cmocka_unit_test(test_serial_expansion),
	    cmocka_unit_test(test_malformed_sql_position),
	    cmocka_unit_test(test_malformed_first_line),
	    cmocka_unit_test(test_unknown_table_is_an_error),
	    cmocka_unit_test(test_warnings_for_unmodelled_statements),
	    cmocka_unit_test(test_equivalent_spellings),
	    cmocka_unit_test(test_pg_dump_serial_equals_hand_written),
	    cmocka_unit_test(test_identity_enum_domain),
	    cmocka_unit_test(test_grants_comments_views_functions),
	    cmocka_unit_test(test_drop_and_enum_changes),
	    cmocka_unit_test(test_pg_dump_partitions_equal_hand_written),
	    cmocka_unit_test(test_on_only_index_until_attached),
	    cmocka_unit_test(test_column_dependencies),
	    cmocka_unit_test(test_statistics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
