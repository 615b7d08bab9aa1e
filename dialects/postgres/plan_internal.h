/*
 * Internals of the PostgreSQL planner, shared by plan*.c only.
 *
 * The planner starts from the differ's statements (what must change, in
 * an order that works) and replaces each one that would block a live
 * table by a sequence of safe steps. Every statement also has a reverse:
 * the differ run the other way produces, for the same object, the
 * statements that undo it, so rollbacks come from the same generators
 * that are proven to converge (plan.c, rollback matching).
 */
#ifndef SCHEMIG_PG_PLAN_INTERNAL_H
#define SCHEMIG_PG_PLAN_INTERNAL_H

#include <stdbool.h>

#include "../../plan/plan.h"
#include "../../schema/diff.h"
#include "../../schema/model.h"
#include "../../util/arena.h"
#include "../../util/error.h"
#include "../../util/strbuf.h"
#include "../../util/strmap.h"
#include "change.h"

/* Size of one table in the live source (pg_class). */
typedef struct pgp_stats {
	long long rows;	 /* reltuples, or an estimate from the size */
	long long bytes; /* heap + indexes + toast */
} pgp_stats;

typedef struct pgp_ctx {
	const model *from, *to;
	plan *p;
	arena arena; /* scratch strings of the run */
	diff_result fwd, rev;
	bool *claimed;	   /* per reverse statement: used by a rollback */
	strmap stats;	   /* "s.t" (quoted) -> pgp_stats */
	bool have_stats;   /* the source is a live database */
	strmap new_tables; /* tables the plan creates: no live rows */
	strmap done;	   /* forward statements a strategy already
			      covered, by index ("#12") */
	int server_version;
} pgp_ctx;

/* plan.c */
/* Two statements about the same object, as the differ names it (its raw
 * names; the object kind aside: a comment or grant is about the object
 * of the statement that makes it). */
bool pgp_same_object(const diff_stmt *a, const diff_stmt *b);
/* The statement's object is in the source (before) or target (after)
 * model. */
bool pgp_in_source(const diff_stmt *s);
bool pgp_in_target(const diff_stmt *s);
/* A kind that drops something (a "drop_" kind). */
bool pgp_is_drop(int kind);
const char *pgp_sprintf(pgp_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *pgp_qname(pgp_ctx *c, const char *schema, const char *name);
const char *pgp_ident(pgp_ctx *c, const char *name);
/* Statistics of a quoted table name, or NULL when unknown. */
const pgp_stats *pgp_table_stats(pgp_ctx *c, const char *qtable);
bool pgp_table_is_new(pgp_ctx *c, const char *qtable);

/*
 * Add a step whose forward SQL is `fwd` (";\n" appended to each
 * statement by the caller) and fill its size estimates from `qtable`.
 * `lock` is the strongest lock taken on the table.
 */
plan_step *pgp_step(pgp_ctx *c, const char *kind, const char *object,
		    const char *qtable, const char *fwd, const char *lock,
		    unsigned hazards);
/* Estimated time a step holding a lock over the whole table takes:
 * `passes` reads (scan = 1, rewrite = 3), -1 when the size is unknown. */
long long pgp_est_ms(pgp_ctx *c, const char *qtable, int passes);

/* The reverse statements that undo forward statement `i` (claimed, in
 * the reverse diff's order) as one SQL text, or NULL when none match. */
const char *pgp_rollback_of(pgp_ctx *c, int i, bool *transactional);

/* The default step for a forward statement no strategy rewrites. */
int pgp_plain(pgp_ctx *c, int i, error *e);

/* plan_steps.c: the safe strategies. Each returns 1 when it handled
 * statement `i`, 0 to let the next one (or pgp_plain) have it, -1 on
 * error. */
int pgp_strategy_index(pgp_ctx *c, int i, error *e);
/* drop_invalid_index + a CONCURRENTLY build (`kind`) of `create_sql`,
 * whose rollback drops it again; returns the build step's number. */
int pgp_build_index(pgp_ctx *c, const char *kind, const char *qindex,
		    const char *qtable, const char *create_sql,
		    const char *note);
/* plan_swap.c: a redefined index built beside the old one, then swapped. */
int pgp_strategy_index_swap(pgp_ctx *c, int i, error *e);
/* A foreign key whose actions change, replaced without a gap. */
int pgp_strategy_fk_swap(pgp_ctx *c, int i, error *e);
int pgp_strategy_constraint(pgp_ctx *c, int i, error *e);
/* plan_keys.c: forward statement i adds key k of table t over the
 * source's index ix (pg_key_reuses_index): its one step. */
int pgp_key_reuse_index(pgp_ctx *c, int i, const m_table *t,
			const m_constraint *k, const m_index *ix);
int pgp_strategy_not_null(pgp_ctx *c, int i, error *e);
int pgp_strategy_add_column(pgp_ctx *c, int i, error *e);
int pgp_strategy_enum(pgp_ctx *c, int i, error *e);
int pgp_strategy_drop(pgp_ctx *c, int i, error *e);
/* plan_rebuild.c: a table rebuild (PGC_REBUILD_TABLE) and what must be
 * made with it as one blocking step; a partition detached for good
 * CONCURRENTLY (PostgreSQL 14+). */
int pgp_strategy_rebuild(pgp_ctx *c, int i, error *e);
/* plan_rebuild_online.c: the rebuild (statement `ri`, whose group
 * `in` tells, and `in_rev` in the reverse diff) as online steps: 1 when
 * planned so, else 0 and `why`. */
int pgp_rebuild_online(pgp_ctx *c, int ri, bool (*in)(pgp_ctx *, int),
		       bool (*in_rev)(pgp_ctx *, int), const char **why);

/* plan_group.c: merge steps first..last (1-based) into step `first`,
 * named, placed and noted after step `lead`; the forward SQL in order,
 * the rollbacks in reverse, the strongest lock, every hazard. */
void pgp_merge_steps(pgp_ctx *c, int first, int last, int lead);
/* Put steps lo..hi in the order `order` (old numbers, hi - lo + 1 of
 * them), renumbering what points at them. */
void pgp_reorder_steps(pgp_ctx *c, int lo, int hi, const int *order);
/* One transaction for each trigger or view dropped and made again around
 * a column change, where the steps allow it. */
void pgp_group_brackets(pgp_ctx *c);

/* plan_views.c: a view or policy whose definition changes (dropped in the
 * phase of drops, made in the phase of views) dropped and made again in
 * one step with the changes that need it out of the way. */
void pgp_close_view_gaps(pgp_ctx *c);

/* plan_rename.c: declared renames, applied to the source model first;
 * hints for undeclared ones. */
int pgp_apply_renames(pgp_ctx *c, model *from, error *e);
void pgp_hint_renames(pgp_ctx *c);
/* A note when the target orders the columns both sides have otherwise. */
void pgp_hint_column_order(pgp_ctx *c);
/* A data check on each identity sequence given new bounds
 * (plan_sequences.c). */
void pgp_check_identity_bounds(pgp_ctx *c);
void pgp_unrename_checks(pgp_ctx *c);

/* plan_columns.c: column type changes. */
int pgp_strategy_retype(pgp_ctx *c, int i, error *e);
/* True when changing `from` to `to` needs no rewrite of the table. */
bool pgp_type_change_in_place(const char *from, const char *to);

/*
 * Add a batched backfill step of existing table `t` and return its
 * number: `set` is the SET list ("c = expr"), `pending` the predicate of
 * rows still to do. Keyset over a one-column primary key; batches by
 * ctid otherwise. Its SQL and its typed form (plan_step.backfill) do the
 * same batches.
 */
int pgp_step_backfill(pgp_ctx *c, const char *obj, const m_table *t,
		      const char *set, const char *pending);
int pgp_batch_size(pgp_ctx *c, const char *qtable);
/* The one-column primary key of `t`, or NULL. */
const char *pgp_single_key(const m_table *t);
/* `base` plus `suffix` as a name of at most 63 bytes; a longer one is cut
 * and ends with a hash of `base`, so different bases stay different. */
const char *pgp_helper_name(pgp_ctx *c, const char *base, const char *suffix);

/* The safe SET NOT NULL sequence on an existing column: CHECK NOT VALID,
 * VALIDATE, SET NOT NULL, drop the CHECK. `why_step` numbers the check
 * against data (NULLs). */
void pgp_safe_set_not_null(pgp_ctx *c, const m_table *t, const char *col,
			   const char *object, bool check_data);

/* plan_checks_expr.c: 0 when `sql`, a CHECK's counting query, is one
 * SELECT ... WHERE <condition> whose condition calls only allow-listed
 * built-in functions and operators; -1 with `why` filled ("expression
 * calls pg_sleep()") otherwise. */
int pgp_vet_check_query(const char *sql, strbuf *why);

#endif
