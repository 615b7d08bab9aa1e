/*
 * AUTO_INCREMENT and its key. The server wants an AUTO_INCREMENT column
 * to lead a key at every moment: a column made AUTO_INCREMENT (added or
 * changed) takes its key in the same ALTER, and a key dropped from under
 * one either takes the AUTO_INCREMENT away in the same ALTER or, when
 * the column stays AUTO_INCREMENT, puts the new key in its place there.
 * Keys written that way are remembered, so the later phases skip them.
 */
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The first column of a key definition ("... (`a`,`b`)"), unquoted, in
 * `out`; false for an expression part. */
static bool first_column(const char *def, strbuf *out)
{
	const char *on = strstr(def, " ON ");
	const char *p = strstr(on ? on : def, " (`");
	if (!p)
		return false;
	for (p += 3; *p; p++) {
		if (*p == '`' && p[1] != '`')
			return true;
		if (*p == '`')
			p++;
		strbuf_addch(out, *p);
	}
	return false;
}

bool my_diff_key_leads(const char *def, const char *col)
{
	strbuf sb = STRBUF_INIT;
	bool r = first_column(def, &sb) && !strcmp(strbuf_str(&sb), col);
	strbuf_release(&sb);
	return r;
}

bool my_diff_made(const my_diff *d, const void *key)
{
	for (int i = 0; i < d->nmade; i++)
		if (d->made[i] == key)
			return true;
	return false;
}

static void mark_made(my_diff *d, const void *key)
{
	d->made = realloc(d->made, sizeof(*d->made) * (size_t)(d->nmade + 1));
	d->made[d->nmade++] = key;
}

/* Table b's key that column `col` leads, the primary key first: ", ADD
 * <key>" appended to `sb` when model `have` lacks it as it is. */
static void add_leading_key(my_diff *d, strbuf *sb, const m_table *b,
			    const m_table *a, const char *col)
{
	const m_constraint *pk = model_table_find_constraint(b, "PRIMARY");
	if (pk && pk->kind == M_CON_PRIMARY && pk->ncolumns &&
	    !strcmp(pk->columns[0], col)) {
		const m_constraint *o =
		    a ? model_table_find_constraint(a, "PRIMARY") : NULL;
		if (o && same(o->definition, pk->definition))
			return;
		strbuf_adds(sb, ", ADD ");
		my_constraint_sql(sb, pk);
		mark_made(d, pk);
		return;
	}
	const m_index *best = NULL;
	for (int i = 0; i < d->to->nindexes; i++) {
		const m_index *x = &d->to->indexes[i];
		if (!same(x->schema, b->schema) || !same(x->table, b->name) ||
		    !my_diff_key_leads(x->definition, col))
			continue;
		if (!best || (x->unique && !best->unique))
			best = x;
	}
	if (!best)
		return;
	for (int i = 0; a && i < d->from->nindexes; i++) {
		const m_index *o = &d->from->indexes[i];
		if (same(o->schema, best->schema) &&
		    same(o->table, best->table) && same(o->name, best->name) &&
		    same(o->definition, best->definition))
			return;
	}
	strbuf_adds(sb, ", ADD ");
	my_index_element_sql(sb, best);
	mark_made(d, best);
}

void my_diff_autoinc_added(my_diff *d, strbuf *sb, const m_table *a,
			   const m_table *b, const m_column *x,
			   const m_column *y)
{
	if (!y->auto_increment || (x && x->auto_increment))
		return;
	add_leading_key(d, sb, b, a, y->name);
}

/* The AUTO_INCREMENT column of table a that a key's definition leads,
 * or NULL. */
static const m_column *leading_autoinc(const m_table *a, const char *def)
{
	for (int i = 0; i < a->ncolumns; i++)
		if (a->columns[i].auto_increment &&
		    my_diff_key_leads(def, a->columns[i].name))
			return &a->columns[i];
	return NULL;
}

bool my_diff_autoinc_drop_before(strbuf *sb, const m_table *a, const m_table *b,
				 const char *def)
{
	const m_column *x = leading_autoinc(a, def);
	const m_column *y = x && b ? model_table_find_column(b, x->name) : NULL;
	if (!x || (y && y->auto_increment))
		return false;
	/* The column loses AUTO_INCREMENT (or goes later): first, in the
	 * same statement. */
	m_column plain = *x;
	plain.auto_increment = false;
	strbuf_adds(sb, "MODIFY COLUMN ");
	my_column_sql(sb, &plain);
	strbuf_adds(sb, ", ");
	return true;
}

void my_diff_autoinc_drop_after(my_diff *d, strbuf *sb, const m_table *a,
				const m_table *b, const char *def)
{
	const m_column *x = leading_autoinc(a, def);
	const m_column *y = x && b ? model_table_find_column(b, x->name) : NULL;
	if (x && y && y->auto_increment)
		add_leading_key(d, sb, b, NULL, y->name);
}
