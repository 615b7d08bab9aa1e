/*
 * Partial normalisation, part two: the scratch model of the dirty
 * relations, completed with the live model's clean ones (schema/subset.h).
 *
 * What comes from the live model is copied into the scratch model's
 * arena, string by string: the result must not borrow from a model the
 * caller frees on its own. Each copy starts with a struct assignment, so
 * that every scalar field comes along; then every pointer is copied.
 */
#include <string.h>

#include "subset_internal.h"

typedef struct copier {
	arena *a;
} copier;

static char *str(copier *c, const char *s)
{
	return arena_strdup(c->a, s);
}

static char **strs(copier *c, char *const *v, int n)
{
	char **out = arena_alloc(c->a, sizeof(char *) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		out[i] = str(c, v[i]);
	return out;
}

static m_ref ref(copier *c, m_ref r)
{
	return (m_ref){str(c, r.schema), str(c, r.name)};
}

static m_ref *refs(copier *c, const m_ref *v, int n)
{
	m_ref *out = arena_alloc(c->a, sizeof(m_ref) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		out[i] = ref(c, v[i]);
	return out;
}

static m_colref *colrefs(copier *c, const m_colref *v, int n)
{
	m_colref *out =
	    arena_alloc(c->a, sizeof(m_colref) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		out[i] = (m_colref){str(c, v[i].schema), str(c, v[i].table),
				    str(c, v[i].column)};
	return out;
}

/* Arrays copied this way have exactly their count as capacity. */
#define COPY_STRS(c, x, f)                                                     \
	((x)->f = strs(c, (x)->f, (x)->n##f), (x)->c##f = (x)->n##f)
#define COPY_REFS(c, x, f)                                                     \
	((x)->f = refs(c, (x)->f, (x)->n##f), (x)->c##f = (x)->n##f)
#define COPY_COLREFS(c, x, f)                                                  \
	((x)->f = colrefs(c, (x)->f, (x)->n##f), (x)->c##f = (x)->n##f)

static void column(copier *c, m_column *x)
{
	x->name = str(c, x->name);
	x->type = str(c, x->type);
	x->collation = str(c, x->collation);
	x->default_expr = str(c, x->default_expr);
	x->generated_expr = str(c, x->generated_expr);
	x->identity_options = str(c, x->identity_options);
	x->comment = str(c, x->comment);
	x->stattarget = str(c, x->stattarget);
	x->options = str(c, x->options);
	x->on_update = str(c, x->on_update);
	x->charset = str(c, x->charset);
}

static void constraint(copier *c, m_constraint *x)
{
	x->name = str(c, x->name);
	x->definition = str(c, x->definition);
	COPY_STRS(c, x, columns);
	x->ref = ref(c, x->ref);
	COPY_STRS(c, x, ref_columns);
	x->comment = str(c, x->comment);
}

static void table(copier *c, m_table *x)
{
	x->schema = str(c, x->schema);
	x->name = str(c, x->name);
	m_column *cols = arena_alloc(
	    c->a, sizeof(m_column) * (size_t)(x->ncolumns ? x->ncolumns : 1));
	for (int i = 0; i < x->ncolumns; i++) {
		cols[i] = x->columns[i];
		column(c, &cols[i]);
	}
	x->columns = cols;
	x->ccolumns = x->ncolumns;
	m_constraint *cons = arena_alloc(
	    c->a, sizeof(m_constraint) *
		      (size_t)(x->nconstraints ? x->nconstraints : 1));
	for (int i = 0; i < x->nconstraints; i++) {
		cons[i] = x->constraints[i];
		constraint(c, &cons[i]);
	}
	x->constraints = cons;
	x->cconstraints = x->nconstraints;
	x->comment = str(c, x->comment);
	x->partition_key = str(c, x->partition_key);
	x->parent = ref(c, x->parent);
	x->partition_bound = str(c, x->partition_bound);
	COPY_REFS(c, x, inherits);
	x->options = str(c, x->options);
	x->replica_index = str(c, x->replica_index);
	x->engine = str(c, x->engine);
	x->charset = str(c, x->charset);
	x->collation = str(c, x->collation);
	x->row_format = str(c, x->row_format);
	x->partitioning = str(c, x->partitioning);
}

static void index_(copier *c, m_index *x)
{
	x->schema = str(c, x->schema);
	x->table = str(c, x->table);
	x->name = str(c, x->name);
	x->definition = str(c, x->definition);
	x->comment = str(c, x->comment);
	x->stattargets = str(c, x->stattargets);
}

static void view(copier *c, m_view *x)
{
	x->schema = str(c, x->schema);
	x->name = str(c, x->name);
	x->definition = str(c, x->definition);
	x->options = str(c, x->options);
	x->check_option = str(c, x->check_option);
	COPY_REFS(c, x, deps);
	COPY_COLREFS(c, x, column_deps);
	COPY_STRS(c, x, column_comments);
	x->comment = str(c, x->comment);
}

static void trigger(copier *c, m_trigger *x)
{
	x->schema = str(c, x->schema);
	x->table = str(c, x->table);
	x->name = str(c, x->name);
	x->definition = str(c, x->definition);
	x->function = ref(c, x->function);
	COPY_STRS(c, x, columns);
	x->comment = str(c, x->comment);
}

static void policy(copier *c, m_policy *x)
{
	x->schema = str(c, x->schema);
	x->table = str(c, x->table);
	x->name = str(c, x->name);
	x->command = str(c, x->command);
	COPY_STRS(c, x, roles);
	x->using_expr = str(c, x->using_expr);
	x->check_expr = str(c, x->check_expr);
	COPY_COLREFS(c, x, column_deps);
	x->comment = str(c, x->comment);
}

static void statistics(copier *c, m_statistics *x)
{
	x->schema = str(c, x->schema);
	x->name = str(c, x->name);
	x->table_schema = str(c, x->table_schema);
	x->table = str(c, x->table);
	x->definition = str(c, x->definition);
	x->stattarget = str(c, x->stattarget);
	x->comment = str(c, x->comment);
}

static void sequence(copier *c, m_sequence *x)
{
	x->schema = str(c, x->schema);
	x->name = str(c, x->name);
	x->type = str(c, x->type);
	x->owner = ref(c, x->owner);
	x->owner_column = str(c, x->owner_column);
	x->comment = str(c, x->comment);
}

static void grant(copier *c, m_grant *x)
{
	x->schema = str(c, x->schema);
	x->name = str(c, x->name);
	x->column = str(c, x->column);
	x->grantee = str(c, x->grantee);
	x->privilege = str(c, x->privilege);
}

static void type_use(copier *c, m_typeuse *x)
{
	x->schema = str(c, x->schema);
	x->table = str(c, x->table);
	x->name = str(c, x->name);
	x->type = ref(c, x->type);
}

/* Append to dst->field a copy of each item of src->field that `cond`
 * holds for. */
#define TAKE(c, dst, src, field, cond, copy)                                   \
	do {                                                                   \
		for (int i_ = 0; i_ < (src)->n##field; i_++) {                 \
			if (!cond(&(src)->field[i_]))                          \
				continue;                                      \
			__typeof__((src)->field[0]) *x_ =                      \
			    ARENA_PUSH((c)->a, (dst)->field, (dst)->n##field,  \
				       (dst)->c##field);                       \
			*x_ = (src)->field[i_];                                \
			copy(c, x_);                                           \
		}                                                              \
	} while (0)

/* Whose is a sequence: its owner's, or its own when it has none. */
static bool seq_dirty(const subset *s, const m_sequence *q)
{
	return q->owner.schema
		   ? subset_is_dirty(s, q->owner.schema, q->owner.name)
		   : true;
}

/* The sequences of `m` a clean relation owns, by key. */
static void clean_sequences(const subset *s, const model *m, strmap *out)
{
	strbuf k = STRBUF_INIT;
	for (int i = 0; i < m->nsequences; i++)
		if (!seq_dirty(s, &m->sequences[i]))
			strmap_add(out,
				   subset_key(&k, m->sequences[i].schema,
					      m->sequences[i].name),
				   NULL);
	strbuf_release(&k);
}

/* What the dirty tables borrowed (subset_model): their unchanged
 * foreign keys and plain indexes, as the live model has them. */
static void borrowed(copier *c, const subset *s, model *scratch,
		     const model *live)
{
	strbuf k = STRBUF_INIT;
	for (int i = 0; i < scratch->ntables; i++) {
		m_table *t = &scratch->tables[i];
		const m_table *lt = model_find_table(live, t->schema, t->name);
		for (int j = 0; lt && j < lt->nconstraints; j++) {
			if (!strmap_contains(
				&s->borrowed_fks,
				subset_key3(&k, t->schema, t->name,
					    lt->constraints[j].name)) ||
			    model_table_find_constraint(
				t, lt->constraints[j].name))
				continue;
			m_constraint *x =
			    ARENA_PUSH(c->a, t->constraints, t->nconstraints,
				       t->cconstraints);
			*x = lt->constraints[j];
			constraint(c, x);
		}
	}
	for (int i = 0; i < live->nindexes; i++) {
		const m_index *lx = &live->indexes[i];
		if (!strmap_contains(&s->borrowed_indexes,
				     subset_key(&k, lx->schema, lx->name)))
			continue;
		m_index *x = ARENA_PUSH(c->a, scratch->indexes,
					scratch->nindexes, scratch->cindexes);
		*x = *lx;
		index_(c, x);
	}
	strbuf_release(&k);
}

void subset_merge(const subset *s, model *scratch, const model *live)
{
	copier cp = {&scratch->arena};
	copier *c = &cp;
	strmap clean_seq_s = STRMAP_INIT, clean_seq_l = STRMAP_INIT;
	strbuf k = STRBUF_INIT;
	clean_sequences(s, scratch, &clean_seq_s);
	clean_sequences(s, live, &clean_seq_l);

#define DIRTY(x)      subset_is_dirty(s, (x)->schema, (x)->name)
#define CLEAN(x)      (!DIRTY(x))
#define ON_DIRTY(x)   subset_is_dirty(s, (x)->schema, (x)->table)
#define ON_CLEAN(x)   (!ON_DIRTY(x))
#define STAT_DIRTY(x) subset_is_dirty(s, (x)->table_schema, (x)->table)
#define STAT_CLEAN(x) (!STAT_DIRTY(x))
#define SEQ_DIRTY(x)  seq_dirty(s, x)
#define SEQ_CLEAN(x)  (!seq_dirty(s, x))
	/* A grant follows its object: a relation, or a sequence whose
	 * owner decides; grants on anything else are the scratch's. */
#define GRANT_CLEAN_IN(map, x)                                                 \
	((x)->objkind == 'r' ? CLEAN(x)                                        \
	 : (x)->objkind == 'S'                                                 \
	     ? strmap_contains(map, subset_key(&k, (x)->schema, (x)->name))    \
	     : false)
#define GRANT_KEEP(x) (!GRANT_CLEAN_IN(&clean_seq_s, x))
#define GRANT_TAKE(x) GRANT_CLEAN_IN(&clean_seq_l, x)

	SUBSET_KEEP(scratch->tables, scratch->ntables, DIRTY);
	SUBSET_KEEP(scratch->views, scratch->nviews, DIRTY);
	SUBSET_KEEP(scratch->indexes, scratch->nindexes, ON_DIRTY);
	SUBSET_KEEP(scratch->triggers, scratch->ntriggers, ON_DIRTY);
	SUBSET_KEEP(scratch->policies, scratch->npolicies, ON_DIRTY);
	SUBSET_KEEP(scratch->statistics, scratch->nstatistics, STAT_DIRTY);
	SUBSET_KEEP(scratch->type_uses, scratch->ntype_uses, ON_DIRTY);
	SUBSET_KEEP(scratch->sequences, scratch->nsequences, SEQ_DIRTY);
	SUBSET_KEEP(scratch->grants, scratch->ngrants, GRANT_KEEP);

	borrowed(c, s, scratch, live);
	TAKE(c, scratch, live, tables, CLEAN, table);
	TAKE(c, scratch, live, views, CLEAN, view);
	TAKE(c, scratch, live, indexes, ON_CLEAN, index_);
	TAKE(c, scratch, live, triggers, ON_CLEAN, trigger);
	TAKE(c, scratch, live, policies, ON_CLEAN, policy);
	TAKE(c, scratch, live, statistics, STAT_CLEAN, statistics);
	TAKE(c, scratch, live, type_uses, ON_CLEAN, type_use);
	TAKE(c, scratch, live, sequences, SEQ_CLEAN, sequence);
	TAKE(c, scratch, live, grants, GRANT_TAKE, grant);
#undef GRANT_TAKE
#undef GRANT_KEEP
#undef GRANT_CLEAN_IN
#undef SEQ_CLEAN
#undef SEQ_DIRTY
#undef STAT_CLEAN
#undef STAT_DIRTY
#undef ON_CLEAN
#undef ON_DIRTY
#undef CLEAN
#undef DIRTY
	strbuf_release(&k);
	strmap_release(&clean_seq_s);
	strmap_release(&clean_seq_l);
	model_sort(scratch);
}
