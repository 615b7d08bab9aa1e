/*
 * Partial normalisation, part one: which relations differ, and what of
 * the parsed model to load for them (schema/subset.h).
 */
#include "subset.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "../util/strmap.h"
#include "../util/xalloc.h"
#include "subset_internal.h"

const char *subset_key(strbuf *sb, const char *schema, const char *name)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s\x1f%s", schema ? schema : "", name ? name : "");
	return strbuf_str(sb);
}

const char *subset_key3(strbuf *sb, const char *schema, const char *table,
			const char *name)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s\x1f%s\x1f%s", schema ? schema : "",
		    table ? table : "", name ? name : "");
	return strbuf_str(sb);
}

bool subset_is_dirty(const subset *s, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	bool dirty = strmap_contains(&s->dirty, subset_key(&sb, schema, name));
	strbuf_release(&sb);
	return dirty;
}

static bool has(const strmap *m, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	bool found = strmap_contains(m, subset_key(&sb, schema, name));
	strbuf_release(&sb);
	return found;
}

/* Add (schema, name) to `m`; true when it was new. */
static bool add(strmap *m, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	bool added = strmap_add(m, subset_key(&sb, schema, name), NULL);
	strbuf_release(&sb);
	return added;
}

/* ---- which relations are dirty --------------------------------------- */

/*
 * What no partial load reproduces faithfully: a statement the parser did
 * not model (its effect is unknown; loading the whole file reports it as
 * the server sees it), statements that need each other so that no order
 * loads them (the whole load fails, as it must, where a rendering of the
 * part would not), and operator classes, families and operators, whose
 * recorded users (indexes, constraints, views) span relations that would
 * come from two different reads.
 */
static bool partial_possible(const model *live, const model *parsed)
{
	if (parsed->load_cycle)
		return false;
	for (int i = 0; i < parsed->nwarnings; i++)
		if (!parsed->warnings[i].note)
			return false;
	return !(live->noperators || live->nopclasses || live->nopfamilies ||
		 parsed->noperators || parsed->nopclasses ||
		 parsed->nopfamilies);
}

/* Every name a statement is about: the object and the relation it
 * belongs to. False when a statement names nothing (it cannot be
 * placed, so nothing can be called clean). */
static bool collect_names(const diff_result *dr, strmap *names)
{
	for (int i = 0; i < dr->nstmts; i++) {
		const change_object *o = &dr->stmts[i].obj;
		if (!o->kind && !o->name && !o->table)
			return false;
		if (o->table)
			add(names, o->schema, o->table);
		if (o->name)
			add(names, o->schema, o->name);
	}
	for (int i = 0; i < dr->nunsettled; i++)
		add(names, dr->unsettled[i].schema, dr->unsettled[i].name);
	return true;
}

/* Mark the relations of `m` that `names` names, directly or through
 * something of theirs (an index, a statistics object, an owned
 * sequence, a constraint or trigger named with its table). */
static void mark_named(subset *s, const model *m, const strmap *names)
{
	for (int i = 0; i < m->ntables; i++)
		if (has(names, m->tables[i].schema, m->tables[i].name))
			add(&s->dirty, m->tables[i].schema, m->tables[i].name);
	for (int i = 0; i < m->nviews; i++)
		if (has(names, m->views[i].schema, m->views[i].name))
			add(&s->dirty, m->views[i].schema, m->views[i].name);
	for (int i = 0; i < m->nindexes; i++)
		if (has(names, m->indexes[i].schema, m->indexes[i].name))
			add(&s->dirty, m->indexes[i].schema,
			    m->indexes[i].table);
	for (int i = 0; i < m->nstatistics; i++)
		if (has(names, m->statistics[i].schema, m->statistics[i].name))
			add(&s->dirty, m->statistics[i].table_schema,
			    m->statistics[i].table);
	for (int i = 0; i < m->nsequences; i++)
		if (m->sequences[i].owner.schema &&
		    has(names, m->sequences[i].schema, m->sequences[i].name))
			add(&s->dirty, m->sequences[i].owner.schema,
			    m->sequences[i].owner.name);
}

/* The columns both sides have, in a different order: no statement says
 * so (PostgreSQL cannot reorder columns, the differ only notes it), but
 * the exact model must hold the file's order. */
static bool order_differs(const m_table *a, const m_table *b)
{
	int j = 0;
	for (int i = 0; i < a->ncolumns; i++) {
		if (!model_table_find_column(b, a->columns[i].name))
			continue;
		while (j < b->ncolumns &&
		       !model_table_find_column(a, b->columns[j].name))
			j++;
		if (j == b->ncolumns ||
		    strcmp(a->columns[i].name, b->columns[j].name))
			return true;
		j++;
	}
	return false;
}

static void mark_reordered(subset *s, const model *live, const model *parsed)
{
	for (int i = 0; i < parsed->ntables; i++) {
		const m_table *t = &parsed->tables[i];
		const m_table *lt = model_find_table(live, t->schema, t->name);
		if (lt && order_differs(lt, t))
			add(&s->dirty, t->schema, t->name);
	}
}

/*
 * What reads a dirty relation is dirty too: the server prints a view's
 * query in terms of the columns it reads (a retyped column changes its
 * casts). A partition or inheritance child of a dirty table is dirty:
 * the columns it holds locally depend on its parent's. Returns whether
 * anything was added.
 */
static bool spread_once(subset *s, const model *m)
{
	bool more = false;
	for (int i = 0; i < m->nviews; i++) {
		const m_view *v = &m->views[i];
		if (subset_is_dirty(s, v->schema, v->name))
			continue;
		for (int j = 0; j < v->ndeps; j++)
			if (subset_is_dirty(s, v->deps[j].schema,
					    v->deps[j].name)) {
				more |= add(&s->dirty, v->schema, v->name);
				break;
			}
	}
	for (int i = 0; i < m->ntables; i++) {
		const m_table *t = &m->tables[i];
		if (subset_is_dirty(s, t->schema, t->name))
			continue;
		bool d = t->parent.schema &&
			 subset_is_dirty(s, t->parent.schema, t->parent.name);
		for (int j = 0; j < t->ninherits && !d; j++)
			d = subset_is_dirty(s, t->inherits[j].schema,
					    t->inherits[j].name);
		if (d)
			more |= add(&s->dirty, t->schema, t->name);
	}
	return more;
}

int subset_select(const model *live, const model *parsed, const diff_result *dr,
		  subset **out)
{
	*out = NULL;
	if (!partial_possible(live, parsed))
		return 0;
	strmap names = STRMAP_INIT;
	if (!collect_names(dr, &names)) {
		strmap_release(&names);
		return 0;
	}
	subset *s = xcalloc(1, sizeof(*s));
	mark_named(s, live, &names);
	mark_named(s, parsed, &names);
	mark_reordered(s, live, parsed);
	s->names = names;
	for (bool more = true; more;) {
		more = spread_once(s, live);
		more = spread_once(s, parsed) || more;
	}
	*out = s;
	return 0;
}

int subset_count_dirty(const subset *s)
{
	return (int)s->dirty.count;
}

int subset_count_needed(const subset *s)
{
	return (int)s->needed.count;
}

void subset_free(subset *s)
{
	if (!s)
		return;
	strmap_release(&s->dirty);
	strmap_release(&s->needed);
	strmap_release(&s->names);
	strmap_release(&s->borrowed_fks);
	strmap_release(&s->borrowed_indexes);
	free(s);
}

/* ---- what to load ---------------------------------------------------- */

/* One identifier of canonical text at *p: unquoted (lower case, as the
 * server prints one) or double-quoted; into `out`, advancing *p. */
static bool read_ident(const char **p, strbuf *out)
{
	const char *c = *p;
	strbuf_reset(out);
	if (*c == '"') {
		for (c++; *c; c++) {
			if (*c == '"' && c[1] != '"')
				break;
			if (*c == '"')
				c++;
			strbuf_addch(out, *c);
		}
		if (*c != '"')
			return false;
		*p = c + 1;
		return true;
	}
	if (!(isalpha((unsigned char)*c) || *c == '_'))
		return false;
	while (isalnum((unsigned char)*c) || *c == '_' || *c == '$')
		strbuf_addch(out, *c++);
	*p = c;
	return true;
}

/*
 * Need every relation of `m` that `text` (a type, a result, an argument
 * list) names as "schema.name", the way a row type is printed.
 */
static void need_row_types(subset *s, const model *m, const strmap *rels,
			   const char *text)
{
	strbuf a = STRBUF_INIT, b = STRBUF_INIT, k = STRBUF_INIT;
	for (const char *p = text; p && *p;) {
		if (!read_ident(&p, &a)) {
			p++;
			continue;
		}
		if (*p != '.')
			continue;
		const char *q = p + 1;
		if (!read_ident(&q, &b))
			continue;
		p = q;
		if (strmap_contains(rels, subset_key(&k, a.buf, b.buf)))
			subset_need(s, a.buf, b.buf);
	}
	(void)m;
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&k);
}

void subset_need(subset *s, const char *schema, const char *name)
{
	if (!schema || subset_is_dirty(s, schema, name))
		return;
	add(&s->needed, schema, name);
}

/* A table's own needs: what it is a part or child of, and the row types
 * its columns are of; with `all`, the targets of its foreign keys. */
static void table_needs(subset *s, const model *m, const strmap *rels,
			const m_table *t, bool all)
{
	subset_need(s, t->parent.schema, t->parent.name);
	for (int i = 0; i < t->ninherits; i++)
		subset_need(s, t->inherits[i].schema, t->inherits[i].name);
	for (int i = 0; i < t->ncolumns; i++)
		need_row_types(s, m, rels, t->columns[i].type);
	strbuf k = STRBUF_INIT;
	for (int i = 0; all && i < t->nconstraints; i++)
		if (t->constraints[i].kind == M_CON_FOREIGN &&
		    !strmap_contains(&s->borrowed_fks,
				     subset_key3(&k, t->schema, t->name,
						 t->constraints[i].name)))
			subset_need(s, t->constraints[i].ref.schema,
				    t->constraints[i].ref.name);
	strbuf_release(&k);
}

static bool same_fk(const m_constraint *a, const m_constraint *b)
{
	return a->kind == M_CON_FOREIGN && b->kind == M_CON_FOREIGN &&
	       a->definition && b->definition &&
	       !strcmp(a->definition, b->definition) &&
	       a->not_valid == b->not_valid && a->deferrable == b->deferrable &&
	       a->deferred == b->deferred;
}

/*
 * Does table schema.name of `parsed` get a foreign key loaded (one not
 * borrowed)? Then its plain indexes are loaded too: MySQL makes a
 * foreign key an index of its own when the table has none that fits,
 * which the live table would not have.
 */
static bool loads_fk(const subset *s, const model *parsed, const char *schema,
		     const char *name)
{
	const m_table *t = model_find_table(parsed, schema, name);
	strbuf k = STRBUF_INIT;
	bool yes = false;
	for (int j = 0; t && j < t->nconstraints && !yes; j++)
		yes = t->constraints[j].kind == M_CON_FOREIGN &&
		      !strmap_contains(&s->borrowed_fks,
				       subset_key3(&k, schema, name,
						   t->constraints[j].name));
	strbuf_release(&k);
	return yes;
}

/*
 * What the dirty tables of `parsed` keep exactly as `live` has it: a
 * foreign key or a plain (not unique) index that no statement of the
 * parsed diff named and that both spell alike. Unique indexes are always
 * loaded: a loaded foreign key may rest on one.
 */
static void borrow(subset *s, const model *live, const model *parsed)
{
	strbuf k = STRBUF_INIT;
	for (int i = 0; i < parsed->ntables; i++) {
		const m_table *t = &parsed->tables[i];
		if (!subset_is_dirty(s, t->schema, t->name))
			continue;
		const m_table *lt = model_find_table(live, t->schema, t->name);
		for (int j = 0; lt && j < t->nconstraints; j++) {
			const m_constraint *c = &t->constraints[j];
			const m_constraint *lc =
			    model_table_find_constraint(lt, c->name);
			if (lc && same_fk(c, lc) &&
			    !has(&s->names, t->schema, c->name))
				strmap_add(&s->borrowed_fks,
					   subset_key3(&k, t->schema, t->name,
						       c->name),
					   NULL);
		}
	}
	/* Live indexes by name, to find each parsed one's twin. */
	strmap live_idx = STRMAP_INIT;
	for (int i = 0; i < live->nindexes; i++)
		strmap_add(&live_idx,
			   subset_key(&k, live->indexes[i].schema,
				      live->indexes[i].name),
			   &live->indexes[i]);
	for (int i = 0; i < parsed->nindexes; i++) {
		const m_index *x = &parsed->indexes[i];
		if (x->unique || !subset_is_dirty(s, x->schema, x->table) ||
		    has(&s->names, x->schema, x->name) ||
		    loads_fk(s, parsed, x->schema, x->table))
			continue;
		const m_index *lx =
		    strmap_get(&live_idx, subset_key(&k, x->schema, x->name));
		if (lx && !lx->unique && !strcmp(lx->table, x->table) &&
		    lx->definition && x->definition &&
		    !strcmp(lx->definition, x->definition))
			strmap_add(&s->borrowed_indexes, k.buf, NULL);
	}
	strmap_release(&live_idx);
	strbuf_release(&k);
}

/* Close s->needed over `m`: a needed relation needs what it needs to be
 * created (a view its sources; a table its parents), never its foreign
 * keys' targets, which are left out of what is loaded for it. */
static void close_needs(subset *s, const model *m, const strmap *rels)
{
	size_t before;
	do {
		before = s->needed.count;
		for (int i = 0; i < m->ntables; i++)
			if (has(&s->needed, m->tables[i].schema,
				m->tables[i].name))
				table_needs(s, m, rels, &m->tables[i], false);
		for (int i = 0; i < m->nviews; i++)
			if (has(&s->needed, m->views[i].schema,
				m->views[i].name))
				for (int j = 0; j < m->views[i].ndeps; j++)
					subset_need(s,
						    m->views[i].deps[j].schema,
						    m->views[i].deps[j].name);
	} while (s->needed.count != before);
}

/* The needs of everything loaded whole: dirty relations and every
 * object that is not a relation. */
static void collect_needs(subset *s, const model *m)
{
	strmap rels = STRMAP_INIT;
	strbuf k = STRBUF_INIT;
	for (int i = 0; i < m->ntables; i++)
		strmap_add(
		    &rels,
		    subset_key(&k, m->tables[i].schema, m->tables[i].name),
		    NULL);
	for (int i = 0; i < m->ntables; i++)
		if (subset_is_dirty(s, m->tables[i].schema, m->tables[i].name))
			table_needs(s, m, &rels, &m->tables[i], true);
	for (int i = 0; i < m->nviews; i++)
		if (subset_is_dirty(s, m->views[i].schema, m->views[i].name))
			for (int j = 0; j < m->views[i].ndeps; j++)
				subset_need(s, m->views[i].deps[j].schema,
					    m->views[i].deps[j].name);
	/* A policy's subqueries may read other relations. */
	for (int i = 0; i < m->npolicies; i++)
		if (subset_is_dirty(s, m->policies[i].schema,
				    m->policies[i].table))
			for (int j = 0; j < m->policies[i].ncolumn_deps; j++)
				subset_need(
				    s, m->policies[i].column_deps[j].schema,
				    m->policies[i].column_deps[j].table);
	for (int i = 0; i < m->nfunctions; i++) {
		const m_function *f = &m->functions[i];
		for (int j = 0; j < f->nrel_deps; j++)
			subset_need(s, f->rel_deps[j].schema,
				    f->rel_deps[j].name);
		need_row_types(s, m, &rels, f->result);
		need_row_types(s, m, &rels, f->identity_args);
	}
	for (int i = 0; i < m->ncomposites; i++)
		for (int j = 0; j < m->composites[i].nattrs; j++)
			need_row_types(s, m, &rels,
				       m->composites[i].attrs[j].type);
	close_needs(s, m, &rels);
	strbuf_release(&k);
	strmap_release(&rels);
}

/* A copy of `src`'s array of n items in `m`'s arena. */
#define COPY_ARRAY(m, dst, src, n)                                             \
	do {                                                                   \
		(dst) = arena_alloc(&(m)->arena,                               \
				    sizeof(*(src)) * (size_t)((n) ? (n) : 1)); \
		if (n)                                                         \
			memcpy((dst), (src), sizeof(*(src)) * (size_t)(n));    \
	} while (0)

/* A table as loaded: a needed one (`all`) without foreign keys of its
 * own, a dirty one without those it borrows from the live model. */
static void strip_foreign_keys(const subset *s, model *m, m_table *t, bool all)
{
	m_constraint *c;
	COPY_ARRAY(m, c, t->constraints, t->nconstraints);
	int n = t->nconstraints;
	strbuf k = STRBUF_INIT;
#define KEPT(x)                                                                \
	((x)->kind != M_CON_FOREIGN ||                                         \
	 (!all &&                                                              \
	  !strmap_contains(&s->borrowed_fks,                                   \
			   subset_key3(&k, t->schema, t->name, (x)->name))))
	SUBSET_KEEP(c, n, KEPT);
#undef KEPT
	strbuf_release(&k);
	t->constraints = c;
	t->nconstraints = t->cconstraints = n;
}

model *subset_model(subset *s, const model *live, const model *parsed)
{
	borrow(s, live, parsed);
	collect_needs(s, parsed);
	model *m = model_new();
	/* Everything that is not a relation is borrowed as it is; the
	 * capacities are cut to the counts so that nothing can grow into
	 * the parsed model's arena. */
	*m = *parsed;
	memset(&m->arena, 0, sizeof(m->arena));
	m->introspected = false;
	m->nwarnings = 0;

#define OWN(field)                                                             \
	do {                                                                   \
		COPY_ARRAY(m, m->field, parsed->field, parsed->n##field);      \
		m->n##field = m->c##field = parsed->n##field;                  \
	} while (0)
	OWN(tables);
	OWN(indexes);
	OWN(views);
	OWN(triggers);
	OWN(policies);
	OWN(statistics);
	OWN(sequences);
	OWN(grants);
	OWN(type_uses);
#undef OWN

#define DIRTY(x)      subset_is_dirty(s, (x)->schema, (x)->name)
#define LOADED(x)     (DIRTY(x) || has(&s->needed, (x)->schema, (x)->name))
#define ON_DIRTY(x)   subset_is_dirty(s, (x)->schema, (x)->table)
#define STAT_DIRTY(x) subset_is_dirty(s, (x)->table_schema, (x)->table)
	SUBSET_KEEP(m->tables, m->ntables, LOADED);
	SUBSET_KEEP(m->views, m->nviews, LOADED);
	SUBSET_KEEP(m->triggers, m->ntriggers, ON_DIRTY);
	SUBSET_KEEP(m->policies, m->npolicies, ON_DIRTY);
	SUBSET_KEEP(m->statistics, m->nstatistics, STAT_DIRTY);
	SUBSET_KEEP(m->type_uses, m->ntype_uses, ON_DIRTY);
	for (int i = 0; i < m->ntables; i++)
		strip_foreign_keys(s, m, &m->tables[i], !DIRTY(&m->tables[i]));
		/* A needed table keeps its unique indexes: a dirty
		 * table's foreign key may rest on one. */
#define INDEX_KEPT(x)                                                          \
	((ON_DIRTY(x) &&                                                       \
	  !has(&s->borrowed_indexes, (x)->schema, (x)->name)) ||               \
	 ((x)->unique && has(&s->needed, (x)->schema, (x)->table)))
	SUBSET_KEEP(m->indexes, m->nindexes, INDEX_KEPT);
#define SEQ_KEPT(x)                                                            \
	(!(x)->owner.schema ||                                                 \
	 subset_is_dirty(s, (x)->owner.schema, (x)->owner.name) ||             \
	 has(&s->needed, (x)->owner.schema, (x)->owner.name))
	SUBSET_KEEP(m->sequences, m->nsequences, SEQ_KEPT);
	strmap seqs = STRMAP_INIT;
	strbuf k = STRBUF_INIT;
	for (int i = 0; i < m->nsequences; i++)
		strmap_add(&seqs,
			   subset_key(&k, m->sequences[i].schema,
				      m->sequences[i].name),
			   NULL);
#define GRANT_KEPT(x)                                                          \
	((x)->objkind == 'r' ? DIRTY(x)                                        \
	 : (x)->objkind == 'S'                                                 \
	     ? strmap_contains(&seqs, subset_key(&k, (x)->schema, (x)->name))  \
	     : true)
	SUBSET_KEEP(m->grants, m->ngrants, GRANT_KEPT);
#undef GRANT_KEPT
#undef SEQ_KEPT
#undef INDEX_KEPT
#undef STAT_DIRTY
#undef ON_DIRTY
#undef LOADED
#undef DIRTY
	strbuf_release(&k);
	strmap_release(&seqs);
	return m;
}
