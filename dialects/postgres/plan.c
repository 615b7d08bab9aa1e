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

static const char *qname3(pgp_ctx *c, const char *schema, const char *name,
			  const char *sub)
{
	return pgp_sprintf(c, "%s.%s", pgp_qname(c, schema, name),
			   pgp_ident(c, sub));
}

/* ---- lookups ---------------------------------------------------------- */

static void index_model(pgp_ctx *c, pgp_index *ix, const model *m)
{
	for (int i = 0; i < m->ntables; i++) {
		const m_table *t = &m->tables[i];
		strmap_put(&ix->tables, pgp_qname(c, t->schema, t->name),
			   (void *)t);
		for (int j = 0; j < t->ncolumns; j++) {
			pgp_col *pc = arena_alloc(&c->arena, sizeof(*pc));
			pc->table = t;
			pc->col = &t->columns[j];
			strmap_put(
			    &ix->cols,
			    qname3(c, t->schema, t->name, t->columns[j].name),
			    pc);
		}
		for (int j = 0; j < t->nconstraints; j++) {
			pgp_con *pk = arena_alloc(&c->arena, sizeof(*pk));
			pk->table = t;
			pk->con = &t->constraints[j];
			strmap_put(&ix->cons,
				   qname3(c, t->schema, t->name,
					  t->constraints[j].name),
				   pk);
		}
	}
	for (int i = 0; i < m->nindexes; i++)
		strmap_put(
		    &ix->indexes,
		    pgp_qname(c, m->indexes[i].schema, m->indexes[i].name),
		    &m->indexes[i]);
	for (int i = 0; i < m->nenums; i++)
		strmap_put(&ix->enums,
			   pgp_qname(c, m->enums[i].schema, m->enums[i].name),
			   &m->enums[i]);
}

static void index_release(pgp_index *ix)
{
	strmap_release(&ix->tables);
	strmap_release(&ix->cols);
	strmap_release(&ix->cons);
	strmap_release(&ix->indexes);
	strmap_release(&ix->enums);
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

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Kinds that make or restore something, as opposed to removing it. */
static bool kind_creates(const char *k)
{
	return !starts(k, "drop_") && strcmp(k, "revoke") &&
	       strcmp(k, "detach_partition");
}

/* The reverse kinds that undo `k`, most specific first. */
static const char *const *inverse_kinds(const char *k)
{
	static const struct {
		const char *kind;
		const char *inv[4];
	} map[] = {
	    {"add_column", {"drop_column"}},
	    {"add_constraint", {"drop_constraint"}},
	    {"add_domain_check_not_valid", {"drop_constraint"}},
	    {"add_attribute", {"drop_attribute"}},
	    {"set_default", {"set_default", "drop_default"}},
	    {"drop_default", {"set_default"}},
	    {"set_not_null", {"drop_not_null"}},
	    {"drop_not_null", {"set_not_null"}},
	    {"add_identity", {"drop_identity"}},
	    {"drop_identity", {"add_identity"}},
	    {"grant", {"revoke"}},
	    {"revoke", {"grant"}},
	    {"attach_partition", {"detach_partition"}},
	    {"detach_partition", {"attach_partition"}},
	    {"create_index", {"drop_index"}},
	    /* An enum rebuilt without some labels: they come back in place
	     * (every one of them, see below). */
	    {"rename_type", {"add_enum_value"}},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].kind, k))
			return map[i].inv;
	return NULL;
}

/* True when reverse statement `r` belongs to the dropped table `obj`: its
 * columns, constraints, comments, and the indexes, triggers and policies
 * built ON it. */
static bool belongs_to_table(const diff_stmt *r, const char *obj)
{
	size_t l = strlen(obj);
	if (!strncmp(r->object, obj, l) && r->object[l] == '.')
		return true;
	if (!kind_creates(r->kind))
		return false;
	const char *on = strstr(r->sql, " ON ");
	while (on) {
		const char *n = on + 4;
		if (starts(n, "ONLY "))
			n += 5;
		if (!strncmp(n, obj, l) &&
		    (n[l] == ' ' || n[l] == '\0' || n[l] == '('))
			return true;
		on = strstr(on + 1, " ON ");
	}
	return false;
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
	static const char *const pairs[][2] = {
	    {"drop_constraint", "add_constraint"},
	    {"drop_index", "create_index"},
	};
	const diff_stmt *s = &c->fwd.stmts[i];
	for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		bool drop = !strcmp(s->kind, pairs[p][0]);
		if (!drop && strcmp(s->kind, pairs[p][1]))
			continue;
		const char *other = pairs[p][drop ? 1 : 0];
		for (int j = drop ? i + 1 : 0; j < (drop ? c->fwd.nstmts : i);
		     j++)
			if (!strcmp(c->fwd.stmts[j].kind, other) &&
			    !strcmp(c->fwd.stmts[j].object, s->object))
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
	if (starts(s->kind, "drop_")) {
		/* Everything the reverse diff makes for the dropped object. */
		/* A table or view takes its indexes, triggers and policies
		 * with it. */
		bool table = !strcmp(s->kind, "drop_table") ||
			     !strcmp(s->kind, "drop_view");
		for (int j = 0; j < c->rev.nstmts; j++) {
			const diff_stmt *r = &c->rev.stmts[j];
			if (c->claimed[j] || !kind_creates(r->kind))
				continue;
			if (!strcmp(r->object, s->object) ||
			    (table && belongs_to_table(r, s->object)))
				claim(c, j, &sql, transactional);
		}
	} else {
		const char *const *inv = inverse_kinds(s->kind);
		const char *want = NULL;
		char dropk[64];
		if (!inv && starts(s->kind, "create_") &&
		    strlen(s->kind) < sizeof(dropk) - 8) {
			snprintf(dropk, sizeof(dropk), "drop_%s", s->kind + 7);
			want = dropk;
		}
		/* Pass 0: the inverse kind (one statement). Pass 1: the same
		 * kind, e.g. options set one way and reset the other (every
		 * such statement). Pass 2: for a creation, any drop of it. */
		bool found = false;
		for (int pass = 0; pass < 3 && !found; pass++)
			for (int j = 0; j < c->rev.nstmts; j++) {
				const diff_stmt *r = &c->rev.stmts[j];
				if (c->claimed[j] ||
				    strcmp(r->object, s->object))
					continue;
				bool ok = false;
				if (pass == 0 && inv)
					for (int k = 0; k < 4 && inv[k]; k++)
						ok |= !strcmp(r->kind, inv[k]);
				if (pass == 0 && want)
					ok = !strcmp(r->kind, want);
				if (pass == 1)
					ok = !strcmp(r->kind, s->kind);
				if (pass == 2)
					ok = starts(s->kind, "create_") &&
					     starts(r->kind, "drop_");
				if (!ok)
					continue;
				claim(c, j, &sql, transactional);
				found = true;
				if (pass != 1 &&
				    strcmp(r->kind, "add_enum_value"))
					break;
			}
	}
	const char *out =
	    sql.len ? arena_strdup(&c->arena, strbuf_str(&sql)) : NULL;
	strbuf_release(&sql);
	return out ? out : rebuild_pair(c, i);
}

/* ---- plain steps ------------------------------------------------------ */

/* The table a forward statement's object belongs to, quoted, or NULL. */
static const char *table_of(pgp_ctx *c, const diff_stmt *s)
{
	const pgp_col *pc = strmap_get(&c->ito.cols, s->object);
	if (!pc)
		pc = strmap_get(&c->ifrom.cols, s->object);
	if (pc)
		return pgp_qname(c, pc->table->schema, pc->table->name);
	const pgp_con *pk = strmap_get(&c->ito.cons, s->object);
	if (!pk)
		pk = strmap_get(&c->ifrom.cons, s->object);
	if (pk)
		return pgp_qname(c, pk->table->schema, pk->table->name);
	const m_index *ix = strmap_get(&c->ito.indexes, s->object);
	if (!ix)
		ix = strmap_get(&c->ifrom.indexes, s->object);
	if (ix)
		return pgp_qname(c, ix->schema, ix->table);
	if (strmap_contains(&c->ito.tables, s->object) ||
	    strmap_contains(&c->ifrom.tables, s->object))
		return s->object;
	return NULL;
}

/* Lock and hazards of a statement run as the differ wrote it. */
static void classify(const char *kind, const char **lock, unsigned *hz)
{
	*lock = "ACCESS EXCLUSIVE";
	*hz = HZ_ACCESS_EXCLUSIVE_LOCK;
	if (starts(kind, "create_") || starts(kind, "replace_") ||
	    !strcmp(kind, "comment") || !strcmp(kind, "grant") ||
	    !strcmp(kind, "revoke") || starts(kind, "set_sequence") ||
	    !strcmp(kind, "alter_sequence") ||
	    !strcmp(kind, "add_enum_value") || !strcmp(kind, "rename_type") ||
	    !strcmp(kind, "alter_ts_dict") ||
	    !strcmp(kind, "alter_ts_config")) {
		*lock = "none";
		*hz = 0;
	}
	if (!strcmp(kind, "create_trigger") || !strcmp(kind, "alter_trigger")) {
		*lock = "SHARE ROW EXCLUSIVE";
		*hz = HZ_BLOCKS_WRITES;
	}
	if (!strcmp(kind, "alter_table_options") || !strcmp(kind, "set_option"))
		*lock = "SHARE UPDATE EXCLUSIVE", *hz = 0;
	if (!strcmp(kind, "alter_table_logged"))
		*hz |= HZ_TABLE_REWRITE;
	if (!strcmp(kind, "attach_partition"))
		*hz |= HZ_TABLE_SCAN;
	if (!strcmp(kind, "drop_table") || !strcmp(kind, "drop_column") ||
	    !strcmp(kind, "drop_attribute"))
		*hz |= HZ_DELETES_DATA | HZ_IRREVERSIBLE;
}

/* What the deployed code loses with a drop that the target does not
 * bring back; NULL when the object stays (dropped and made anew). */
static const char *breaking_drop(pgp_ctx *c, const diff_stmt *s)
{
	const char *k = s->kind;
	if (!strcmp(k, "drop_table") &&
	    !strmap_contains(&c->ito.tables, s->object))
		return "drops table %s, which the deployed code may still use";
	if (!strcmp(k, "drop_column") &&
	    !strmap_contains(&c->ito.cols, s->object))
		return "drops column %s, which the deployed code may still "
		       "read or write";
	if (!strcmp(k, "drop_view")) {
		for (int j = 0; j < c->fwd.nstmts; j++)
			if (!strcmp(c->fwd.stmts[j].object, s->object) &&
			    (!strcmp(c->fwd.stmts[j].kind, "create_view") ||
			     !strcmp(c->fwd.stmts[j].kind,
				     "create_materialized_view")))
				return NULL;
		return "drops view %s, which the deployed code may still "
		       "query";
	}
	if (!strcmp(k, "drop_function")) {
		for (int j = 0; j < c->fwd.nstmts; j++)
			if (!strcmp(c->fwd.stmts[j].object, s->object) &&
			    !strcmp(c->fwd.stmts[j].kind, "create_function"))
				return NULL;
		return "drops routine %s, which the deployed code may still "
		       "call";
	}
	if (!strcmp(k, "revoke"))
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
	if (!strcmp(s->kind, "set_option") && !*s->object)
		return 0;
	const char *table = table_of(c, s);
	const char *lock;
	unsigned hz;
	classify(s->kind, &lock, &hz);
	if (pgp_table_is_new(c, table) && !starts(s->kind, "drop_")) {
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
	if (!strcmp(s->kind, "add_domain_check_not_valid"))
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
		    starts(s->kind, "add_enum_value")
			? "PostgreSQL cannot remove a value from an enum"
			: "nothing to undo separately: the rollback of a "
			  "neighbouring step restores this object");
	}
	return 0;
}

/* ---- entry ------------------------------------------------------------ */

/* A view, trigger or policy dropped in one step and made again steps
 * later is missing in between: the deployed code's queries on the view
 * fail, rows written to the table do not fire the trigger, the policy's
 * rows are hidden. Those that only step
 * aside for a column change share its step (plan_group.c); the others
 * are named here. */
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
	index_model(&c, &c.ifrom, from);
	index_model(&c, &c.ito, to);
	/* A materialized view made by the plan is new too: nothing reads
	 * it before its step commits, so its indexes need no CONCURRENTLY
	 * and can share that step (plan_group.c). */
	for (int i = 0; i < c.fwd.nstmts; i++)
		if (!strcmp(c.fwd.stmts[i].kind, "create_table") ||
		    !strcmp(c.fwd.stmts[i].kind, "create_materialized_view"))
			strmap_put(&c.new_tables, c.fwd.stmts[i].object, NULL);
	pgp_hint_renames(&c);

	typedef int (*strategy)(pgp_ctx *, int, error *);
	static const strategy strategies[] = {
	    pgp_strategy_index_swap, pgp_strategy_fk_swap,
	    pgp_strategy_index,	     pgp_strategy_constraint,
	    pgp_strategy_not_null,   pgp_strategy_add_column,
	    pgp_strategy_retype,     pgp_strategy_enum,
	    pgp_strategy_drop,
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
	for (int i = 0; i < p->nsteps; i++)
		set_local_bodies(&c, &p->steps[i]);
	drop_gaps(p);
	pgp_unrename_checks(&c);
	rc = 0;
out:
	free(c.claimed);
	index_release(&c.ifrom);
	index_release(&c.ito);
	strmap_release(&c.stats);
	strmap_release(&c.new_tables);
	strmap_release(&c.done);
	diff_result_release(&c.fwd);
	diff_result_release(&c.rev);
	arena_free(&c.arena);
	return rc;
}
