/*
 * The MySQL differ's triggers, stored routines and partitioning
 * (diff.c has the phases). A trigger or routine is compared by its whole
 * definition (mysql.h's form, the same from a file and from a server)
 * and, when it differs, dropped and made again: MySQL has no ALTER for a
 * body. Their bodies are not checked by the server when they are made,
 * so they go first and come back last, whatever they name.
 */
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static const m_trigger *find_trigger(const model *m, const m_trigger *t)
{
	for (int i = 0; i < m->ntriggers; i++)
		if (same(m->triggers[i].schema, t->schema) &&
		    same(m->triggers[i].name, t->name))
			return &m->triggers[i];
	return NULL;
}

static const m_function *find_routine(const model *m, const m_function *f)
{
	for (int i = 0; i < m->nfunctions; i++)
		if (m->functions[i].kind == f->kind &&
		    same(m->functions[i].schema, f->schema) &&
		    same(m->functions[i].name, f->name))
			return &m->functions[i];
	return NULL;
}

static void create_trigger(my_diff *d, const m_trigger *t);

static bool trigger_kept(const m_trigger *t, const model *m)
{
	const m_trigger *o = find_trigger(m, t);
	return o && same(o->table, t->table) &&
	       same(o->definition, t->definition);
}

static bool routine_kept(const m_function *f, const model *m)
{
	const m_function *o = find_routine(m, f);
	return o && same(o->definition, f->definition);
}

void my_diff_drop_triggers(my_diff *d)
{
	for (int i = 0; i < d->from->ntriggers; i++) {
		const m_trigger *t = &d->from->triggers[i];
		const m_table *b = model_find_table(d->to, t->schema, t->table);
		/* A table that goes takes its triggers with it. */
		if (!b || trigger_kept(t, d->to))
			continue;
		strbuf sb = STRBUF_INIT;
		my_trigger_drop_sql(&sb, t);
		my_diff_emit(d, CHANGE_DROP_TRIGGER, t->schema, t->table,
			     t->name, t, NULL,
			     model_find_table(d->from, t->schema, t->table), b,
			     &sb);
		strbuf_release(&sb);
	}
}

/* The trigger a definition says FOLLOWS, or NULL ("... FOR EACH ROW
 * FOLLOWS `a``b` body"). */
static char *follows(const m_trigger *t)
{
	const char *p = strstr(t->definition, " FOR EACH ROW FOLLOWS `");
	if (!p)
		return NULL;
	strbuf sb = STRBUF_INIT;
	for (p += strlen(" FOR EACH ROW FOLLOWS `"); *p; p++) {
		if (*p == '`' && p[1] != '`')
			break;
		if (*p == '`')
			p++;
		strbuf_addch(&sb, *p);
	}
	return strbuf_detach(&sb);
}

/* Made triggers in an order where the one each FOLLOWS exists first:
 * passes over the list, each making those whose predecessor is kept or
 * made (a last pass makes whatever is left, so a cycle cannot hang). */
void my_diff_create_triggers(my_diff *d)
{
	int n = d->to->ntriggers, left = 0;
	char *done = calloc((size_t)n + 1, 1);
	for (int i = 0; i < n; i++)
		if (trigger_kept(&d->to->triggers[i], d->from))
			done[i] = 1;
		else
			left++;
	while (left > 0) {
		int made = 0;
		for (int last = 0; last < 2 && !made; last++)
			for (int i = 0; i < n; i++) {
				const m_trigger *t = &d->to->triggers[i];
				if (done[i])
					continue;
				char *f = follows(t);
				bool ready = !f || last;
				for (int j = 0; f && !ready && j < n; j++)
					ready =
					    done[j] &&
					    !strcmp(d->to->triggers[j].name, f);
				free(f);
				if (!ready)
					continue;
				create_trigger(d, t);
				done[i] = 1;
				made++;
				left--;
			}
	}
	free(done);
}

static void create_trigger(my_diff *d, const m_trigger *t)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, t->definition);
	diff_stmt *s = my_diff_emit(
	    d, CHANGE_CREATE_TRIGGER, t->schema, t->table, t->name, NULL, t,
	    model_find_table(d->from, t->schema, t->table),
	    model_find_table(d->to, t->schema, t->table), &sb);
	s->compound = strchr(t->definition, ';') != NULL;
	strbuf_release(&sb);
}

void my_diff_drop_routines(my_diff *d)
{
	for (int i = 0; i < d->from->nfunctions; i++) {
		const m_function *f = &d->from->functions[i];
		if (routine_kept(f, d->to))
			continue;
		strbuf sb = STRBUF_INIT;
		my_routine_drop_sql(&sb, f);
		my_diff_emit(d, CHANGE_DROP_FUNCTION, f->schema, NULL, f->name,
			     f, NULL, NULL, NULL, &sb);
		strbuf_release(&sb);
	}
}

void my_diff_create_routines(my_diff *d)
{
	for (int i = 0; i < d->to->nfunctions; i++) {
		const m_function *f = &d->to->functions[i];
		if (routine_kept(f, d->from))
			continue;
		strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, f->definition);
		diff_stmt *s =
		    my_diff_emit(d, CHANGE_CREATE_FUNCTION, f->schema, NULL,
				 f->name, NULL, f, NULL, NULL, &sb);
		s->compound = strchr(f->definition, ';') != NULL;
		strbuf_release(&sb);
	}
}

/* --- partitioning --- */

/*
 * The statement that takes table a's partitioning to b's, appended to
 * `out`: REMOVE PARTITIONING when b has none; ADD PARTITION when b's
 * RANGE or LIST only appends partitions to a's (no row moves); else
 * the whole PARTITION BY, which rebuilds the table. 0 when they are
 * the same.
 */
int my_partitioning_change_sql(strbuf *out, const m_table *a, const m_table *b)
{
	const char *pa = a->partitioning, *pb = b->partitioning;
	if (same(pa, pb))
		return 0;
	strbuf_adds(out, "ALTER TABLE ");
	my_qname(out, b->schema, b->name);
	size_t la = pa ? strlen(pa) : 0;
	if (!pb) {
		strbuf_adds(out, " REMOVE PARTITIONING");
	} else if (la > 1 && pa[la - 1] == ')' && strlen(pb) > la &&
		   !strncmp(pa, pb, la - 1) && pb[la - 1] == ',' &&
		   (!strncmp(pb, "PARTITION BY RANGE", 18) ||
		    !strncmp(pb, "PARTITION BY LIST", 17))) {
		strbuf_addf(out, " ADD PARTITION (%s", pb + la);
	} else {
		strbuf_addf(out, " %s", pb);
	}
	return 1;
}

static void partitioning(my_diff *d, bool removals)
{
	for (int i = 0; i < d->to->ntables; i++) {
		const m_table *b = &d->to->tables[i];
		const m_table *a =
		    model_find_table(d->from, b->schema, b->name);
		if (!a || same(a->partitioning, b->partitioning) ||
		    removals != !b->partitioning)
			continue;
		strbuf sb = STRBUF_INIT;
		my_partitioning_change_sql(&sb, a, b);
		diff_stmt *s =
		    my_diff_emit(d, MYC_ALTER_PARTITIONING, b->schema, NULL,
				 b->name, a, b, NULL, NULL, &sb);
		s->rewrites = true;
		strbuf_release(&sb);
	}
}

void my_diff_remove_partitioning(my_diff *d)
{
	partitioning(d, true);
}

void my_diff_partitioning(my_diff *d)
{
	partitioning(d, false);
}
