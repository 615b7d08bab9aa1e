#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "../util/xalloc.h"

model *model_new(void)
{
	return xcalloc(1, sizeof(model));
}

void model_free(model *m)
{
	if (!m)
		return;
	arena_free(&m->arena);
	free(m);
}

char *model_str(model *m, const char *s)
{
	return arena_strdup(&m->arena, s);
}

#define ADDER(type, fn, field)                                                 \
	type *fn(model *m)                                                     \
	{                                                                      \
		return ARENA_PUSH(&m->arena, m->field, m->n##field,            \
				  m->c##field);                                \
	}

ADDER(m_schema, model_add_schema, schemas)
ADDER(m_extension, model_add_extension, extensions)
ADDER(m_collation, model_add_collation, collations)
ADDER(m_cast, model_add_cast, casts)
ADDER(m_ts_dict, model_add_ts_dict, ts_dicts)
ADDER(m_ts_config, model_add_ts_config, ts_configs)
ADDER(m_operator, model_add_operator, operators)
ADDER(m_opfamily, model_add_opfamily, opfamilies)
ADDER(m_opclass, model_add_opclass, opclasses)
ADDER(m_enum, model_add_enum, enums)
ADDER(m_domain, model_add_domain, domains)
ADDER(m_composite, model_add_composite, composites)
ADDER(m_range, model_add_range, ranges)
ADDER(m_sequence, model_add_sequence, sequences)
ADDER(m_table, model_add_table, tables)
ADDER(m_index, model_add_index, indexes)
ADDER(m_statistics, model_add_statistics, statistics)
ADDER(m_view, model_add_view, views)
ADDER(m_function, model_add_function, functions)
ADDER(m_trigger, model_add_trigger, triggers)
ADDER(m_policy, model_add_policy, policies)
ADDER(m_grant, model_add_grant, grants)

m_column *model_table_add_column(model *m, m_table *t)
{
	return ARENA_PUSH(&m->arena, t->columns, t->ncolumns, t->ccolumns);
}

m_constraint *model_table_add_constraint(model *m, m_table *t)
{
	return ARENA_PUSH(&m->arena, t->constraints, t->nconstraints,
			  t->cconstraints);
}

static m_warning *add_warning(model *m, const char *fmt, va_list ap)
{
	strbuf sb = STRBUF_INIT;
	strbuf_vaddf(&sb, fmt, ap);
	m_warning *w =
	    ARENA_PUSH(&m->arena, m->warnings, m->nwarnings, m->cwarnings);
	w->message = arena_strdup(&m->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return w;
}

void model_add_warning(model *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_warning(m, fmt, ap);
	va_end(ap);
}

void model_add_note(model *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_warning(m, fmt, ap)->note = true;
	va_end(ap);
}

/* NULL sorts first, so that "no schema" compares equal to itself. */
static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_pair(const char *s1, const char *n1, const char *s2,
		    const char *n2)
{
	int c = cmp_str(s1, s2);
	return c ? c : cmp_str(n1, n2);
}

static int cmp_schema(const void *a, const void *b)
{
	return cmp_str(((const m_schema *)a)->name,
		       ((const m_schema *)b)->name);
}

static int cmp_extension(const void *a, const void *b)
{
	return cmp_str(((const m_extension *)a)->name,
		       ((const m_extension *)b)->name);
}

#define CMP_QUALIFIED(fn, type)                                                \
	static int fn(const void *a, const void *b)                            \
	{                                                                      \
		const type *x = a, *y = b;                                     \
		return cmp_pair(x->schema, x->name, y->schema, y->name);       \
	}

CMP_QUALIFIED(cmp_enum, m_enum)
CMP_QUALIFIED(cmp_collation, m_collation)
CMP_QUALIFIED(cmp_ts_dict, m_ts_dict)
CMP_QUALIFIED(cmp_ts_config, m_ts_config)

static int cmp_cast(const void *a, const void *b)
{
	const m_cast *x = a, *y = b;
	return cmp_pair(x->source, x->target, y->source, y->target);
}

static int cmp_ts_map(const void *a, const void *b)
{
	return cmp_str(((const m_ts_map *)a)->token,
		       ((const m_ts_map *)b)->token);
}

/* Operators are overloaded on their argument types; classes and families
 * are named per access method. */
static int cmp_operator(const void *a, const void *b)
{
	const m_operator *x = a, *y = b;
	int c = cmp_pair(x->schema, x->name, y->schema, y->name);
	return c ? c : cmp_pair(x->left, x->right, y->left, y->right);
}

#define CMP_PER_METHOD(fn, type)                                               \
	static int fn(const void *a, const void *b)                            \
	{                                                                      \
		const type *x = a, *y = b;                                     \
		int c = cmp_pair(x->schema, x->name, y->schema, y->name);      \
		return c ? c : cmp_str(x->method, y->method);                  \
	}

CMP_PER_METHOD(cmp_opfamily, m_opfamily)
CMP_PER_METHOD(cmp_opclass, m_opclass)
CMP_QUALIFIED(cmp_domain, m_domain)
CMP_QUALIFIED(cmp_composite, m_composite)
CMP_QUALIFIED(cmp_range, m_range)
CMP_QUALIFIED(cmp_sequence, m_sequence)
CMP_QUALIFIED(cmp_table, m_table)
CMP_QUALIFIED(cmp_view, m_view)

/* Indexes are named per schema, like every relation. */
CMP_QUALIFIED(cmp_index, m_index)
/* So are statistics objects, in a namespace of their own. */
CMP_QUALIFIED(cmp_statistics, m_statistics)

static int cmp_function(const void *a, const void *b)
{
	const m_function *x = a, *y = b;
	int c = cmp_pair(x->schema, x->name, y->schema, y->name);
	return c ? c : cmp_str(x->identity_args, y->identity_args);
}

/* Triggers and policies are named per table. */
static int cmp_trigger(const void *a, const void *b)
{
	const m_trigger *x = a, *y = b;
	int c = cmp_pair(x->schema, x->table, y->schema, y->table);
	return c ? c : cmp_str(x->name, y->name);
}

static int cmp_policy(const void *a, const void *b)
{
	const m_policy *x = a, *y = b;
	int c = cmp_pair(x->schema, x->table, y->schema, y->table);
	return c ? c : cmp_str(x->name, y->name);
}

static int cmp_grant(const void *a, const void *b)
{
	const m_grant *x = a, *y = b;
	int c = x->objkind - y->objkind;
	if (!c)
		c = cmp_pair(x->schema, x->name, y->schema, y->name);
	if (!c)
		c = cmp_str(x->column, y->column);
	if (!c)
		c = cmp_str(x->grantee, y->grantee);
	if (!c)
		c = cmp_str(x->privilege, y->privilege);
	return c;
}

static int cmp_constraint(const void *a, const void *b)
{
	return cmp_str(((const m_constraint *)a)->name,
		       ((const m_constraint *)b)->name);
}

static int cmp_strp(const void *a, const void *b)
{
	return cmp_str(*(char *const *)a, *(char *const *)b);
}

#define SORT(arr, n, fn)                                                       \
	do {                                                                   \
		if ((n) > 1)                                                   \
			qsort((arr), (size_t)(n), sizeof(*(arr)), fn);         \
	} while (0)

void model_sort(model *m)
{
	SORT(m->schemas, m->nschemas, cmp_schema);
	SORT(m->extensions, m->nextensions, cmp_extension);
	SORT(m->collations, m->ncollations, cmp_collation);
	SORT(m->casts, m->ncasts, cmp_cast);
	SORT(m->ts_dicts, m->nts_dicts, cmp_ts_dict);
	SORT(m->ts_configs, m->nts_configs, cmp_ts_config);
	for (int i = 0; i < m->nts_configs; i++)
		SORT(m->ts_configs[i].mappings, m->ts_configs[i].nmappings,
		     cmp_ts_map);
	SORT(m->operators, m->noperators, cmp_operator);
	SORT(m->opfamilies, m->nopfamilies, cmp_opfamily);
	SORT(m->opclasses, m->nopclasses, cmp_opclass);
	SORT(m->enums, m->nenums, cmp_enum);
	SORT(m->domains, m->ndomains, cmp_domain);
	SORT(m->composites, m->ncomposites, cmp_composite);
	SORT(m->ranges, m->nranges, cmp_range);
	SORT(m->sequences, m->nsequences, cmp_sequence);
	SORT(m->tables, m->ntables, cmp_table);
	SORT(m->indexes, m->nindexes, cmp_index);
	SORT(m->statistics, m->nstatistics, cmp_statistics);
	SORT(m->views, m->nviews, cmp_view);
	SORT(m->functions, m->nfunctions, cmp_function);
	SORT(m->triggers, m->ntriggers, cmp_trigger);
	SORT(m->policies, m->npolicies, cmp_policy);
	SORT(m->grants, m->ngrants, cmp_grant);
	for (int i = 0; i < m->ntables; i++)
		SORT(m->tables[i].constraints, m->tables[i].nconstraints,
		     cmp_constraint);
	for (int i = 0; i < m->ndomains; i++)
		SORT(m->domains[i].checks, m->domains[i].nchecks,
		     cmp_constraint);
	for (int i = 0; i < m->npolicies; i++)
		SORT(m->policies[i].roles, m->policies[i].nroles, cmp_strp);
	for (int i = 0; i < m->nviews; i++)
		SORT(m->views[i].column_comments, m->views[i].ncolumn_comments,
		     cmp_strp);
}

m_table *model_find_table(const model *m, const char *schema, const char *name)
{
	/* Binary search works only on a sorted model; a linear scan is
	 * always right and the tables of one model are found rarely
	 * enough before sorting. */
	m_table key = {0};
	key.schema = (char *)schema;
	key.name = (char *)name;
	int lo = 0, hi = m->ntables - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = cmp_table(&key, &m->tables[mid]);
		if (!c)
			return &m->tables[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	for (int i = 0; i < m->ntables; i++)
		if (!cmp_table(&key, &m->tables[i]))
			return &m->tables[i];
	return NULL;
}

m_column *model_table_find_column(const m_table *t, const char *name)
{
	for (int i = 0; i < t->ncolumns; i++)
		if (!strcmp(t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

m_constraint *model_table_find_constraint(const m_table *t, const char *name)
{
	for (int i = 0; i < t->nconstraints; i++)
		if (!cmp_str(t->constraints[i].name, name))
			return &t->constraints[i];
	return NULL;
}

/* Keep the items of an array for which KEEP(item) is true, in order. */
#define M_FILTER(arr, n, KEEP)                                                 \
	do {                                                                   \
		int k_ = 0;                                                    \
		for (int i_ = 0; i_ < (n); i_++)                               \
			if (KEEP(&(arr)[i_]))                                  \
				(arr)[k_++] = (arr)[i_];                       \
		(n) = k_;                                                      \
	} while (0)

static bool in_list(const char *name, const char *const *names)
{
	for (int i = 0; name && names[i]; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

void model_drop_tables(model *m, const char *const *names)
{
	/* Sequences owned by those tables (serial ids) go with them. */
	const char **seqs = NULL;
	int nseqs = 0, cseqs = 0;
	for (int i = 0; i < m->nsequences; i++)
		if (in_list(m->sequences[i].owner.name, names))
			*ARENA_PUSH(&m->arena, seqs, nseqs, cseqs) =
			    m->sequences[i].name;
	const char **all =
	    arena_alloc(&m->arena, sizeof(char *) * (size_t)(nseqs + 1));
	for (int i = 0; i < nseqs; i++)
		all[i] = seqs[i];
	all[nseqs] = NULL;

#define KEEP_TABLE(t)	 (!in_list((t)->name, names))
#define KEEP_ON_TABLE(x) (!in_list((x)->table, names))
#define KEEP_SEQ(q)	 (!in_list((q)->name, all))
#define KEEP_GRANT(g)                                                          \
	(!(((g)->objkind == 'r' && in_list((g)->name, names)) ||               \
	   ((g)->objkind == 'S' && in_list((g)->name, all))))
	M_FILTER(m->tables, m->ntables, KEEP_TABLE);
	M_FILTER(m->indexes, m->nindexes, KEEP_ON_TABLE);
	M_FILTER(m->statistics, m->nstatistics, KEEP_ON_TABLE);
	M_FILTER(m->triggers, m->ntriggers, KEEP_ON_TABLE);
	M_FILTER(m->policies, m->npolicies, KEEP_ON_TABLE);
	M_FILTER(m->sequences, m->nsequences, KEEP_SEQ);
	M_FILTER(m->grants, m->ngrants, KEEP_GRANT);
#undef KEEP_TABLE
#undef KEEP_ON_TABLE
#undef KEEP_SEQ
#undef KEEP_GRANT
}
