/*
 * The canonical CREATE CAST statement, and the USING expression a column's
 * type change needs (cast.h).
 */
#include "cast.h"

#include <string.h>

#include "pg.h"

void pg_cast_target(strbuf *sb, const char *source, const char *target)
{
	strbuf_addf(sb, "(%s AS %s)", source, target);
}

void pg_cast_definition(strbuf *sb, const pg_cast_parts *p)
{
	strbuf_adds(sb, "CREATE CAST ");
	pg_cast_target(sb, p->source, p->target);
	if (p->method == 'f') {
		strbuf_adds(sb, " WITH FUNCTION ");
		if (p->fn_schema && strcmp(p->fn_schema, "pg_catalog"))
			pg_quote_qualified(sb, p->fn_schema, p->fn_name);
		else
			pg_quote_ident(sb, p->fn_name ? p->fn_name : "");
		strbuf_addf(sb, "(%s)", p->fn_args ? p->fn_args : "");
	} else if (p->method == 'i') {
		strbuf_adds(sb, " WITH INOUT");
	} else {
		strbuf_adds(sb, " WITHOUT FUNCTION");
	}
	if (p->context == 'a')
		strbuf_adds(sb, " AS ASSIGNMENT");
	else if (p->context == 'i')
		strbuf_adds(sb, " AS IMPLICIT");
}

/* ---- the USING expression of a type change ---------------------------- */

/*
 * Built-in types whose casts among themselves are all listed in
 * `builtin_casts`: a pair of them that is not listed has no cast, so the
 * change is refused instead of failing on the server. The string types
 * are not here: every type converts to and from them through its text
 * form (the server's I/O conversion casts), so they never need a row.
 */
static const char *const known_types[] = {
    "bigint",
    "bit",
    "bit varying",
    "boolean",
    "bytea",
    "cidr",
    "date",
    "double precision",
    "inet",
    "integer",
    "interval",
    "json",
    "jsonb",
    "macaddr",
    "macaddr8",
    "money",
    "numeric",
    "oid",
    "real",
    "smallint",
    "time with time zone",
    "time without time zone",
    "timestamp with time zone",
    "timestamp without time zone",
    "tsvector",
    "uuid",
    "xml",
};

/* pg_cast between two of known_types (PostgreSQL 15; every context:
 * an explicit cast is what USING writes). */
static const char *const builtin_casts[][2] = {
    {"bigint", "bit"},
    {"bigint", "double precision"},
    {"bigint", "integer"},
    {"bigint", "money"},
    {"bigint", "numeric"},
    {"bigint", "oid"},
    {"bigint", "real"},
    {"bigint", "smallint"},
    {"bit varying", "bit"},
    {"bit", "bigint"},
    {"bit", "bit varying"},
    {"bit", "integer"},
    {"boolean", "integer"},
    {"cidr", "inet"},
    {"date", "timestamp with time zone"},
    {"date", "timestamp without time zone"},
    {"double precision", "bigint"},
    {"double precision", "integer"},
    {"double precision", "numeric"},
    {"double precision", "real"},
    {"double precision", "smallint"},
    {"inet", "cidr"},
    {"integer", "bigint"},
    {"integer", "bit"},
    {"integer", "boolean"},
    {"integer", "double precision"},
    {"integer", "money"},
    {"integer", "numeric"},
    {"integer", "oid"},
    {"integer", "real"},
    {"integer", "smallint"},
    {"interval", "time without time zone"},
    {"jsonb", "bigint"},
    {"jsonb", "boolean"},
    {"jsonb", "double precision"},
    {"jsonb", "integer"},
    {"jsonb", "json"},
    {"jsonb", "numeric"},
    {"jsonb", "real"},
    {"jsonb", "smallint"},
    {"json", "jsonb"},
    {"macaddr8", "macaddr"},
    {"macaddr", "macaddr8"},
    {"money", "numeric"},
    {"numeric", "bigint"},
    {"numeric", "double precision"},
    {"numeric", "integer"},
    {"numeric", "money"},
    {"numeric", "real"},
    {"numeric", "smallint"},
    {"oid", "bigint"},
    {"oid", "integer"},
    {"real", "bigint"},
    {"real", "double precision"},
    {"real", "integer"},
    {"real", "numeric"},
    {"real", "smallint"},
    {"smallint", "bigint"},
    {"smallint", "double precision"},
    {"smallint", "integer"},
    {"smallint", "numeric"},
    {"smallint", "oid"},
    {"smallint", "real"},
    {"time with time zone", "time without time zone"},
    {"time without time zone", "interval"},
    {"time without time zone", "time with time zone"},
    {"timestamp with time zone", "date"},
    {"timestamp with time zone", "time with time zone"},
    {"timestamp with time zone", "time without time zone"},
    {"timestamp with time zone", "timestamp without time zone"},
    {"timestamp without time zone", "date"},
    {"timestamp without time zone", "time without time zone"},
    {"timestamp without time zone", "timestamp with time zone"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static bool is_known(const char *base)
{
	for (size_t i = 0; i < NELEM(known_types); i++)
		if (!strcmp(known_types[i], base))
			return true;
	return false;
}

static bool builtin_cast(const char *from, const char *to)
{
	for (size_t i = 0; i < NELEM(builtin_casts); i++)
		if (!strcmp(builtin_casts[i][0], from) &&
		    !strcmp(builtin_casts[i][1], to))
			return true;
	return false;
}

static bool is_string(const char *base)
{
	return !strcmp(base, "text") || !strcmp(base, "character varying") ||
	       !strcmp(base, "character") || !strcmp(base, "name");
}

/* `type` without one trailing "[]" (format_type prints one for every
 * number of dimensions); true when it had one. */
static bool element_of(strbuf *out, const char *type)
{
	size_t n = strlen(type);
	bool arr = n > 2 && !strcmp(type + n - 2, "[]");
	strbuf_add(out, type, arr ? n - 2 : n);
	return arr;
}

/* A built-in type's name without its modifiers: "numeric(10,2)" and
 * "timestamp(3) without time zone" become "numeric" and "timestamp
 * without time zone". A name a keyword list quotes ("json" where the
 * grammar has a JSON keyword) is unquoted; any other quoted name is a
 * user's type: kept whole. */
static void base_of(strbuf *out, const char *type)
{
	size_t n = strlen(type);
	if (n > 2 && type[0] == '"' && type[n - 1] == '"' &&
	    !memchr(type + 1, '"', n - 2) && !memchr(type + 1, '.', n - 2)) {
		strbuf_add(out, type + 1, n - 2);
		return;
	}
	if (strchr(type, '"')) {
		strbuf_adds(out, type);
		return;
	}
	for (const char *p = type; *p; p++) {
		if (*p == '(') {
			const char *close = strchr(p, ')');
			if (!close)
				break;
			p = close;
			continue;
		}
		strbuf_addch(out, *p);
	}
}

static bool is_enum(const model *m, const char *type)
{
	bool found = false;
	strbuf q = STRBUF_INIT;
	for (int i = 0; m && !found && i < m->nenums; i++) {
		strbuf_reset(&q);
		pg_quote_qualified(&q, m->enums[i].schema, m->enums[i].name);
		found = !strcmp(strbuf_str(&q), type);
	}
	strbuf_release(&q);
	return found;
}

static bool user_cast(const model *m, const char *from, const char *to)
{
	for (int i = 0; m && i < m->ncasts; i++)
		if (!strcmp(m->casts[i].source, from) &&
		    !strcmp(m->casts[i].target, to))
			return true;
	return false;
}

/* One side of a conversion: the element type, its base name, whether it
 * is an array, and what kind of type it is. */
typedef struct cast_side {
	strbuf elem, base;
	bool array, is_enum, known, string;
} cast_side;

static void side_init(cast_side *s, const model *src, const model *dst,
		      const char *type)
{
	strbuf_init(&s->elem);
	strbuf_init(&s->base);
	s->array = element_of(&s->elem, type);
	base_of(&s->base, strbuf_str(&s->elem));
	s->is_enum = is_enum(src, strbuf_str(&s->elem)) ||
		     is_enum(dst, strbuf_str(&s->elem));
	s->known = is_known(strbuf_str(&s->base));
	s->string = is_string(strbuf_str(&s->base));
}

/* True when the server has no cast from `a` to `b` that this file can
 * be sure of the absence of; anything it does not know gets the benefit
 * of the doubt. */
static bool cast_missing(const cast_side *a, const cast_side *b)
{
	/* Through the text form: to or from a string type, any type. */
	if ((a->string && !a->array) || (b->string && !b->array))
		return false;
	bool a_sure = a->known || a->is_enum || a->string,
	     b_sure = b->known || b->is_enum || b->string;
	if (!a_sure || !b_sure)
		return false;
	/* An array and a scalar: no cast but through text. */
	if (a->array != b->array)
		return true;
	if (a->string || b->string ||
	    !strcmp(strbuf_str(&a->base), strbuf_str(&b->base)))
		return false;
	if (a->is_enum || b->is_enum)
		return true;
	return !builtin_cast(strbuf_str(&a->base), strbuf_str(&b->base));
}

bool pg_cast_using(strbuf *sb, const model *src, const model *dst,
		   const char *expr, const char *from, const char *to)
{
	if (user_cast(dst, from, to) || user_cast(src, from, to)) {
		strbuf_addf(sb, "%s::%s", expr, to);
		return true;
	}
	cast_side a, b;
	side_init(&a, src, dst, from);
	side_init(&b, src, dst, to);
	bool ok = true;
	if (a.is_enum && b.is_enum && a.array == b.array &&
	    strcmp(strbuf_str(&a.elem), strbuf_str(&b.elem)))
		/* Two enums: each converts to and from text only. */
		strbuf_addf(sb, "%s::text%s::%s", expr, a.array ? "[]" : "",
			    to);
	else if (cast_missing(&a, &b))
		ok = false;
	else
		strbuf_addf(sb, "%s::%s", expr, to);
	strbuf_release(&a.elem);
	strbuf_release(&a.base);
	strbuf_release(&b.elem);
	strbuf_release(&b.base);
	return ok;
}
