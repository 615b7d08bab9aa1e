/*
 * Internals of the PostgreSQL differ, shared by diff*.c only.
 *
 * Each generator (one file per object kind) walks the two sorted models
 * in step and emits statements into a diff_ctx. A statement carries a
 * phase plus the keys of the objects it provides and needs;
 * schema/order.c (any dialect's) turns that into the final order (phase,
 * then a topological sort inside the phase, ties broken by generation
 * order), diff_order.c into the result. Ordering is data, not a
 * hand-kept sequence.
 */
#ifndef SCHEMIG_PG_DIFF_INTERNAL_H
#define SCHEMIG_PG_DIFF_INTERNAL_H

#include <stdbool.h>

#include "../../schema/diff.h"
#include "../../schema/model.h"
#include "../../schema/order.h"
#include "../../util/arena.h"
#include "../../util/error.h"
#include "../../util/strbuf.h"
#include "change.h"

/*
 * Phases. Why each one sits where it does:
 *
 * 10-14  Drop what would block later changes: triggers and policies (they
 *        pin columns and functions), foreign keys (they pin the unique
 *        keys and columns they reference), views (they pin the columns,
 *        views and functions they read), functions that must be dropped
 *        and re-created, then other constraints, indexes and statistics
 *        objects.
 * 20-23  Create the namespaces and types everything else is built from:
 *        schemas, extensions, collations, enums, domains, composites, sequences
 * (a column default may call nextval), then functions (defaults, checks and
 * generated columns may call them; bodies are not checked at creation, so they
 * may name tables made later). 24     Domain checks and NOT NULL (after the
 * functions they may call, before any column holds the domain inside a
 * composite type or array: PostgreSQL then refuses to add them).
 * 30     Create and alter tables and columns
 * (parents before partitions and inheritance children). 31     Functions whose
 * arguments or result are a table's row type. 40     Primary keys, unique,
 * check and exclusion constraints, indexes, statistics objects: the columns
 * they cover now exist with their final types. 50     Foreign keys: every
 * referenced table and unique key exists. 60-64  What reads tables: views
 * (dependencies first), materialized views and their indexes, triggers,
 * policies, sequence OWNED BY, then grants and comments on the final objects.
 * 70-73  Drops of tables (children first), sequences and functions, types
 *        and domains, extensions and schemas: by now nothing that stays
 *        refers to them.
 */
enum {
	PH_DROP_TRIGGER = 10,
	PH_DROP_FK = 11,
	PH_DROP_VIEW = 12,
	PH_DROP_FUNCTION_EARLY = 13,
	PH_DROP_CONSTRAINT = 14,
	/* Operators, classes and families made again: after the indexes,
	 * constraints and views that use them (diff_opers.c). */
	PH_DROP_OPERATOR = 15,
	PH_SCHEMA = 20,
	PH_TYPE = 21,
	PH_FUNCTION_SETUP = 22,
	PH_FUNCTION = 23,
	PH_DOMAIN_CHECK = 24,
	PH_TABLE = 30,
	PH_FUNCTION_LATE = 31,
	PH_CONSTRAINT = 40,
	PH_FK = 50,
	PH_VIEW = 60,
	PH_VIEW_INDEX = 61,
	PH_TRIGGER = 62,
	PH_OWNED_BY = 63,
	PH_GRANT = 64,
	PH_DROP_TABLE = 70,
	PH_DROP_SEQUENCE = 71,
	PH_DROP_TYPE = 72,
	PH_DROP_SCHEMA = 73,
};

/*
 * Brackets. A trigger or view that must step aside only because a column
 * it reads changes type (or goes) is not dropped in phase 10-12 and made
 * again in phase 60-62, with every other change in between: its drop
 * comes right before the first statement that changes such a column
 * (its "anchor"), its creation right after the last one, so that the
 * planner can put the three in one transaction and no row escapes the
 * trigger, no query finds the view missing. schema/order.c moves them
 * there once every phase is sorted; the statements that finish the new
 * object (its comments, grants, indexes, ALTER TRIGGER ... ENABLE) follow
 * it (`follow`, or the same object name).
 */
enum { DIFF_BEFORE = ORDER_BEFORE, DIFF_AFTER = ORDER_AFTER };

typedef struct diff_item {
	order_item o; /* phase, keys, object, bracket (schema/order.h);
			 the first member: diff_order.c relies on it */
	int kind;     /* change_kind or pg_change_kind (change.h) */
	const char *sql;
	bool destructive, transactional;
	bool rewrites, scans; /* see diff_stmt */
	change_object obj;    /* what `object` names (diff_on) */
} diff_item;

/* A set of strings (object keys), for "this view must be re-created"
 * and similar marks. */
typedef struct diff_set {
	const char **slots;
	int nslots, used;
} diff_set;

typedef struct diff_ctx {
	const model *from, *to;
	/* One side read from a server, the other parsed from DDL text
	 * (diff --parse): what the parser cannot spell as the server does
	 * is noted in `result` as not compared (diff_parsed.c). */
	bool mixed;
	diff_result *result;
	arena arena; /* items and every string below */
	diff_item **items;
	int nitems, citems;
	diff_set recreated;	/* objects dropped and made anew: their
				   grants and comments are re-emitted */
	diff_set rebuilt_types; /* enums renamed aside ("type" keys) */
	diff_set rebuilt_uses;	/* the objects whose expressions use one
				   (diff_mark_rebuilt_uses) */
	diff_set cols;		/* column marks: "col" dropped, "coltype"
				   type changed, "readd" tables with a
				   column dropped and added again */
	M_ARRAY(const char *, rebuilt); /* enums renamed aside, quoted */
	M_ARRAY(const char *, refns);	/* names of re-created functions */
	bool any_function;
	const char *anchor; /* set while emitting a changed column's
			       statements: diff_emit marks them with it */
	/* from's indexes by (schema, table), made on first need
	 * (diff_fkeys.c): a foreign key looks up the unique indexes of the
	 * table it references, thousands of times in a big schema. */
	const m_index **from_by_table;
	int nfrom_by_table;
} diff_ctx;

/* Walk two sorted arrays in step: `cmp` < 0 means only in from. */
#define MERGE_WALK(na, nb, cmpexpr, ONLY_A, ONLY_B, BOTH)                      \
	do {                                                                   \
		int i_ = 0, j_ = 0;                                            \
		while (i_ < (na) || j_ < (nb)) {                               \
			int r_ = i_ >= (na) ? 1 : j_ >= (nb) ? -1 : (cmpexpr); \
			if (r_ < 0) {                                          \
				ONLY_A;                                        \
				i_++;                                          \
			} else if (r_ > 0) {                                   \
				ONLY_B;                                        \
				j_++;                                          \
			} else {                                               \
				BOTH;                                          \
				i_++;                                          \
				j_++;                                          \
			}                                                      \
		}                                                              \
	} while (0)

/* diff.c: emitting and small helpers. */
diff_item *diff_emit(diff_ctx *c, int phase, int kind, const char *object,
		     const char *sql);
/* What `it` is about, as data (diff_stmt.obj): an object kind (0: the
 * kind's default, pg_change_object_kind) and its raw names. The names
 * must outlive the diff (model strings or the context's arena). Returns
 * `it` (NULL stays NULL: a comment that was not needed). */
diff_item *diff_on(diff_item *it, int objkind, const char *schema,
		   const char *table, const char *name, const char *sub);
void diff_provide(diff_ctx *c, diff_item *it, const char *key);
void diff_need(diff_ctx *c, diff_item *it, const char *key);
/* "prefix\x1fschema\x1fname": keys never collide across parts. */
const char *diff_key(diff_ctx *c, const char *prefix, const char *schema,
		     const char *name);
const char *diff_key3(diff_ctx *c, const char *prefix, const char *schema,
		      const char *name, const char *sub);
/* Quoted names, in the context's arena. */
const char *diff_qname(diff_ctx *c, const char *schema, const char *name);
const char *diff_qname3(diff_ctx *c, const char *schema, const char *name,
			const char *sub);
int diff_strcmp(const char *a, const char *b); /* NULL sorts first */
bool diff_streq(const char *a, const char *b);
/* Compare a (schema, name) pair as model_sort does. */
int diff_cmp_qualified(const char *s1, const char *n1, const char *s2,
		       const char *n2);

void diff_set_add(diff_ctx *c, diff_set *s, const char *key);
bool diff_set_has(const diff_set *s, const char *key);
void diff_set_free(diff_set *s);

/* `sql` without trailing blanks and ';' (server deparsers add them). */
const char *diff_trim_sql(diff_ctx *c, const char *sql);

/* COMMENT ON <target> IS ... when `old` and `new` differ (old is NULL for
 * a new or re-created object); the statement, or NULL when none. */
diff_item *diff_comment(diff_ctx *c, const char *target, const char *object,
			const char *old, const char *new);

/* COMMENT ON <what> <q> when `old` and `new` differ (diff_types.c). */
diff_item *diff_type_comment(diff_ctx *c, const char *what, const char *q,
			     const char *old, const char *new);

/* diff_tables.c: the ordering keys of a relation ("rel") and of a
 * column mark ("col", "coltype"). */
const char *diff_rel_key(diff_ctx *c, const char *schema, const char *name);
const char *diff_col_key(diff_ctx *c, const char *prefix, const m_table *t,
			 const char *col);
/* diff_tables.c: the CREATE TABLE statement of `t` (no ';'), and what
 * follows a new table: row level security, replica identity, the
 * constraints added later, comments. */
const char *diff_table_create_sql(diff_ctx *c, const m_table *t);
void diff_table_create_rest(diff_ctx *c, const m_table *t);
/* The foreign keys of tables the target drops that use key `k` of `t`,
 * dropped early (phase 11): `k` goes before those tables do. */
void diff_drop_dropped_tables_fks(diff_ctx *c, const m_table *t,
				  const m_constraint *k);

/* diff_partition.c: partitioning changes. A table whose kind or
 * partition key changes (or, with --strict-column-order, whose columns
 * come in another order) is rebuilt; a table that moves into or out of a
 * partitioned table is attached or detached. */
/* Marks (after diff_tables_prepare): the rebuilt tables, and their
 * columns as changed for what depends on them. */
int diff_partition_prepare(diff_ctx *c, error *e);
/* What diff_tables does with a pair (a or b NULL: only in one model):
 * PART_NONE as usual, PART_DONE nothing more (the rebuild made or drops
 * it), PART_CREATE create `b` after the key `*after` (the rebuild of the
 * table it was a partition of); -1 with `e` set for what cannot be done
 * in one migration. */
enum { PART_NONE, PART_DONE, PART_CREATE };
int diff_partition_take(diff_ctx *c, const m_table *a, const m_table *b,
			const char **after, error *e);
/* Different parents: emits the DETACH (when `a` has a parent) and sets
 * `*a2`, `*b2` to the pair with the columns each has (a partition's are
 * its parent's) and no parent; false when the parent stays. */
bool diff_partition_moves(diff_ctx *c, const m_table *a, const m_table *b,
			  const m_table **a2, const m_table **b2);
/* A partition that stays in its parent with another bound: DETACH and
 * ATTACH again. */
void diff_partition_bound(diff_ctx *c, const m_table *a, const m_table *b);
/* The ATTACH of a table that moves into partitioned table, after its
 * own changes. */
void diff_partition_attach(diff_ctx *c, const m_table *a, const m_table *b);
/* After diff_tables: the generators that follow see the source model
 * without the indexes, triggers, policies, statistics and grants of the
 * rebuilt tables (they are made anew on the new table). */
void diff_partition_filter(diff_ctx *c);

/* diff_fkeys.c: must foreign key `k` of `t` be dropped and added again
 * around the migration? */
bool diff_fk_disturbed(diff_ctx *c, const m_table *t, const m_constraint *k);

/* Lookups in a sorted model (binary search). */
const m_view *diff_find_view(const model *m, const char *schema,
			     const char *name);
const m_function *diff_find_function(const model *m, const char *schema,
				     const char *name, const char *args);
const m_sequence *diff_find_sequence(const model *m, const char *schema,
				     const char *name);
const m_enum *diff_find_enum(const model *m, const char *schema,
			     const char *name);
const m_domain *diff_find_domain(const model *m, const char *schema,
				 const char *name);
const m_composite *diff_find_composite(const model *m, const char *schema,
				       const char *name);
const m_range *diff_find_range(const model *m, const char *schema,
			       const char *name);
/* Is index ix of `from` taken over by a new key of its table
 * (pg_key_reuses_index): ADD CONSTRAINT ... USING INDEX, not dropped? */
bool diff_index_reused_by_key(diff_ctx *c, const m_index *ix);
const m_index *diff_find_index(const model *m, const char *schema,
			       const char *name);
bool diff_has_type(const model *m, const char *schema, const char *name);
bool diff_has_schema(const model *m, const char *name);

/* The user type a canonical type string names ("public.mood[]" ->
 * public, mood), when it is schema-qualified; false otherwise. */
bool diff_type_ref(diff_ctx *c, const char *type, const char **schema,
		   const char **name);

/* True when `text` (a result or argument list) names a table of `m` by
 * its qualified name, as a row type does: "SETOF public.items". */
bool diff_mentions_table(diff_ctx *c, const model *m, const char *text);

/* diff_parsed.c: what a parsed side cannot be compared on with an
 * introspected one. True when the view's query, or the function's
 * SQL-standard body, differs only as far as the two spellings can
 * tell: it is noted as not compared and must be left alone. */
bool diff_view_uncomparable(diff_ctx *c, const m_view *a, const m_view *b);
bool diff_fn_uncomparable(diff_ctx *c, const m_function *a,
			  const m_function *b);

/* Generators. */
int diff_schemas(diff_ctx *c, error *e);
int diff_collations(diff_ctx *c, error *e);
int diff_casts(diff_ctx *c, error *e);
int diff_textsearch(diff_ctx *c, error *e);
int diff_operators(diff_ctx *c, error *e);
int diff_types(diff_ctx *c, error *e);
int diff_sequences(diff_ctx *c, error *e);
int diff_tables_prepare(diff_ctx *c, error *e);
int diff_tables(diff_ctx *c, error *e);
/* diff_replica.c: ALTER TABLE ... REPLICA IDENTITY of table `b` when it
 * differs from `a` (NULL: `b` is created), or when its identity index is
 * made again. */
void diff_replica_identity(diff_ctx *c, const m_table *a, const m_table *b);
/* Index `ix`, which the diff drops, is its table's replica identity until
 * that moves to another index made in the same diff: it is dropped after
 * the move (PH_FK) instead of with the other drops, so that the identity
 * never goes without an index and a plan's rollback finds the old index
 * back before it moves the identity back to it. */
bool diff_replica_drop_late(diff_ctx *c, const m_index *ix);
int diff_indexes(diff_ctx *c, error *e);
int diff_statistics(diff_ctx *c, error *e);
int diff_views(diff_ctx *c, error *e);
int diff_functions(diff_ctx *c, error *e);
int diff_triggers(diff_ctx *c, error *e);
int diff_policies(diff_ctx *c, error *e);
int diff_grants(diff_ctx *c, error *e);
int diff_settings(diff_ctx *c, error *e);

/* diff_deps.c: what depends on a column that changes. */
/* The anchor key of column `col` of a table ("colchg..."). */
const char *diff_col_anchor(diff_ctx *c, const char *schema, const char *table,
			    const char *col);
/* True when column `col` of a table goes or changes type or collation:
 * what depends on it must be out of the way while it does. */
bool diff_col_changes(diff_ctx *c, const char *schema, const char *table,
		      const char *col);
/* One column a view or routine reads: the anchor of its change in
 * `*anchor` (NULL when it does not change); true for a "*" (a file's
 * query the parser could not expand) over a table with a changing
 * column, which is expanded again at creation, maybe to columns added
 * later: the reader must then be rebuilt in its own phases ("hard"). */
bool diff_colref_anchor(diff_ctx *c, const m_colref *r, const char **anchor);
/* The anchors of the changed columns a trigger depends on (0: none). */
int diff_trigger_anchors(diff_ctx *c, const m_trigger *tg,
			 const char ***anchors);
/* A set of anchors (few: a plain array). */
typedef struct diff_anchors {
	M_ARRAY(const char *, keys);
} diff_anchors;
/* Add `key` unless it is there; true when added. */
bool diff_add_anchor(diff_ctx *c, diff_anchors *a, const char *key);
/* The anchors of the changed columns among `refs` (a view's or a
 * policy's column dependencies) into `a`; *hard is set when a "*" stands
 * for a changed column. */
void diff_colref_anchors(diff_ctx *c, const m_colref *refs, int n,
			 diff_anchors *a, bool *hard);
/* After diff_types: mark the objects of the from side whose expressions
 * use an enum that is rebuilt (m_typeuse). */
void diff_mark_rebuilt_uses(diff_ctx *c);
/* True when object `name` of kind `kind` (see m_typeuse; table NULL for
 * a view) uses a rebuilt enum: its stored expression names the old type,
 * so it must be made again once the new type exists. */
bool diff_uses_rebuilt(diff_ctx *c, char kind, const char *schema,
		       const char *table, const char *name);
/* Make `it` a bracket statement of `side` around `anchors`. */
void diff_bracket(diff_ctx *c, diff_item *it, int side,
		  const char *const *anchors, int nanchors);

/* diff_users.c: append to `out` ("column public.t.a, index public.ix")
 * every object of `m` whose expression or definition text holds
 * `needle`, and with `collation` set every column, domain, attribute and
 * range type of that collation; returns how many. */
int diff_users(diff_ctx *c, const model *m, const char *needle,
	       const char *collation, strbuf *out);
/* True when `def` calls a routine named `name` ("name(" or "name\"(",
 * not inside a longer identifier). Text only: a routine of the same
 * name in another schema matches too, which costs a needless rebuild. */
bool diff_calls(const char *def, const char *name);

/* diff_fnusers.c: a routine dropped and made again takes along what
 * calls it in a table: column defaults, constraints and indexes are
 * dropped before it and made again after it (marked in `recreated` as
 * "usedef", "usecon", "useidx" for diff_tables.c and diff_indexes.c);
 * a generated column cannot be, and fails the diff naming it. */
int diff_fn_users(diff_ctx *c, const m_function *a, const m_function *b,
		  error *e);

/* diff_fnbody.c: routines with a SQL-standard body (m_function.rel_deps).
 * The phase to make `fn` in, from `phase` on: after the tables, views
 * and such routines it reads. */
int diff_fn_create_phase(diff_ctx *c, const m_function *fn, int phase);
/* Its creation needs the relations it reads. */
void diff_fn_create_needs(diff_ctx *c, diff_item *it, const m_function *fn);
/* The phase to drop `fn` in, from `phase` on: before what it reads. */
int diff_fn_drop_phase(diff_ctx *c, const m_function *fn, int phase);
/* Its drop clears the way for the relations it reads. */
void diff_fn_drop_provides(diff_ctx *c, diff_item *it, const m_function *fn);
/* The anchors of the changed columns `fn` reads (0: none); `hard` when
 * a relation it reads goes, or a column behind a "*" changes. */
int diff_fn_anchors(diff_ctx *c, const m_function *fn, const char ***anchors,
		    bool *hard);

/* Column/type rendering used by tables and composites. */
void diff_column_def(strbuf *sb, const m_column *col);

/* diff_order.c: sort the items (schema/order.c) and hand them to `out`
 * as statements. */
void diff_order(diff_ctx *c, diff_result *out);

#endif
