/*
 * The PostgreSQL planner: from the differ's statements to safe steps.
 *
 * pg_plan diffs the two models both ways. The forward statements are
 * walked in the differ's order (which is known to work); each is offered
 * to the strategies in plan_steps.c and plan_retype.c, and one that no
 * strategy takes becomes a plain step classified by its kind. Rollbacks
 * come from the reverse diff: the statements that the differ generates
 * for the same object in the other direction are exactly what undoes it.
 */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "change.h"
#include "conn.h"
#include "pg.h"
#include "plan_internal.h"

const char *pgp_sprintf(pgp_ctx *c, const char *fmt, ...)
{
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

const char *pgp_qname(pgp_ctx *c, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_qualified(&sb, schema, name);
	char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

const char *pgp_ident(pgp_ctx *c, const char *name)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_ident(&sb, name);
	char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

/* ---- objects --------------------------------------------------------- */

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool pgp_same_object(const diff_stmt *a, const diff_stmt *b)
{
	return same_str(a->obj.schema, b->obj.schema) &&
	       same_str(a->obj.table, b->obj.table) &&
	       same_str(a->obj.name, b->obj.name) &&
	       same_str(a->obj.sub, b->obj.sub);
}

bool pgp_in_source(const diff_stmt *s)
{
	return s->before.obj != NULL;
}

bool pgp_in_target(const diff_stmt *s)
{
	return s->after.obj != NULL;
}

const pgp_stats *pgp_table_stats(pgp_ctx *c, const char *qtable)
{
	return qtable ? strmap_get(&c->stats, qtable) : NULL;
}

bool pgp_table_is_new(pgp_ctx *c, const char *qtable)
{
	return qtable && strmap_contains(&c->new_tables, qtable);
}

/*
 * Sizes and the server version from the live source. reltuples is -1 for
 * a table never vacuumed or analysed (PostgreSQL 14+): the row count is
 * then unknown, while the size still drives the time estimates.
 */
static int load_stats(pgp_ctx *c, const char *url, error *e)
{
	PGconn *conn;
	if (pg_connect(url, &conn, e))
		return -1;
	PGresult *r = PQexec(
	    conn, "SELECT n.nspname, c.relname, c.reltuples::bigint, "
		  "pg_total_relation_size(c.oid), "
		  "current_setting('server_version_num')::int "
		  "FROM pg_class c JOIN pg_namespace n "
		  "ON n.oid = c.relnamespace "
		  "WHERE c.relkind IN ('r', 'p', 'm') "
		  "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
		  "AND n.nspname NOT LIKE 'pg\\_toast%'");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		error_set(e, EXIT_DB, "reading table statistics: %s",
			  PQerrorMessage(conn));
		PQclear(r);
		PQfinish(conn);
		return -1;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		pgp_stats *s = arena_alloc(&c->arena, sizeof(*s));
		s->rows = atoll(PQgetvalue(r, i, 2));
		s->bytes = atoll(PQgetvalue(r, i, 3));
		/* -1: never analysed (PostgreSQL 14+), so unknown. */
		strmap_put(
		    &c->stats,
		    pgp_qname(c, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1)), s);
		if (!c->server_version)
			c->server_version = atoi(PQgetvalue(r, i, 4));
	}
	if (!c->server_version) {
		const char *v = PQparameterStatus(conn, "server_version");
		(void)v;
		c->server_version = PQserverVersion(conn);
	}
	PQclear(r);
	PQfinish(conn);
	c->have_stats = true;
	return 0;
}

/* ---- steps ------------------------------------------------------------ */

long long pgp_est_ms(pgp_ctx *c, const char *qtable, int passes)
{
	if (pgp_table_is_new(c, qtable))
		return 0;
	const pgp_stats *s = pgp_table_stats(c, qtable);
	if (!s)
		return -1;
	/* About 200 MB/s per pass over heap and indexes on ordinary disks:
	 * an order of magnitude, which is what a reviewer needs. */
	return s->bytes * passes / 200000;
}

plan_step *pgp_step(pgp_ctx *c, const char *kind, const char *object,
		    const char *qtable, const char *fwd, const char *lock,
		    unsigned hazards)
{
	plan_step *s = plan_add_step(c->p, kind, object, qtable, fwd);
	s->lock = plan_str(c->p, lock);
	s->hazards = hazards;
	if (pgp_table_is_new(c, qtable)) {
		s->est_rows = 0;
		s->est_lock_ms = 0;
	} else {
		const pgp_stats *st = pgp_table_stats(c, qtable);
		if (st)
			s->est_rows = st->rows;
		if (st || !strcmp(lock, "none"))
			s->est_lock_ms = 0;
	}
	return s;
}

/* ---- rollbacks from the reverse diff ---------------------------------- */

bool pgp_is_drop(int kind)
{
	return pg_change_verb(kind) == CHANGE_VERB_DROP;
}

/* Kinds that make or restore something, as opposed to removing it. */
static bool kind_creates(int k)
{
	return !pgp_is_drop(k) && k != CHANGE_REVOKE &&
	       k != PGC_DETACH_PARTITION;
}

/* The reverse kinds that undo `k`, most specific first (CHANGE_NONE
 * ends the list). */
static const int *inverse_kinds(int k)
{
	static const struct {
		int kind;
		int inv[4];
	} map[] = {
	    {CHANGE_ADD_COLUMN, {CHANGE_DROP_COLUMN}},
	    {CHANGE_ADD_CONSTRAINT, {CHANGE_DROP_CONSTRAINT}},
	    {PGC_ADD_DOMAIN_CHECK_NOT_VALID, {CHANGE_DROP_CONSTRAINT}},
	    {PGC_ADD_ATTRIBUTE, {PGC_DROP_ATTRIBUTE}},
	    {CHANGE_SET_DEFAULT, {CHANGE_SET_DEFAULT, CHANGE_DROP_DEFAULT}},
	    {CHANGE_DROP_DEFAULT, {CHANGE_SET_DEFAULT}},
	    {CHANGE_SET_NOT_NULL, {CHANGE_DROP_NOT_NULL}},
	    {CHANGE_DROP_NOT_NULL, {CHANGE_SET_NOT_NULL}},
	    {PGC_ADD_IDENTITY, {PGC_DROP_IDENTITY}},
	    {PGC_DROP_IDENTITY, {PGC_ADD_IDENTITY}},
	    {CHANGE_GRANT, {CHANGE_REVOKE}},
	    {CHANGE_REVOKE, {CHANGE_GRANT}},
	    {PGC_ATTACH_PARTITION, {PGC_DETACH_PARTITION}},
	    {PGC_DETACH_PARTITION, {PGC_ATTACH_PARTITION}},
	    {CHANGE_CREATE_INDEX, {CHANGE_DROP_INDEX}},
	    /* An enum rebuilt without some labels: they come back in place
	     * (every one of them, see below). */
	    {PGC_RENAME_TYPE, {PGC_ADD_ENUM_VALUE}},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].kind == k)
			return map[i].inv;
	return NULL;
}

/* True when reverse statement `r` belongs to the dropped table or view
 * `s`: its columns, constraints, comments, and the indexes, triggers and
 * policies built on it. */
static bool belongs_to_table(const diff_stmt *r, const diff_stmt *s)
{
	return r->obj.table && same_str(r->obj.schema, s->obj.schema) &&
	       same_str(r->obj.table, s->obj.name);
}

static void claim(pgp_ctx *c, int j, strbuf *sql, bool *tx)
{
	c->claimed[j] = true;
	strbuf_addf(sql, "%s;\n", c->rev.stmts[j].sql);
	if (!c->rev.stmts[j].transactional)
		*tx = false;
}

/*
 * A constraint or index the forward diff drops and makes again with the
 * same definition (an enum rebuilt under it) has nothing in the reverse
 * diff: each half is undone by the other, the drop by the creation, the
 * creation by the drop. `i` is one half; the other is looked for after
 * it (a drop) or before it (a creation). NULL when there is none.
 */
static const char *rebuild_pair(pgp_ctx *c, int i)
{
	static const int pairs[][2] = {
	    {CHANGE_DROP_CONSTRAINT, CHANGE_ADD_CONSTRAINT},
	    {CHANGE_DROP_INDEX, CHANGE_CREATE_INDEX},
	};
	const diff_stmt *s = &c->fwd.stmts[i];
	for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		bool drop = s->change == pairs[p][0];
		if (!drop && s->change != pairs[p][1])
			continue;
		int other = pairs[p][drop ? 1 : 0];
		for (int j = drop ? i + 1 : 0; j < (drop ? c->fwd.nstmts : i);
		     j++)
			if (c->fwd.stmts[j].change == other &&
			    pgp_same_object(&c->fwd.stmts[j], s))
				return pgp_sprintf(c, "%s;\n",
						   c->fwd.stmts[j].sql);
	}
	return NULL;
}

const char *pgp_rollback_of(pgp_ctx *c, int i, bool *transactional)
{
	const diff_stmt *s = &c->fwd.stmts[i];
	strbuf sql = STRBUF_INIT;
	*transactional = true;
	if (pgp_is_drop(s->change)) {
		/* Everything the reverse diff makes for the dropped object. */
		/* A table or view takes its indexes, triggers and policies
		 * with it. */
		bool table = s->change == CHANGE_DROP_TABLE ||
			     s->change == CHANGE_DROP_VIEW;
		for (int j = 0; j < c->rev.nstmts; j++) {
			const diff_stmt *r = &c->rev.stmts[j];
			if (c->claimed[j] || !kind_creates(r->change))
				continue;
			if (pgp_same_object(r, s) ||
			    (table && belongs_to_table(r, s)))
				claim(c, j, &sql, transactional);
		}
	} else {
		const int *inv = inverse_kinds(s->change);
		bool create = pg_change_verb(s->change) == CHANGE_VERB_CREATE;
		int want =
		    !inv && create ? pg_change_undo(s->change) : CHANGE_NONE;
		/* Pass 0: the inverse kind (one statement). Pass 1: the same
		 * kind, e.g. options set one way and reset the other (every
		 * such statement). Pass 2: for a creation, any drop of it. */
		bool found = false;
		for (int pass = 0; pass < 3 && !found; pass++)
			for (int j = 0; j < c->rev.nstmts; j++) {
				const diff_stmt *r = &c->rev.stmts[j];
				if (c->claimed[j] || !pgp_same_object(r, s))
					continue;
				bool ok = false;
				if (pass == 0 && inv)
					for (int k = 0; k < 4 && inv[k]; k++)
						ok |= r->change == inv[k];
				if (pass == 0 && want)
					ok = r->change == want;
				if (pass == 1)
					ok = r->change == s->change;
				if (pass == 2)
					ok = create && pgp_is_drop(r->change);
				if (!ok)
					continue;
				claim(c, j, &sql, transactional);
				found = true;
				if (pass != 1 &&
				    r->change != PGC_ADD_ENUM_VALUE)
					break;
			}
	}
	const char *out =
	    sql.len ? arena_strdup(&c->arena, strbuf_str(&sql)) : NULL;
	strbuf_release(&sql);
	return out ? out : rebuild_pair(c, i);
}

/* ---- plain steps ------------------------------------------------------ */

/* The table a forward statement's object is, or belongs to (a column,
 * a table constraint, an index), quoted; NULL for anything else, or for
 * an object in neither model. */
static const char *table_of(pgp_ctx *c, const diff_stmt *s)
{
	if (!s->before.obj && !s->after.obj)
		return NULL;
	switch (s->obj.kind) {
	case CHANGE_OBJ_TABLE:
		return pgp_qname(c, s->obj.schema, s->obj.name);
	case CHANGE_OBJ_COLUMN:
	case CHANGE_OBJ_CONSTRAINT:
	case CHANGE_OBJ_INDEX:
		return pgp_qname(c, s->obj.schema, s->obj.table);
	default:
		return NULL;
	}
}

/* Lock and hazards of a statement run as the differ wrote it. */
static void classify(const diff_stmt *s, const char **lock, unsigned *hz)
{
	int kind = s->change, verb = pg_change_verb(kind);
	*lock = "ACCESS EXCLUSIVE";
	*hz = HZ_ACCESS_EXCLUSIVE_LOCK;
	switch (kind) {
	case CHANGE_COMMENT:
	case CHANGE_GRANT:
	case CHANGE_REVOKE:
	case PGC_SET_SEQUENCE_VALUE:
	case CHANGE_ALTER_SEQUENCE:
	case PGC_ADD_ENUM_VALUE:
	case PGC_RENAME_TYPE:
	case PGC_ALTER_TS_DICT:
	case PGC_ALTER_TS_CONFIG:
		verb = CHANGE_VERB_CREATE;
		break;
	default:
		break;
	}
	if (verb == CHANGE_VERB_CREATE || verb == CHANGE_VERB_REPLACE) {
		*lock = "none";
		*hz = 0;
	}
	if (kind == CHANGE_CREATE_TRIGGER || kind == PGC_ALTER_TRIGGER) {
		*lock = "SHARE ROW EXCLUSIVE";
		*hz = HZ_BLOCKS_WRITES;
	}
	if (kind == PGC_ALTER_TABLE_OPTIONS || kind == PGC_SET_OPTION)
		*lock = "SHARE UPDATE EXCLUSIVE", *hz = 0;
	if (s->rewrites)
		*hz |= HZ_TABLE_REWRITE;
	if (s->scans)
		*hz |= HZ_TABLE_SCAN;
	if (kind == CHANGE_DROP_TABLE || kind == CHANGE_DROP_COLUMN ||
	    kind == PGC_DROP_ATTRIBUTE)
		*hz |= HZ_DELETES_DATA | HZ_IRREVERSIBLE;
}

/* What the deployed code loses with a drop that the target does not
 * bring back; NULL when the object stays (dropped and made anew). */
static const char *breaking_drop(pgp_ctx *c, const diff_stmt *s)
{
	int k = s->change;
	if (k == CHANGE_DROP_TABLE && !pgp_in_target(s))
		return "drops table %s, which the deployed code may still use";
	if (k == CHANGE_DROP_COLUMN && !pgp_in_target(s))
		return "drops column %s, which the deployed code may still "
		       "read or write";
	if (k == CHANGE_DROP_VIEW) {
		for (int j = 0; j < c->fwd.nstmts; j++)
			if (pgp_same_object(&c->fwd.stmts[j], s) &&
			    (c->fwd.stmts[j].change == CHANGE_CREATE_VIEW ||
			     c->fwd.stmts[j].change ==
				 PGC_CREATE_MATERIALIZED_VIEW))
				return NULL;
		return "drops view %s, which the deployed code may still "
		       "query";
	}
	if (k == CHANGE_DROP_FUNCTION) {
		for (int j = 0; j < c->fwd.nstmts; j++)
			if (pgp_same_object(&c->fwd.stmts[j], s) &&
			    c->fwd.stmts[j].change == CHANGE_CREATE_FUNCTION)
				return NULL;
		return "drops routine %s, which the deployed code may still "
		       "call";
	}
	if (k == CHANGE_REVOKE)
		return "revokes a privilege on %s that the deployed code may "
		       "rely on";
	return NULL;
}

int pgp_plain(pgp_ctx *c, int i, error *e)
{
	(void)e;
	const diff_stmt *s = &c->fwd.stmts[i];
	/* The differ's script-wide "SET check_function_bodies = false" is
	 * no step of its own: each step is its own transaction, so the steps
	 * that create routines carry it as SET LOCAL (see pg_plan). */
	if (s->change == PGC_SET_OPTION && !s->obj.name)
		return 0;
	const char *table = table_of(c, s);
	const char *lock;
	unsigned hz;
	classify(s, &lock, &hz);
	if (pgp_table_is_new(c, table) && !pgp_is_drop(s->change)) {
		lock = "none";
		hz = 0;
	}
	if (!s->transactional)
		hz |= HZ_NOT_TRANSACTIONAL;
	plan_step *st = pgp_step(c, s->kind, s->object, table,
				 pgp_sprintf(c, "%s;\n", s->sql), lock, hz);
	st->transactional = s->transactional;
	if (hz & HZ_TABLE_REWRITE)
		st->est_lock_ms = pgp_est_ms(c, table, 3), st->rewrites = true;
	if (hz & HZ_TABLE_SCAN)
		st->est_lock_ms = pgp_est_ms(c, table, 1), st->scans = true;
	int n = st->n;
	const char *why = breaking_drop(c, s);
	if (why) {
		c->p->steps[n - 1].hazards |= HZ_BREAKS_OLD_CODE;
		plan_add_reason(c->p, n, s->object, why, s->object);
	}
	/* diff_types.c: the values already stored cannot be checked. */
	if (s->change == PGC_ADD_DOMAIN_CHECK_NOT_VALID)
		plan_add_reason(c->p, n, s->object,
				"domain constraint %s is added NOT VALID: "
				"PostgreSQL cannot check the values already "
				"stored while a column holds the domain inside "
				"a composite type or an array",
				s->object);
	bool tx;
	const char *rb = pgp_rollback_of(c, i, &tx);
	plan_step *sp = &c->p->steps[n - 1];
	if (rb) {
		plan_step_set_rollback(c->p, sp, rb);
		sp->rollback_transactional = tx;
		if (sp->hazards & HZ_DELETES_DATA)
			sp->note = plan_str(
			    c->p, "the rollback restores the structure, not "
				  "the rows");
	} else {
		plan_step_set_no_rollback(
		    c->p, sp,
		    s->change == PGC_ADD_ENUM_VALUE
			? "PostgreSQL cannot remove a value from an enum"
			: "nothing to undo separately: the rollback of a "
			  "neighbouring step restores this object");
		/* Apply's remediation stops at a step it cannot undo. */
		if (s->change == PGC_ADD_ENUM_VALUE)
			sp->hazards |= HZ_IRREVERSIBLE;
	}
	return 0;
}

/* ---- entry ------------------------------------------------------------ */

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * A view, trigger or policy dropped in one step and made again steps
 * later is missing in between: the deployed code's queries on the view
 * fail, rows written to the table do not fire the trigger, the policy's
 * rows are hidden. Those that only step aside for a column change share
 * its step (plan_group.c), and so do views and policies whose definition
 * changes too (plan_views.c). What is named here is a window that truly
 * remains: a step between the drop and the creation cannot share one
 * transaction with them (a backfill or a concurrent index build between
 * two changes the object must step aside for), or a trigger whose own
 * definition or function changes (not merged: its function may be made
 * again far from it).
 */
static void drop_gaps(plan *p)
{
	for (int i = 0; i < p->nsteps; i++) {
		bool view = !strcmp(p->steps[i].kind, "drop_view");
		bool policy = !strcmp(p->steps[i].kind, "drop_policy");
		if (!view && !policy &&
		    strcmp(p->steps[i].kind, "drop_trigger"))
			continue;
		for (int j = i + 1; j < p->nsteps; j++) {
			if (strcmp(p->steps[j].object, p->steps[i].object) ||
			    !starts(p->steps[j].kind, "create_"))
				continue;
			if (j > i + 1) {
				p->steps[i].hazards |= HZ_BREAKS_OLD_CODE;
				plan_add_reason(
				    p, i + 1, p->steps[i].object,
				    view ? "view %s is missing from step %d "
					   "until it is made again at step %d: "
					   "queries on it fail meanwhile"
				    : policy
					? "policy %s is missing from step %d "
					  "until it is made again at step %d: "
					  "the rows it lets through are hidden "
					  "and the writes it allows fail "
					  "meanwhile"
					: "trigger %s is missing from step %d "
					  "until it is made again at step %d: "
					  "rows written meanwhile do not fire "
					  "it",
				    p->steps[i].object, i + 1, j + 1);
			}
			break;
		}
	}
}

static bool creates_routine(const char *sql)
{
	return sql && (strstr(sql, "CREATE FUNCTION ") ||
		       strstr(sql, "CREATE OR REPLACE FUNCTION ") ||
		       strstr(sql, "CREATE PROCEDURE ") ||
		       strstr(sql, "CREATE OR REPLACE PROCEDURE "));
}

/* Routine bodies may name tables a later step creates (or a rollback
 * drops): as pg_dump does, body checks are off where routines are made. */
static void set_local_bodies(pgp_ctx *c, plan_step *s)
{
	static const char set[] = "SET LOCAL check_function_bodies = false;\n";
	if (s->transactional && creates_routine(s->forward))
		s->forward =
		    plan_str(c->p, pgp_sprintf(c, "%s%s", set, s->forward));
	if (s->rollback && s->rollback_transactional &&
	    creates_routine(s->rollback))
		s->rollback =
		    plan_str(c->p, pgp_sprintf(c, "%s%s", set, s->rollback));
}

int pg_plan(model *from, const model *to, const char *from_url, plan *p,
	    error *e)
{
	pgp_ctx c;
	memset(&c, 0, sizeof(c));
	c.from = from;
	c.to = to;
	c.p = p;
	diff_result_init(&c.fwd);
	diff_result_init(&c.rev);
	int rc = -1;
	c.server_version = p->settings.server_version;
	if (from_url && load_stats(&c, from_url, e))
		goto out;
	if (!c.server_version)
		c.server_version = 150000;
	p->settings.server_version = c.server_version;
	if (pgp_apply_renames(&c, from, e))
		goto out;
	if (pg_diff(from, to, &c.fwd, e) || pg_diff(to, from, &c.rev, e))
		goto out;
	/* Statements about no particular object (none today, but the
	 * differ does not promise it) match nothing: "" instead of NULL. */
	for (int i = 0; i < c.fwd.nstmts; i++)
		if (!c.fwd.stmts[i].object)
			c.fwd.stmts[i].object = "";
	for (int i = 0; i < c.rev.nstmts; i++)
		if (!c.rev.stmts[i].object)
			c.rev.stmts[i].object = "";
	c.claimed = xcalloc((size_t)c.rev.nstmts + 1, sizeof(bool));
	/* A materialized view made by the plan is new too: nothing reads
	 * it before its step commits, so its indexes need no CONCURRENTLY
	 * and can share that step (plan_group.c). */
	for (int i = 0; i < c.fwd.nstmts; i++)
		if (c.fwd.stmts[i].change == CHANGE_CREATE_TABLE ||
		    c.fwd.stmts[i].change == PGC_CREATE_MATERIALIZED_VIEW)
			strmap_put(&c.new_tables,
				   pgp_qname(&c, c.fwd.stmts[i].obj.schema,
					     c.fwd.stmts[i].obj.name),
				   NULL);
	pgp_hint_renames(&c);
	pgp_hint_column_order(&c);

	typedef int (*strategy)(pgp_ctx *, int, error *);
	static const strategy strategies[] = {
	    pgp_strategy_rebuild,    pgp_strategy_index_swap,
	    pgp_strategy_fk_swap,    pgp_strategy_index,
	    pgp_strategy_constraint, pgp_strategy_not_null,
	    pgp_strategy_add_column, pgp_strategy_retype,
	    pgp_strategy_enum,	     pgp_strategy_drop,
	};
	for (int i = 0; i < c.fwd.nstmts; i++) {
		char key[32];
		snprintf(key, sizeof(key), "#%d", i);
		if (strmap_contains(&c.done, key))
			continue;
		int r = 0;
		for (size_t k = 0;
		     !r && k < sizeof(strategies) / sizeof(strategies[0]); k++)
			r = strategies[k](&c, i, e);
		if (r < 0)
			goto out;
		if (!r && pgp_plain(&c, i, e))
			goto out;
	}
	pgp_group_brackets(&c);
	pgp_close_view_gaps(&c);
	for (int i = 0; i < p->nsteps; i++)
		set_local_bodies(&c, &p->steps[i]);
	drop_gaps(p);
	pgp_unrename_checks(&c);
	pgp_check_identity_bounds(&c);
	rc = 0;
out:
	free(c.claimed);
	strmap_release(&c.stats);
	strmap_release(&c.new_tables);
	strmap_release(&c.done);
	diff_result_release(&c.fwd);
	diff_result_release(&c.rev);
	arena_free(&c.arena);
	return rc;
}
