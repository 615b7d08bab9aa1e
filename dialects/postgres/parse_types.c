/*
 * Type names as format_type() prints them, from the parser's TypeName.
 *
 * The grammar already turns SQL-standard spellings (INTEGER, DOUBLE
 * PRECISION, VARCHAR, TIMESTAMP WITH TIME ZONE...) into pg_catalog's
 * internal names; internal names written by hand (int4, timestamptz) come
 * through unqualified. Both meet in the table below.
 */
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"
#include "pg.h"

/* Internal name -> format_type spelling. `mod` says how a type modifier
 * is printed: 0 none, 1 "(n)" after the name, 2 "(p,s)" numeric,
 * 3 "(p)" before " with(out) time zone". */
static const struct {
	const char *internal, *canonical;
	int mod;
} builtin[] = {
    {"bool", "boolean", 0},
    {"boolean", "boolean", 0},
    {"int2", "smallint", 0},
    {"smallint", "smallint", 0},
    {"int4", "integer", 0},
    {"int", "integer", 0},
    {"integer", "integer", 0},
    {"int8", "bigint", 0},
    {"bigint", "bigint", 0},
    {"float4", "real", 0},
    {"real", "real", 0},
    {"float8", "double precision", 0},
    {"numeric", "numeric", 2},
    {"decimal", "numeric", 2},
    {"varchar", "character varying", 1},
    {"bpchar", "character", 1},
    {"bit", "bit", 1},
    {"varbit", "bit varying", 1},
    {"timestamp", "timestamp", 3},
    {"timestamptz", "timestamp", 3},
    {"time", "time", 3},
    {"timetz", "time", 3},
    {"interval", "interval", 1},
};

/*
 * Every type of pg_catalog but the array types (written name[]) and the
 * catalogs' row types: an unqualified name among them is the built-in
 * type (pg_catalog comes first in every search path), which format_type
 * prints unqualified and as written. Sorted (bsearch). Generated with
 *
 *   SELECT typname FROM pg_type
 *   WHERE typnamespace = 'pg_catalog'::regnamespace
 *     AND typrelid = 0 AND typname !~ '^_' ORDER BY typname;
 *
 * on PostgreSQL 15; 12 to 14 have a subset of it (13 added xid8,
 * pg_snapshot and the anycompatible family, 14 the multiranges and the
 * BRIN summaries), and 16 and 17 add no type to it.
 */
static const char *const catalog_types[] = {
    "aclitem",
    "any",
    "anyarray",
    "anycompatible",
    "anycompatiblearray",
    "anycompatiblemultirange",
    "anycompatiblenonarray",
    "anycompatiblerange",
    "anyelement",
    "anyenum",
    "anymultirange",
    "anynonarray",
    "anyrange",
    "bit",
    "bool",
    "box",
    "bpchar",
    "bytea",
    "char",
    "cid",
    "cidr",
    "circle",
    "cstring",
    "date",
    "datemultirange",
    "daterange",
    "event_trigger",
    "fdw_handler",
    "float4",
    "float8",
    "gtsvector",
    "index_am_handler",
    "inet",
    "int2",
    "int2vector",
    "int4",
    "int4multirange",
    "int4range",
    "int8",
    "int8multirange",
    "int8range",
    "internal",
    "interval",
    "json",
    "jsonb",
    "jsonpath",
    "language_handler",
    "line",
    "lseg",
    "macaddr",
    "macaddr8",
    "money",
    "name",
    "numeric",
    "nummultirange",
    "numrange",
    "oid",
    "oidvector",
    "path",
    "pg_brin_bloom_summary",
    "pg_brin_minmax_multi_summary",
    "pg_ddl_command",
    "pg_dependencies",
    "pg_lsn",
    "pg_mcv_list",
    "pg_ndistinct",
    "pg_node_tree",
    "pg_snapshot",
    "point",
    "polygon",
    "record",
    "refcursor",
    "regclass",
    "regcollation",
    "regconfig",
    "regdictionary",
    "regnamespace",
    "regoper",
    "regoperator",
    "regproc",
    "regprocedure",
    "regrole",
    "regtype",
    "table_am_handler",
    "text",
    "tid",
    "time",
    "timestamp",
    "timestamptz",
    "timetz",
    "trigger",
    "tsm_handler",
    "tsmultirange",
    "tsquery",
    "tsrange",
    "tstzmultirange",
    "tstzrange",
    "tsvector",
    "txid_snapshot",
    "unknown",
    "uuid",
    "varbit",
    "varchar",
    "void",
    "xid",
    "xid8",
    "xml",
};

static int cmp_name(const void *key, const void *item)
{
	return strcmp(key, *(const char *const *)item);
}

static bool is_catalog_type(const char *name)
{
	return bsearch(name, catalog_types,
		       sizeof(catalog_types) / sizeof(*catalog_types),
		       sizeof(*catalog_types), cmp_name) != NULL;
}

static int typmod_int(const pnode *n, long *v)
{
	if (n->node_case == NC(A_CONST) &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
		*v = n->a_const->ival->ival;
		return 0;
	}
	return -1;
}

/* Modifiers that are not plain integers (rare): printed via deparse. */
static void add_typmods(strbuf *sb, const PgQuery__TypeName *tn, int mod)
{
	long a = 0, b = 0;
	if (!tn->n_typmods)
		return;
	if (mod == 2 && typmod_int(tn->typmods[0], &a) == 0) {
		if (tn->n_typmods > 1)
			typmod_int(tn->typmods[1], &b);
		strbuf_addf(sb, "(%ld,%ld)", a, b);
		return;
	}
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < tn->n_typmods; i++) {
		if (i)
			strbuf_adds(sb, ",");
		if (typmod_int(tn->typmods[i], &a) == 0)
			strbuf_addf(sb, "%ld", a);
		else
			pp_expr_sb(sb, tn->typmods[i]);
	}
	strbuf_addch(sb, ')');
}

void pp_visible_name(strbuf *sb, const char *schema, const char *name)
{
	if (schema && strcmp(schema, "pg_catalog"))
		pg_quote_qualified(sb, schema, name);
	else
		pg_quote_ident(sb, name);
}

static int serial_kind(const char *n)
{
	if (!strcmp(n, "serial") || !strcmp(n, "serial4"))
		return 4;
	if (!strcmp(n, "bigserial") || !strcmp(n, "serial8"))
		return 8;
	if (!strcmp(n, "smallserial") || !strcmp(n, "serial2"))
		return 2;
	return 0;
}

void pp_type_name(strbuf *sb, const PgQuery__TypeName *tn, int *serial)
{
	const char *schema = NULL, *name = NULL;
	if (serial)
		*serial = 0;
	if (tn->n_names == 1) {
		name = pp_sval(tn->names[0]);
	} else if (tn->n_names >= 2) {
		schema = pp_sval(tn->names[tn->n_names - 2]);
		name = pp_sval(tn->names[tn->n_names - 1]);
	}
	if (!name) {
		strbuf_adds(sb, "unknown");
		return;
	}
	if (tn->setof)
		strbuf_adds(sb, "SETOF ");
	bool catalog = !schema || !strcmp(schema, "pg_catalog");
	bool done = false;
	if (catalog && !schema && serial && serial_kind(name)) {
		*serial = serial_kind(name);
		strbuf_adds(sb, *serial == 8   ? "bigint"
				: *serial == 4 ? "integer"
					       : "smallint");
		done = true;
	}
	for (size_t i = 0;
	     catalog && !done && i < sizeof(builtin) / sizeof(*builtin); i++) {
		if (strcmp(name, builtin[i].internal))
			continue;
		if (!strcmp(name, "bpchar") && !tn->n_typmods) {
			strbuf_adds(sb, "bpchar");
		} else if (builtin[i].mod == 3) {
			strbuf_adds(sb, builtin[i].canonical);
			add_typmods(sb, tn, 1);
			strbuf_adds(sb, strstr(name, "tz")
					    ? " with time zone"
					    : " without time zone");
		} else {
			strbuf_adds(sb, builtin[i].canonical);
			add_typmods(sb, tn, builtin[i].mod);
		}
		done = true;
	}
	/* The grammar turns CHAR into bpchar, so "char" here is the
	 * one-byte internal type, which format_type quotes. */
	if (!done && catalog && !strcmp(name, "char")) {
		strbuf_adds(sb, "\"char\"");
		done = true;
	}
	if (!done && catalog && is_catalog_type(name)) {
		pg_quote_ident(sb, name);
		add_typmods(sb, tn, 1);
		done = true;
	}
	if (!done) {
		/* A user type: format_type qualifies it (public when the
		 * file left the schema out). */
		pp_visible_name(sb, schema ? schema : "public", name);
		add_typmods(sb, tn, 1);
	}
	/* format_type prints one [] whatever the dimensions. */
	if (tn->n_array_bounds)
		strbuf_adds(sb, "[]");
}

void pp_type_name_nomod(strbuf *sb, const PgQuery__TypeName *tn)
{
	PgQuery__TypeName bare = *tn;
	bare.n_typmods = 0;
	size_t start = sb->len;
	pp_type_name(sb, &bare, NULL);
	/* format_type() without a modifier calls bpchar "character". */
	const char *s = sb->buf ? sb->buf + start : "";
	if (!strncmp(s, "bpchar", 6) && (!s[6] || s[6] == '[')) {
		strbuf tail = STRBUF_INIT;
		strbuf_addf(&tail, "character%s", s + 6);
		strbuf_setlen(sb, start);
		strbuf_adds(sb, strbuf_str(&tail));
		strbuf_release(&tail);
	}
}

char *pp_type_str(pp_ctx *c, const PgQuery__TypeName *tn)
{
	strbuf sb = STRBUF_INIT;
	pp_type_name(&sb, tn, NULL);
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

char *pp_collation(pp_ctx *c, const PgQuery__CollateClause *cc)
{
	const char *schema = NULL, *name = NULL;
	if (!cc || !cc->n_collname)
		return NULL;
	if (cc->n_collname == 1) {
		name = pp_sval(cc->collname[0]);
	} else {
		schema = pp_sval(cc->collname[cc->n_collname - 2]);
		name = pp_sval(cc->collname[cc->n_collname - 1]);
	}
	if (!name || !strcmp(name, "default"))
		return NULL;
	strbuf sb = STRBUF_INIT;
	pp_visible_name(&sb, schema, name);
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}
