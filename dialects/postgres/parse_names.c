/*
 * Name lookups for the parser: tables, indexes, sequences and views by
 * (schema, name), and the two namespaces the server's implicit-name rules
 * check (relations, constraints), through hash maps instead of scans of
 * the whole model, so that parsing stays linear in the size of the file.
 *
 * Why lazy: items are added to the model's arrays from many places
 * (model_add_*, ARENA_PUSH in every statement handler) and their fields
 * are filled in after the push. Hooking every adder would be fragile, so
 * the maps are brought up to date just before a lookup: the items
 * appended since the last lookup (per-array counters) are indexed then.
 * Arrays move when they grow, so the maps hold positions, never item
 * pointers. Constraints can be added to a table that already exists
 * (ALTER TABLE ... ADD CONSTRAINT): such a table is found through
 * pp_find_table, which marks it dirty, and the table created last is
 * always re-checked (CREATE TABLE adds its constraints one by one).
 * Removals shift positions: whoever removes calls pp_names_stale() (DROP)
 * and the maps are rebuilt from scratch on the next lookup. pg_dump files
 * remove by the thousand (ATTACH PARTITION drops a partition's copy of
 * the parent's checks, ALTER INDEX ... ATTACH PARTITION its index), and a
 * rebuild each time would make them quadratic again, so those removals
 * are told item by item instead (pp_names_forget_*): the constraint sets
 * are counted for that, and index positions are moved down in place. As
 * a last guard, an array found shorter than what was indexed is rebuilt.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"

/* "<len(schema)>:schema.name": the length makes the key unambiguous
 * whatever characters the names hold. Points into ns->key. */
static const char *qual_key(pp_names *ns, const char *schema, const char *name)
{
	strbuf_reset(&ns->key);
	strbuf_addf(&ns->key, "%zu:", strlen(schema));
	strbuf_adds(&ns->key, schema);
	strbuf_addch(&ns->key, '.');
	strbuf_adds(&ns->key, name);
	return strbuf_str(&ns->key);
}

static void named_reset(pp_named *nm)
{
	strmap_clear(&nm->pos);
	nm->done = 0;
	nm->dups = false;
}

/* Index items [done, n) of an array whose items have schema and name:
 * the first item with a key wins, as a linear scan would find it. */
#define SYNC_NAMED(ns, nm, arr, n)                                             \
	do {                                                                   \
		for (; (nm)->done < (n); (nm)->done++)                         \
			if (!strmap_add_int(&(nm)->pos,                        \
					    qual_key((ns),                     \
						     (arr)[(nm)->done].schema, \
						     (arr)[(nm)->done].name),  \
					    (nm)->done))                       \
				(nm)->dups = true;                             \
	} while (0)

/* Counted sets: key -> how many holders; absent or 0 means free. */
static void count_add(strmap *set, const char *key)
{
	strmap_entry *e = strmap_find(set, key);
	if (e)
		e->value = (void *)((intptr_t)e->value + 1);
	else
		strmap_put_int(set, key, 1);
}

static void count_sub(strmap *set, const char *key)
{
	strmap_entry *e = strmap_find(set, key);
	if (e && (intptr_t)e->value > 0)
		e->value = (void *)((intptr_t)e->value - 1);
}

static bool count_has(const strmap *set, const char *key)
{
	intptr_t n;
	return strmap_get_int(set, key, &n) && n > 0;
}

/* Constraints of table `pos` added since it was last looked at. */
static void sync_table_cons(pp_names *ns, const model *m, int pos)
{
	const m_table *t = &m->tables[pos];
	for (int j = ns->tcons[pos]; j < t->nconstraints; j++) {
		const m_constraint *k = &t->constraints[j];
		const char *key = qual_key(ns, t->schema, k->name);
		count_add(&ns->cons, key);
		/* Primary key, unique and exclusion constraints own an
		 * index of the same name (strchr as the scan it replaces:
		 * a kind not yet set counts too). */
		if (strchr("pux", k->kind))
			count_add(&ns->relcons, key);
	}
	ns->tcons[pos] = t->nconstraints;
}

static void sync_domain_checks(pp_names *ns, const model *m, int pos)
{
	const m_domain *d = &m->domains[pos];
	for (int j = ns->dchecks[pos]; j < d->nchecks; j++)
		count_add(&ns->cons,
			  qual_key(ns, d->schema, d->checks[j].name));
	ns->dchecks[pos] = d->nchecks;
}

/* Something shrank without being reported: positions no longer hold. */
static bool shrunk(const pp_names *ns, const model *m)
{
	if (m->ntables < ns->tables.done || m->nindexes < ns->indexes.done ||
	    m->nsequences < ns->sequences.done || m->nviews < ns->views.done ||
	    m->ncomposites < ns->composites.done || m->ndomains < ns->ndomains)
		return true;
	for (int i = 0; i < ns->ndirty; i++) {
		/* Spot checks only: the stale flag and the forget calls
		 * are the real signals. */
		intptr_t pos;
		if (strmap_get_int(&ns->tables.pos,
				   qual_key((pp_names *)ns, ns->dirty[i].schema,
					    ns->dirty[i].name),
				   &pos) &&
		    m->tables[pos].nconstraints < ns->tcons[pos])
			return true;
	}
	return false;
}

static void rebuild(pp_names *ns)
{
	named_reset(&ns->tables);
	named_reset(&ns->indexes);
	named_reset(&ns->sequences);
	named_reset(&ns->views);
	named_reset(&ns->composites);
	strmap_clear(&ns->cons);
	strmap_clear(&ns->relcons);
	ns->ndomains = 0;
	ns->stale = false;
}

/* Bring every map up to date with the model. */
static void sync(pp_ctx *c)
{
	pp_names *ns = &c->names;
	const model *m = c->m;
	if (ns->stale || shrunk(ns, m))
		rebuild(ns);

	int first_new = ns->tables.done;
	SYNC_NAMED(ns, &ns->tables, m->tables, m->ntables);
	ALLOC_GROW(ns->tcons, m->ntables, ns->ctcons);
	for (int i = first_new; i < m->ntables; i++) {
		ns->tcons[i] = 0;
		sync_table_cons(ns, m, i);
	}
	for (int i = 0; i < ns->ndirty; i++) {
		intptr_t pos;
		if (strmap_get_int(
			&ns->tables.pos,
			qual_key(ns, ns->dirty[i].schema, ns->dirty[i].name),
			&pos))
			sync_table_cons(ns, m, (int)pos);
	}
	if (m->ntables)
		sync_table_cons(ns, m, m->ntables - 1);

	ALLOC_GROW(ns->dchecks, m->ndomains, ns->cdchecks);
	for (; ns->ndomains < m->ndomains; ns->ndomains++) {
		ns->dchecks[ns->ndomains] = 0;
		sync_domain_checks(ns, m, ns->ndomains);
	}
	/* CREATE DOMAIN adds its checks after choosing their names. */
	if (m->ndomains)
		sync_domain_checks(ns, m, m->ndomains - 1);

	SYNC_NAMED(ns, &ns->indexes, m->indexes, m->nindexes);
	SYNC_NAMED(ns, &ns->sequences, m->sequences, m->nsequences);
	SYNC_NAMED(ns, &ns->views, m->views, m->nviews);
	SYNC_NAMED(ns, &ns->composites, m->composites, m->ncomposites);
}

static int named_find(pp_ctx *c, pp_named *nm, const char *schema,
		      const char *name)
{
	sync(c);
	intptr_t pos;
	if (!strmap_get_int(&nm->pos, qual_key(&c->names, schema, name), &pos))
		return -1;
	return (int)pos;
}

m_table *pp_lookup_table(pp_ctx *c, const char *schema, const char *name)
{
	int i = named_find(c, &c->names.tables, schema, name);
	return i < 0 ? NULL : &c->m->tables[i];
}

m_table *pp_find_table(pp_ctx *c, const PgQuery__RangeVar *rv)
{
	m_table *t = pp_lookup_table(c, pp_rv_schema(rv), rv->relname);
	if (t) {
		/* The caller may add constraints to it. */
		pp_names *ns = &c->names;
		ALLOC_GROW(ns->dirty, ns->ndirty + 1, ns->cdirty);
		ns->dirty[ns->ndirty].schema = t->schema;
		ns->dirty[ns->ndirty].name = t->name;
		ns->ndirty++;
	}
	return t;
}

m_index *pp_lookup_index(pp_ctx *c, const char *schema, const char *name)
{
	int i = named_find(c, &c->names.indexes, schema, name);
	return i < 0 ? NULL : &c->m->indexes[i];
}

m_sequence *pp_lookup_seq(pp_ctx *c, const char *schema, const char *name)
{
	int i = named_find(c, &c->names.sequences, schema, name);
	return i < 0 ? NULL : &c->m->sequences[i];
}

m_view *pp_lookup_view(pp_ctx *c, const char *schema, const char *name)
{
	int i = named_find(c, &c->names.views, schema, name);
	return i < 0 ? NULL : &c->m->views[i];
}

/* One field of a grant key: "-" for NULL, else "<len>:text". */
static void grant_key_part(strbuf *sb, const char *s)
{
	if (!s) {
		strbuf_addch(sb, '-');
		return;
	}
	strbuf_addf(sb, "%zu:", strlen(s));
	strbuf_adds(sb, s);
}

static const char *grant_key(pp_names *ns, char kind, const char *schema,
			     const char *name, const char *column,
			     const char *grantee, const char *privilege)
{
	strbuf_reset(&ns->key);
	strbuf_addch(&ns->key, kind ? kind : '0');
	grant_key_part(&ns->key, schema);
	grant_key_part(&ns->key, name);
	grant_key_part(&ns->key, column);
	grant_key_part(&ns->key, grantee);
	grant_key_part(&ns->key, privilege);
	return strbuf_str(&ns->key);
}

int pp_lookup_grant(pp_ctx *c, char kind, const char *schema, const char *name,
		    const char *column, const char *grantee,
		    const char *privilege)
{
	pp_names *ns = &c->names;
	const model *m = c->m;
	/* Grants have their own staleness: REVOKE removes them far more
	 * often than anything else leaves the model. */
	if (ns->grants_stale || m->ngrants < ns->grants.done) {
		named_reset(&ns->grants);
		ns->grants_stale = false;
	}
	for (; ns->grants.done < m->ngrants; ns->grants.done++) {
		const m_grant *g = &m->grants[ns->grants.done];
		strmap_add_int(&ns->grants.pos,
			       grant_key(ns, g->objkind, g->schema, g->name,
					 g->column, g->grantee, g->privilege),
			       ns->grants.done);
	}
	intptr_t pos;
	if (!strmap_get_int(
		&ns->grants.pos,
		grant_key(ns, kind, schema, name, column, grantee, privilege),
		&pos))
		return -1;
	return (int)pos;
}

bool pp_relation_taken(pp_ctx *c, const char *schema, const char *name)
{
	pp_names *ns = &c->names;
	sync(c);
	const char *key = qual_key(ns, schema, name);
	return strmap_contains(&ns->tables.pos, key) ||
	       count_has(&ns->relcons, key) ||
	       strmap_contains(&ns->indexes.pos, key) ||
	       strmap_contains(&ns->sequences.pos, key) ||
	       strmap_contains(&ns->views.pos, key) ||
	       strmap_contains(&ns->composites.pos, key);
}

bool pp_constraint_taken(pp_ctx *c, const char *schema, const char *name)
{
	sync(c);
	return count_has(&c->names.cons, qual_key(&c->names, schema, name));
}

void pp_names_stale(pp_ctx *c)
{
	c->names.stale = true;
}

void pp_names_grants_stale(pp_ctx *c)
{
	c->names.grants_stale = true;
}

void pp_names_forget_constraint(pp_ctx *c, const m_table *t, int i)
{
	pp_names *ns = &c->names;
	const model *m = c->m;
	int pos = (int)(t - m->tables);
	/* Nothing to fix while a rebuild is due, or for a table or a
	 * constraint not indexed yet: indexed constraints are always the
	 * first tcons[pos] of their table, so that stays true. */
	if (ns->stale || pos < 0 || pos >= ns->tables.done ||
	    &m->tables[pos] != t || i >= ns->tcons[pos])
		return;
	const m_constraint *k = &t->constraints[i];
	const char *key = qual_key(ns, t->schema, k->name);
	count_sub(&ns->cons, key);
	if (strchr("pux", k->kind))
		count_sub(&ns->relcons, key);
	ns->tcons[pos]--;
}

void pp_names_forget_index(pp_ctx *c, int i)
{
	pp_names *ns = &c->names;
	pp_named *nm = &ns->indexes;
	if (ns->stale || i >= nm->done)
		return;
	if (nm->dups) {
		/* The key may stand for a later item too: start over. */
		named_reset(nm);
		return;
	}
	const m_index *x = &c->m->indexes[i];
	strmap_remove(&nm->pos, qual_key(ns, x->schema, x->name));
	/* The items after it move down one place. */
	size_t it = 0;
	strmap_entry *e;
	while ((e = strmap_next(&nm->pos, &it)))
		if ((intptr_t)e->value > i)
			e->value = (void *)((intptr_t)e->value - 1);
	nm->done--;
}

/* The key of (index, partition) in ns->key. */
static const char *only_key(pp_names *ns, const char *schema, const char *name,
			    const char *tschema, const char *table)
{
	/* Each part's length first, as qual_key does: unambiguous. */
	strbuf_reset(&ns->key);
	strbuf_addf(&ns->key, "%zu:%zu:%zu:%s%s%s%s", strlen(schema),
		    strlen(name), strlen(tschema), schema, name, tschema,
		    table);
	return ns->key.buf;
}

void pp_names_only_index(pp_ctx *c, const m_index *x, const m_table *t)
{
	pp_names *ns = &c->names;
	intptr_t n = 0;
	for (int i = 0; i < c->m->ntables; i++) {
		const m_table *p = &c->m->tables[i];
		if (!p->parent.schema || strcmp(p->parent.schema, t->schema) ||
		    strcmp(p->parent.name, t->name))
			continue;
		strmap_put(&ns->only_parts,
			   only_key(ns, x->schema, x->name, p->schema, p->name),
			   NULL);
		n++;
	}
	strmap_put_int(&ns->only_left, qual_key(ns, x->schema, x->name), n);
}

void pp_names_only_attached(pp_ctx *c, const char *schema, const char *name,
			    const char *pschema, const char *ptable)
{
	pp_names *ns = &c->names;
	intptr_t n;
	if (!strmap_remove(&ns->only_parts,
			   only_key(ns, schema, name, pschema, ptable)))
		return;
	const char *key = qual_key(ns, schema, name);
	if (strmap_get_int(&ns->only_left, key, &n))
		strmap_put_int(&ns->only_left, key, n - 1);
}

void pp_names_only_finish(pp_ctx *c)
{
	pp_names *ns = &c->names;
	for (int i = 0; i < c->m->nindexes; i++) {
		m_index *x = &c->m->indexes[i];
		const char *only = strstr(x->definition, " ON ONLY ");
		intptr_t n = 0;
		if (!only ||
		    (strmap_get_int(&ns->only_left,
				    qual_key(ns, x->schema, x->name), &n) &&
		     n > 0))
			continue;
		x->definition = arena_sprintf(
		    &c->m->arena, "%.*s ON %s", (int)(only - x->definition),
		    x->definition, only + strlen(" ON ONLY "));
	}
}

void pp_names_end_statement(pp_ctx *c)
{
	/* Tables handed out during the statement may have gained
	 * constraints since the last lookup: index them before forgetting
	 * which tables they were. */
	if (c->names.ndirty)
		sync(c);
	c->names.ndirty = 0;
}

void pp_names_release(pp_ctx *c)
{
	pp_names *ns = &c->names;
	strmap_release(&ns->tables.pos);
	strmap_release(&ns->indexes.pos);
	strmap_release(&ns->sequences.pos);
	strmap_release(&ns->views.pos);
	strmap_release(&ns->composites.pos);
	strmap_release(&ns->grants.pos);
	strmap_release(&ns->cons);
	strmap_release(&ns->relcons);
	strmap_release(&ns->only_parts);
	strmap_release(&ns->only_left);
	free(ns->tcons);
	free(ns->dchecks);
	free(ns->dirty);
	strbuf_release(&ns->key);
	memset(ns, 0, sizeof(*ns));
}
