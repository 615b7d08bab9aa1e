/*
 * pg_diff: the statements that turn one PostgreSQL schema model into
 * another. This file holds the entry point and the helpers the
 * generators (diff_*.c) share; diff_order.c puts the statements in order
 * (schema/order.c).
 */
#include "pg.h"

#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "diff_internal.h"

diff_item *diff_emit(diff_ctx *c, int phase, int kind, const char *object,
		     const char *sql)
{
	diff_item *it = arena_alloc(&c->arena, sizeof(*it));
	it->o.phase = phase;
	it->o.seq = c->nitems;
	it->kind = kind;
	it->o.object = arena_strdup(&c->arena, object);
	it->sql = arena_strdup(&c->arena, sql);
	it->transactional = true;
	it->o.anchor = c->anchor;
	it->obj.kind = pg_change_object_kind(kind);
	*ARENA_PUSH(&c->arena, c->items, c->nitems, c->citems) = it;
	return it;
}

diff_item *diff_on(diff_item *it, int objkind, const char *schema,
		   const char *table, const char *name, const char *sub)
{
	if (!it)
		return NULL;
	if (objkind)
		it->obj.kind = objkind;
	it->obj.schema = schema;
	it->obj.table = table;
	it->obj.name = name;
	it->obj.sub = sub;
	return it;
}

void diff_provide(diff_ctx *c, diff_item *it, const char *key)
{
	*ARENA_PUSH(&c->arena, it->o.provides, it->o.nprovides,
		    it->o.cprovides) = key;
}

void diff_need(diff_ctx *c, diff_item *it, const char *key)
{
	*ARENA_PUSH(&c->arena, it->o.needs, it->o.nneeds, it->o.cneeds) = key;
}

const char *diff_key(diff_ctx *c, const char *prefix, const char *schema,
		     const char *name)
{
	return arena_sprintf(&c->arena, "%s\x1f%s\x1f%s", prefix,
			     schema ? schema : "", name ? name : "");
}

const char *diff_key3(diff_ctx *c, const char *prefix, const char *schema,
		      const char *name, const char *sub)
{
	return arena_sprintf(&c->arena, "%s\x1f%s\x1f%s\x1f%s", prefix,
			     schema ? schema : "", name ? name : "",
			     sub ? sub : "");
}

const char *diff_qname(diff_ctx *c, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_qualified(&sb, schema, name);
	char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

const char *diff_qname3(diff_ctx *c, const char *schema, const char *name,
			const char *sub)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_qualified(&sb, schema, name);
	strbuf_addch(&sb, '.');
	pg_quote_ident(&sb, sub);
	char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

int diff_strcmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

bool diff_streq(const char *a, const char *b)
{
	return !diff_strcmp(a, b);
}

int diff_cmp_qualified(const char *s1, const char *n1, const char *s2,
		       const char *n2)
{
	int r = diff_strcmp(s1, s2);
	return r ? r : diff_strcmp(n1, n2);
}

const char *diff_trim_sql(diff_ctx *c, const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	size_t n = strlen(sql);
	while (n && (sql[n - 1] == ' ' || sql[n - 1] == '\n' ||
		     sql[n - 1] == '\t' || sql[n - 1] == ';'))
		n--;
	return arena_strndup(&c->arena, sql, n);
}

diff_item *diff_comment(diff_ctx *c, const char *target, const char *object,
			const char *old, const char *new)
{
	if (diff_streq(old, new))
		return NULL;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "COMMENT ON %s IS ", target);
	if (new)
		pg_quote_literal(&sb, new);
	else
		strbuf_adds(&sb, "NULL");
	diff_item *it =
	    diff_emit(c, PH_GRANT, CHANGE_COMMENT, object, strbuf_str(&sb));
	strbuf_release(&sb);
	return it;
}

/* Open addressing with FNV-1a: the sets hold one key per view or table,
 * so lookups must stay O(1) for models with thousands of objects. */
static unsigned long hash_str(const char *s)
{
	unsigned long h = 1469598103934665603UL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return h;
}

void diff_set_add(diff_ctx *c, diff_set *s, const char *key)
{
	(void)c;
	if (diff_set_has(s, key))
		return;
	if ((s->used + 1) * 2 > s->nslots) {
		int n = s->nslots ? s->nslots * 2 : 64;
		const char **slots = xcalloc((size_t)n, sizeof(*slots));
		for (int i = 0; i < s->nslots; i++) {
			if (!s->slots[i])
				continue;
			unsigned long h = hash_str(s->slots[i]) & (n - 1);
			while (slots[h])
				h = (h + 1) & (n - 1);
			slots[h] = s->slots[i];
		}
		free(s->slots);
		s->slots = slots;
		s->nslots = n;
	}
	unsigned long h = hash_str(key) & (s->nslots - 1);
	while (s->slots[h])
		h = (h + 1) & (s->nslots - 1);
	s->slots[h] = arena_strdup(&c->arena, key);
	s->used++;
}

bool diff_set_has(const diff_set *s, const char *key)
{
	if (!s->nslots)
		return false;
	unsigned long h = hash_str(key) & (s->nslots - 1);
	while (s->slots[h]) {
		if (!strcmp(s->slots[h], key))
			return true;
		h = (h + 1) & (s->nslots - 1);
	}
	return false;
}

void diff_set_free(diff_set *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

/* One binary search over any array of structs that start with
 * (schema, name) and are sorted that way. */
#define FIND_QUALIFIED(fn, type, field)                                        \
	const type *fn(const model *m, const char *schema, const char *name)   \
	{                                                                      \
		int lo = 0, hi = m->n##field - 1;                              \
		while (lo <= hi) {                                             \
			int mid = lo + (hi - lo) / 2;                          \
			const type *x = &m->field[mid];                        \
			int r = diff_cmp_qualified(schema, name, x->schema,    \
						   x->name);                   \
			if (!r)                                                \
				return x;                                      \
			if (r < 0)                                             \
				hi = mid - 1;                                  \
			else                                                   \
				lo = mid + 1;                                  \
		}                                                              \
		return NULL;                                                   \
	}

FIND_QUALIFIED(diff_find_view, m_view, views)
FIND_QUALIFIED(diff_find_sequence, m_sequence, sequences)
FIND_QUALIFIED(diff_find_enum, m_enum, enums)
FIND_QUALIFIED(diff_find_domain, m_domain, domains)
FIND_QUALIFIED(diff_find_composite, m_composite, composites)
FIND_QUALIFIED(diff_find_range, m_range, ranges)
FIND_QUALIFIED(diff_find_index, m_index, indexes)

bool diff_has_type(const model *m, const char *schema, const char *name)
{
	return diff_find_enum(m, schema, name) ||
	       diff_find_domain(m, schema, name) ||
	       diff_find_composite(m, schema, name);
}

const m_function *diff_find_function(const model *m, const char *schema,
				     const char *name, const char *args)
{
	int lo = 0, hi = m->nfunctions - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		const m_function *f = &m->functions[mid];
		int r = diff_cmp_qualified(schema, name, f->schema, f->name);
		if (!r)
			r = diff_strcmp(args, f->identity_args);
		if (!r)
			return f;
		if (r < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool diff_has_schema(const model *m, const char *name)
{
	int lo = 0, hi = m->nschemas - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int r = diff_strcmp(name, m->schemas[mid].name);
		if (!r)
			return true;
		if (r < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return false;
}

/* Read one identifier of a canonical type string: "name" or "\"Name\"".
 * Returns the position after it, or NULL when it is not one. */
static const char *read_ident(diff_ctx *c, const char *p, const char **out)
{
	strbuf sb = STRBUF_INIT;
	if (*p == '"') {
		for (p++; *p; p++) {
			if (*p == '"') {
				if (p[1] != '"')
					break;
				p++;
			}
			strbuf_addch(&sb, *p);
		}
		if (*p != '"') {
			strbuf_release(&sb);
			return NULL;
		}
		p++;
	} else {
		while (*p && *p != '.' && *p != '[' && *p != '(' && *p != ' ')
			strbuf_addch(&sb, *p++);
	}
	*out = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return p;
}

bool diff_type_ref(diff_ctx *c, const char *type, const char **schema,
		   const char **name)
{
	if (!type)
		return false;
	const char *p = read_ident(c, type, schema);
	if (!p || *p != '.')
		return false;
	p = read_ident(c, p + 1, name);
	return p && (!*p || *p == '[');
}

bool diff_mentions_table(diff_ctx *c, const model *m, const char *text)
{
	for (const char *p = text; p && *p; p++) {
		if (p != text && !strchr(" ,(", p[-1]))
			continue;
		const char *schema, *name;
		const char *q = read_ident(c, p, &schema);
		if (!q || *q != '.')
			continue;
		q = read_ident(c, q + 1, &name);
		if (q && model_find_table(m, schema, name))
			return true;
	}
	return false;
}

static bool ident_char(char ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (unsigned char)ch >= 0x80;
}

bool diff_calls(const char *def, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = def ? strstr(def, name) : NULL; p;
	     p = strstr(p + 1, name))
		if ((p == def || !ident_char(p[-1])) &&
		    (p[n] == '(' || (p[n] == '"' && p[n + 1] == '(')))
			return true;
	return false;
}

int pg_diff(const model *from, const model *to, diff_result *out, error *e)
{
	diff_ctx c;
	memset(&c, 0, sizeof(c));
	c.from = from;
	c.to = to;
	c.mixed = from->introspected != to->introspected;
	c.result = out;
	/* Marks first (what columns change, what must be re-created), then
	 * every generator; each only emits, the order comes at the end. */
	int rc = diff_tables_prepare(&c, e);
	if (!rc)
		rc = diff_schemas(&c, e);
	if (!rc)
		rc = diff_collations(&c, e);
	if (!rc)
		rc = diff_types(&c, e);
	if (!rc)
		diff_mark_rebuilt_uses(&c);
	if (!rc)
		rc = diff_sequences(&c, e);
	if (!rc)
		rc = diff_functions(&c, e);
	if (!rc)
		rc = diff_operators(&c, e);
	if (!rc)
		rc = diff_casts(&c, e);
	if (!rc)
		rc = diff_textsearch(&c, e);
	if (!rc)
		rc = diff_views(&c, e);
	if (!rc)
		rc = diff_tables(&c, e);
	if (!rc)
		rc = diff_indexes(&c, e);
	if (!rc)
		rc = diff_statistics(&c, e);
	if (!rc)
		rc = diff_triggers(&c, e);
	if (!rc)
		rc = diff_policies(&c, e);
	if (!rc)
		rc = diff_settings(&c, e);
	if (!rc)
		rc = diff_grants(&c, e);
	if (!rc)
		diff_order(&c, out);
	diff_set_free(&c.recreated);
	diff_set_free(&c.rebuilt_types);
	diff_set_free(&c.rebuilt_uses);
	diff_set_free(&c.cols);
	arena_free(&c.arena);
	return rc;
}
