/*
 * Text search dictionaries and configurations. Both are made with the
 * types (phase 21), dictionaries before the configurations that map to
 * them, so that columns, indexes and views written with
 * 'cfg'::regconfig find them; dropped after those (phase 72),
 * configurations before their dictionaries.
 *
 * Indexes and columns hold a configuration by oid, so it is changed in
 * place whenever the server allows: a dictionary's options by ALTER TEXT
 * SEARCH DICTIONARY, a configuration's mappings by ADD / ALTER / DROP
 * MAPPING. An expression index over a configuration whose mappings
 * change stays valid but holds what the old mappings made: it is
 * re-indexed. Only a new template or parser needs a drop and a new
 * object: a dictionary is swapped out of the mappings for the time it
 * takes (one step), a configuration that anything uses is refused,
 * naming the users.
 *
 * Mapping changes of an existing configuration are written so that they
 * hold whatever the configuration maps at the time (ALTER MAPPING FOR
 * sets a token whether it was mapped or not, DROP MAPPING IF EXISTS).
 */
#include "pg.h"

#include <stdio.h>
#include <string.h>

#include "diff_internal.h"
#include "textsearch.h"

/* ---- dictionaries ---------------------------------------------------- */

static const char *dict_key(diff_ctx *c, const char *prefix, const char *q)
{
	return diff_key(c, prefix, NULL, q);
}

static void dict_drop(diff_ctx *c, const m_ts_dict *d, int phase)
{
	const char *q = diff_qname(c, d->schema, d->name);
	diff_item *it = diff_on(
	    diff_emit(
		c, phase, PGC_DROP_TS_DICT, q,
		arena_sprintf(&c->arena, "DROP TEXT SEARCH DICTIONARY %s", q)),
	    0, d->schema, NULL, d->name, NULL);
	diff_need(c, it, dict_key(c, "predroptsdict", q));
}

static void dict_create(diff_ctx *c, const m_ts_dict *d)
{
	const char *q = diff_qname(c, d->schema, d->name);
	strbuf sb = STRBUF_INIT;
	pg_ts_dict_definition(&sb, d->schema, d->name, d->template_name,
			      d->options);
	diff_item *it = diff_on(
	    diff_emit(c, PH_TYPE, PGC_CREATE_TS_DICT, q, strbuf_str(&sb)), 0,
	    d->schema, NULL, d->name, NULL);
	strbuf_release(&sb);
	diff_provide(c, it, dict_key(c, "tsdict", q));
	diff_need(c, it, diff_key(c, "schema", NULL, d->schema));
}

/* True when option list `opts` has an option whose key is written as
 * `key` (klen bytes). */
static bool has_option(const char *opts, const char *key, size_t klen)
{
	const char *k, *end;
	size_t l;
	for (const char *p = opts; p && *p;) {
		p = pg_ts_next_option(p, &k, &l, &end);
		if (l == klen && !strncmp(k, key, klen))
			return true;
	}
	return false;
}

/* ALTER TEXT SEARCH DICTIONARY d (gone, kept = 'v', ...): an option
 * without a value is removed; every target option is given again, so
 * the server's list ends as the target's, in its order. */
static void dict_options(diff_ctx *c, const m_ts_dict *a, const m_ts_dict *b)
{
	if (diff_streq(a->options, b->options))
		return;
	const char *q = diff_qname(c, b->schema, b->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TEXT SEARCH DICTIONARY %s (", q);
	size_t start = sb.len;
	const char *k, *end;
	size_t klen;
	for (const char *p = a->options; p && *p;) {
		p = pg_ts_next_option(p, &k, &klen, &end);
		if (has_option(b->options, k, klen))
			continue;
		if (sb.len > start)
			strbuf_adds(&sb, ", ");
		strbuf_add(&sb, k, klen);
	}
	if (b->options && *b->options)
		strbuf_addf(&sb, "%s%s", sb.len > start ? ", " : "",
			    b->options);
	strbuf_addch(&sb, ')');
	diff_on(diff_emit(c, PH_TYPE, PGC_ALTER_TS_DICT, q, strbuf_str(&sb)), 0,
		b->schema, NULL, b->name, NULL);
	strbuf_release(&sb);
}

static void dict_comment(diff_ctx *c, const m_ts_dict *d, const char *old)
{
	const char *q = diff_qname(c, d->schema, d->name);
	diff_on(diff_comment(
		    c, arena_sprintf(&c->arena, "TEXT SEARCH DICTIONARY %s", q),
		    q, old, d->comment),
		PGO_TS_DICT, d->schema, NULL, d->name, NULL);
}

/* Does configuration `g` map to dictionary `q` (qualified)? */
static bool maps_dict(const m_ts_config *g, const char *q)
{
	size_t n = strlen(q);
	for (int i = 0; i < g->nmappings; i++)
		for (const char *p = strstr(g->mappings[i].dicts, q); p;
		     p = strstr(p + 1, q))
			if ((p == g->mappings[i].dicts || p[-1] == ' ') &&
			    (!p[n] || p[n] == ','))
				return true;
	return false;
}

static const m_ts_config *find_config(const model *m, const m_ts_config *g)
{
	for (int i = 0; i < m->nts_configs; i++)
		if (!diff_cmp_qualified(m->ts_configs[i].schema,
					m->ts_configs[i].name, g->schema,
					g->name))
			return &m->ts_configs[i];
	return NULL;
}

/*
 * A new template: DROP and CREATE, which the configurations mapping to
 * the dictionary would block. For that one step they map to a stand-in
 * (ALTER MAPPING REPLACE, every token at once, whatever they map at the
 * time), so the statement needs no knowledge of the mappings and its
 * reverse undoes it in any state. Configurations that map to it after
 * the change learn of it through the mark (re-indexing).
 */
static void dict_swap(diff_ctx *c, const m_ts_dict *a, const m_ts_dict *b)
{
	const char *q = diff_qname(c, a->schema, a->name);
	diff_set_add(c, &c->recreated, dict_key(c, "tsdict", q));
	char stand_in[64];
	snprintf(stand_in, sizeof(stand_in), "schemig_swap_%s", a->name);
	const char *tmp = diff_qname(c, a->schema, stand_in);
	strbuf sb = STRBUF_INIT, back = STRBUF_INIT;
	for (int i = 0; i < c->from->nts_configs; i++) {
		const m_ts_config *g = &c->from->ts_configs[i];
		const m_ts_config *h = find_config(c->to, g);
		if (!maps_dict(g, q) && !(h && maps_dict(h, q)))
			continue;
		const char *cq = diff_qname(c, g->schema, g->name);
		strbuf_addf(&sb,
			    "ALTER TEXT SEARCH CONFIGURATION %s ALTER MAPPING "
			    "REPLACE %s WITH %s;\n",
			    cq, q, tmp);
		strbuf_addf(&back,
			    ";\nALTER TEXT SEARCH CONFIGURATION %s ALTER "
			    "MAPPING REPLACE %s WITH %s",
			    cq, tmp, q);
	}
	strbuf sql = STRBUF_INIT;
	if (sb.len)
		strbuf_addf(&sql,
			    "CREATE TEXT SEARCH DICTIONARY %s (TEMPLATE = "
			    "simple);\n%s",
			    tmp, strbuf_str(&sb));
	strbuf_addf(&sql, "DROP TEXT SEARCH DICTIONARY %s;\n", q);
	pg_ts_dict_definition(&sql, b->schema, b->name, b->template_name,
			      b->options);
	if (back.len)
		strbuf_addf(&sql, "%s;\nDROP TEXT SEARCH DICTIONARY %s",
			    strbuf_str(&back), tmp);
	diff_item *it = diff_on(
	    diff_emit(c, PH_TYPE, PGC_REPLACE_TS_DICT, q, strbuf_str(&sql)), 0,
	    a->schema, NULL, a->name, NULL);
	diff_provide(c, it, dict_key(c, "tsdict", q));
	strbuf_release(&sql);
	strbuf_release(&sb);
	strbuf_release(&back);
}

static void diff_dicts(diff_ctx *c)
{
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->nts_dicts, t->nts_dicts,
	    diff_cmp_qualified(f->ts_dicts[i_].schema, f->ts_dicts[i_].name,
			       t->ts_dicts[j_].schema, t->ts_dicts[j_].name),
	    dict_drop(c, &f->ts_dicts[i_], PH_DROP_TYPE),
	    {
		    dict_create(c, &t->ts_dicts[j_]);
		    dict_comment(c, &t->ts_dicts[j_], NULL);
	    },
	    {
		    const m_ts_dict *x = &f->ts_dicts[i_];
		    const m_ts_dict *y = &t->ts_dicts[j_];
		    if (!diff_streq(x->template_name, y->template_name)) {
			    dict_swap(c, x, y);
			    dict_comment(c, y, NULL);
		    } else {
			    dict_options(c, x, y);
			    dict_comment(c, y, x->comment);
		    }
	    });
}

/* ---- configurations -------------------------------------------------- */

/* Call `fn` with the key `prefix` + each user dictionary of a mapping's
 * list (the qualified ones: pg_catalog's are never made or dropped). */
static void dict_keys(diff_ctx *c, diff_item *it, const char *dicts,
		      const char *prefix,
		      void (*fn)(diff_ctx *, diff_item *, const char *))
{
	for (const char *p = dicts; p && *p;) {
		const char *e = strstr(p, ", ");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *d = arena_strndup(&c->arena, p, n);
		if (strchr(d, '.'))
			fn(c, it, dict_key(c, prefix, d));
		p = e ? e + 2 : NULL;
	}
}

/* One ADD ('A'), ALTER ('M') or DROP ('D') MAPPING for one token. */
typedef struct map_change {
	char action;
	const char *token, *dicts;
} map_change;

/*
 * The changes as few statements, appended to `sb` (";\n" between): the
 * tokens with the same action and the same dictionaries share one. The
 * item they go into needs every dictionary they map to.
 */
static void map_sql(diff_ctx *c, strbuf *sb, const char *q, map_change *ch,
		    int n)
{
	static const char *const verbs[] = {"ADD", "ALTER", "DROP"};
	bool *done = arena_alloc(&c->arena, sizeof(bool) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		if (done[i])
			continue;
		int v = ch[i].action == 'A' ? 0 : ch[i].action == 'M' ? 1 : 2;
		strbuf_addf(
		    sb,
		    "%sALTER TEXT SEARCH CONFIGURATION %s %s MAPPING %sFOR ",
		    sb->len ? ";\n" : "", q, verbs[v],
		    v == 2 ? "IF EXISTS " : "");
		for (int j = i; j < n; j++) {
			if (done[j] || ch[j].action != ch[i].action ||
			    (v < 2 && strcmp(ch[j].dicts, ch[i].dicts)))
				continue;
			done[j] = true;
			strbuf_addf(sb, "%s%s", j > i ? ", " : "", ch[j].token);
		}
		if (v < 2)
			strbuf_addf(sb, " WITH %s", ch[i].dicts);
	}
}

static void map_needs(diff_ctx *c, diff_item *it, const m_ts_config *g)
{
	for (int i = 0; i < g->nmappings; i++)
		dict_keys(c, it, g->mappings[i].dicts, "tsdict", diff_need);
}

static void config_drop(diff_ctx *c, const m_ts_config *g, int phase)
{
	const char *q = diff_qname(c, g->schema, g->name);
	diff_item *it = diff_on(
	    diff_emit(c, phase, PGC_DROP_TS_CONFIG, q,
		      arena_sprintf(&c->arena,
				    "DROP TEXT SEARCH CONFIGURATION %s", q)),
	    0, g->schema, NULL, g->name, NULL);
	for (int i = 0; i < g->nmappings; i++)
		dict_keys(c, it, g->mappings[i].dicts, "predroptsdict",
			  diff_provide);
}

static void config_comment(diff_ctx *c, const m_ts_config *g, const char *old)
{
	const char *q = diff_qname(c, g->schema, g->name);
	diff_on(diff_comment(
		    c,
		    arena_sprintf(&c->arena, "TEXT SEARCH CONFIGURATION %s", q),
		    q, old, g->comment),
		PGO_TS_CONFIG, g->schema, NULL, g->name, NULL);
}

/* CREATE and the ADD MAPPINGs in one statement list: the plan's
 * rollback of the step is the DROP. */
static void config_create(diff_ctx *c, const m_ts_config *g)
{
	const char *q = diff_qname(c, g->schema, g->name);
	map_change *ch =
	    arena_alloc(&c->arena, sizeof(*ch) * (size_t)(g->nmappings + 1));
	for (int i = 0; i < g->nmappings; i++)
		ch[i] = (map_change){'A', g->mappings[i].token,
				     g->mappings[i].dicts};
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE TEXT SEARCH CONFIGURATION %s (PARSER = %s)", q,
		    g->parser);
	map_sql(c, &sb, q, ch, g->nmappings);
	diff_item *it = diff_on(
	    diff_emit(c, PH_TYPE, PGC_CREATE_TS_CONFIG, q, strbuf_str(&sb)), 0,
	    g->schema, NULL, g->name, NULL);
	strbuf_release(&sb);
	diff_provide(c, it, diff_key(c, "tsconfig", NULL, q));
	diff_need(c, it, diff_key(c, "schema", NULL, g->schema));
	map_needs(c, it, g);
	config_comment(c, g, NULL);
}

/* How the server spells the configuration in an expression:
 * 'public.cfg'::regconfig. */
static const char *regconfig(diff_ctx *c, const char *q)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_literal(&sb, q);
	strbuf_adds(&sb, "::regconfig");
	const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

/* Expression indexes over a configuration whose mappings changed hold
 * the old mappings' lexemes: REINDEX them (those the index differ makes
 * anew need not be). Appended to `sb`; returns how many. */
static int reindex_users(diff_ctx *c, strbuf *sb, const char *q)
{
	const char *needle = regconfig(c, q);
	const model *f = c->from, *t = c->to;
	int n = 0;
	for (int i = 0; i < f->nindexes; i++) {
		const m_index *x = &f->indexes[i];
		if (!strstr(x->definition, needle))
			continue;
		for (int j = 0; j < t->nindexes; j++) {
			const m_index *y = &t->indexes[j];
			if (diff_cmp_qualified(x->schema, x->name, y->schema,
					       y->name) ||
			    !diff_streq(x->definition, y->definition))
				continue;
			strbuf_addf(sb, "%sREINDEX INDEX %s",
				    sb->len ? ";\n" : "",
				    diff_qname(c, y->schema, y->name));
			n++;
		}
	}
	return n;
}

static bool uses_recreated(diff_ctx *c, const char *dicts)
{
	for (const char *p = dicts; p && *p;) {
		const char *e = strstr(p, ", ");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (diff_set_has(
			&c->recreated,
			dict_key(c, "tsdict", arena_strndup(&c->arena, p, n))))
			return true;
		p = e ? e + 2 : NULL;
	}
	return false;
}

static void config_mappings(diff_ctx *c, const m_ts_config *a,
			    const m_ts_config *b)
{
	const char *q = diff_qname(c, b->schema, b->name);
	int n = 0;
	map_change *ch = arena_alloc(
	    &c->arena, sizeof(*ch) * (size_t)(a->nmappings + b->nmappings + 1));
	/* ALTER MAPPING FOR for new tokens too: see the top of the file. */
	MERGE_WALK(
	    a->nmappings, b->nmappings,
	    strcmp(a->mappings[i_].token, b->mappings[j_].token),
	    ch[n++] = ((map_change){'D', a->mappings[i_].token,
				    a->mappings[i_].dicts}),
	    ch[n++] = ((map_change){'M', b->mappings[j_].token,
				    b->mappings[j_].dicts}),
	    {
		    if (strcmp(a->mappings[i_].dicts, b->mappings[j_].dicts))
			    ch[n++] = ((map_change){'M', b->mappings[j_].token,
						    b->mappings[j_].dicts});
	    });
	/* A dictionary made anew under a mapping changes what it makes. */
	bool swapped = false;
	for (int i = 0; i < b->nmappings && !swapped; i++)
		swapped = uses_recreated(c, b->mappings[i].dicts);
	if (!n && !swapped)
		return;
	/*
	 * One step for the mappings and the re-indexing: the plan's rollback
	 * of it is the reverse diff's one statement list, which restores the
	 * mappings before it re-indexes. Its own kind when it re-indexes, for
	 * the lock that takes.
	 */
	strbuf sb = STRBUF_INIT;
	map_sql(c, &sb, q, ch, n);
	bool reindex = reindex_users(c, &sb, q) > 0;
	if (sb.len) {
		diff_item *it =
		    diff_on(diff_emit(c, PH_TYPE,
				      reindex ? PGC_ALTER_TS_CONFIG_REINDEX
					      : PGC_ALTER_TS_CONFIG,
				      q, strbuf_str(&sb)),
			    0, b->schema, NULL, b->name, NULL);
		diff_need(c, it, diff_key(c, "tsconfig", NULL, q));
		map_needs(c, it, b);
	}
	strbuf_release(&sb);
}

static int config_changed(diff_ctx *c, const m_ts_config *a,
			  const m_ts_config *b, error *e)
{
	if (diff_streq(a->parser, b->parser)) {
		config_mappings(c, a, b);
		config_comment(c, b, a->comment);
		return 0;
	}
	/* The parser is fixed at creation; what holds the configuration's
	 * oid would keep the server from dropping it. */
	const char *q = diff_qname(c, a->schema, a->name);
	strbuf users = STRBUF_INIT;
	if (diff_users(c, c->from, regconfig(c, q), NULL, &users)) {
		error_set(e, EXIT_USAGE,
			  "text search configuration %s: changing its parser "
			  "(%s to %s) is not supported while it is used by %s; "
			  "create a new configuration and move them to it",
			  q, a->parser, b->parser, strbuf_str(&users));
		strbuf_release(&users);
		return -1;
	}
	strbuf_release(&users);
	config_drop(c, a, PH_DROP_CONSTRAINT);
	config_create(c, b);
	return 0;
}

int diff_textsearch(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	int rc = 0;
	diff_dicts(c);
	MERGE_WALK(f->nts_configs, t->nts_configs,
		   diff_cmp_qualified(
		       f->ts_configs[i_].schema, f->ts_configs[i_].name,
		       t->ts_configs[j_].schema, t->ts_configs[j_].name),
		   config_drop(c, &f->ts_configs[i_], PH_DROP_TYPE),
		   config_create(c, &t->ts_configs[j_]), {
			   if (!rc)
				   rc = config_changed(c, &f->ts_configs[i_],
						       &t->ts_configs[j_], e);
		   });
	return rc;
}
