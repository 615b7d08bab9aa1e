/*
 * The plan for MySQL and MariaDB: one step per statement of the diff,
 * each with the statement that undoes it, and, when the source is a
 * live server, the way the server will run it, learnt by trying.
 *
 * MySQL's DDL is not transactional: every statement commits on its own,
 * and a failed ALTER TABLE leaves the table as it was. So each step is
 * one statement, retried or undone on its own.
 *
 * Which ALGORITHM a server takes for an ALTER TABLE depends on its
 * version, the table's row format and the exact change; the manuals'
 * tables lag behind the servers. So the plan asks the server itself
 * (plan_probe.c): on empty copies of the tables in a database of its
 * own, each step is run with ALGORITHM=INSTANT, then INPLACE with
 * LOCK=NONE, then COPY; a server refuses an algorithm it cannot use at
 * once, before it changes anything. The first that runs is what the
 * step says, and the plan's statement names it, so that the server
 * refuses rather than silently falls back to a table copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strmap.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "mysql.h"
#include "plan_internal.h"

static void addf_sql(strbuf *sb, const char *sql)
{
	strbuf_addf(sb, "%s;\n", sql);
}

/* The table a statement locks, quoted. */
static char *table_of(plan *p, const diff_stmt *s)
{
	strbuf sb = STRBUF_INIT;
	const char *t = s->obj.table ? s->obj.table : s->obj.name;
	if (s->obj.kind == CHANGE_OBJ_VIEW ||
	    s->obj.kind == CHANGE_OBJ_FUNCTION || !t) {
		strbuf_release(&sb);
		return NULL;
	}
	my_qname(&sb, s->obj.schema, t);
	char *r = plan_str(p, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* The position clause that puts `name` back where table `t` has it. */
static void place_as_in(strbuf *sb, const m_table *t, const char *name)
{
	for (int i = 0; i < t->ncolumns; i++) {
		if (strcmp(t->columns[i].name, name))
			continue;
		if (i == 0) {
			strbuf_adds(sb, " FIRST");
		} else {
			strbuf_adds(sb, " AFTER ");
			my_quote_ident(sb, t->columns[i - 1].name);
		}
		return;
	}
}

static void alter(strbuf *sb, const m_table *t)
{
	strbuf_adds(sb, "ALTER TABLE ");
	my_qname(sb, t->schema, t->name);
	strbuf_addch(sb, ' ');
}

/*
 * The statement that undoes statement `s`, from the two models (the
 * steps are undone in reverse order, so each finds the schema its own
 * statement left). 0 with *why set when there is none.
 */
static int undo_sql(const diff_stmt *s, strbuf *sb, const char **why)
{
	const m_table *a = s->before.parent, *b = s->after.parent;
	*why = NULL;
	switch (s->change) {
	case CHANGE_CREATE_TABLE: {
		const m_table *t = s->after.obj;
		strbuf_adds(sb, "DROP TABLE ");
		my_qname(sb, t->schema, t->name);
		return 1;
	}
	case CHANGE_DROP_TABLE:
		*why = "the table and its rows are gone; restore them from a "
		       "backup";
		return 0;
	case CHANGE_ADD_COLUMN: {
		const m_column *y = s->after.obj;
		alter(sb, b);
		strbuf_adds(sb, "DROP COLUMN ");
		my_quote_ident(sb, y->name);
		return 1;
	}
	case CHANGE_DROP_COLUMN:
	case MYC_MODIFY_COLUMN:
	case MYC_MOVE_COLUMN: {
		const m_column *x = s->before.obj;
		if (!x || !a)
			break;
		alter(sb, a);
		strbuf_adds(sb, s->change == CHANGE_DROP_COLUMN
				    ? "ADD COLUMN "
				    : "MODIFY COLUMN ");
		my_column_sql(sb, x);
		if (s->change != MYC_MODIFY_COLUMN)
			place_as_in(sb, a, x->name);
		return 1;
	}
	case CHANGE_CREATE_INDEX: {
		const m_index *x = s->after.obj;
		strbuf_adds(sb, "ALTER TABLE ");
		my_qname(sb, x->schema, x->table);
		strbuf_adds(sb, " DROP INDEX ");
		my_quote_ident(sb, x->name);
		return 1;
	}
	case CHANGE_DROP_INDEX: {
		const m_index *x = s->before.obj;
		strbuf_adds(sb, x->definition);
		return 1;
	}
	case CHANGE_ADD_CONSTRAINT: {
		const m_constraint *k = s->after.obj;
		alter(sb, b);
		if (k->kind == M_CON_PRIMARY) {
			strbuf_adds(sb, "DROP PRIMARY KEY");
		} else {
			strbuf_adds(sb, k->kind == M_CON_FOREIGN
					    ? "DROP FOREIGN KEY "
					    : "DROP CONSTRAINT ");
			my_quote_ident(sb, k->name);
		}
		return 1;
	}
	case CHANGE_DROP_CONSTRAINT: {
		const m_constraint *k = s->before.obj;
		alter(sb, a);
		strbuf_adds(sb, "ADD ");
		my_constraint_sql(sb, k);
		return 1;
	}
	case MYC_ALTER_TABLE_OPTIONS:
		/* The same change the other way round. */
		return my_table_options_change_sql(sb, s->after.obj,
						   s->before.obj) > 0;
	case CHANGE_CREATE_VIEW: {
		/* A replaced view gets its old query back. */
		const m_view *v = s->after.obj, *old = s->before.obj;
		if (old) {
			my_view_create_sql(sb, old, true);
			return 1;
		}
		strbuf_adds(sb, "DROP VIEW ");
		my_qname(sb, v->schema, v->name);
		return 1;
	}
	case CHANGE_DROP_VIEW:
		my_view_create_sql(sb, s->before.obj, false);
		return 1;
	case MYC_ALTER_PARTITIONING:
		return my_partitioning_change_sql(sb, s->after.obj,
						  s->before.obj);
	case CHANGE_CREATE_TRIGGER:
		my_trigger_drop_sql(sb, s->after.obj);
		return 1;
	case CHANGE_DROP_TRIGGER:
		strbuf_adds(sb, ((const m_trigger *)s->before.obj)->definition);
		return 1;
	case CHANGE_CREATE_FUNCTION:
		my_routine_drop_sql(sb, s->after.obj);
		return 1;
	case CHANGE_DROP_FUNCTION:
		strbuf_adds(sb,
			    ((const m_function *)s->before.obj)->definition);
		return 1;
	default:
		break;
	}
	*why = "schemig does not know how to undo this change";
	return 0;
}

/* Hazards and notes that follow from the change alone. */
static unsigned change_hazards(const diff_stmt *s)
{
	unsigned hz = HZ_NOT_TRANSACTIONAL;
	if (s->destructive)
		hz |= HZ_DELETES_DATA | HZ_IRREVERSIBLE;
	if (s->change == CHANGE_CREATE_INDEX)
		hz |= HZ_INDEX_BUILD;
	return hz;
}

/* Fill step `n` with how the server runs it (plan_probe.c's finding). */
/* What a table copy of the source needs to say: its size and where the
 * source is, for the commands of the tools that copy online. */
typedef struct copy_ctx {
	long long bytes; /* data and indexes; -1 unknown */
	const my_url *src;
	bool fresh; /* the table is one an earlier step of the plan made:
		       empty, and no application writes it yet */
} copy_ctx;

/* InnoDB copies a table, indexes rebuilt, at about this many bytes a
 * millisecond on ordinary hardware (25 MB/s); an estimate, said so. */
#define COPY_BYTES_PER_MS 25000

/* `s` in single quotes for a POSIX shell. */
static void shell_quote(strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '\'');
}

/*
 * A step the server runs as a table copy holds writes for the whole
 * copy: the reason says for how long (estimated from the table's size),
 * and the note gives the gh-ost and pt-online-schema-change commands a
 * team runs instead on a large table (schemig does not ship them). The
 * commands carry the ALTER's clauses after its table, the source's host,
 * user and database; never a password.
 */
static void copy_advice(plan *p, int n, const diff_stmt *s, const copy_ctx *cp)
{
	plan_step *st = &p->steps[n - 1];
	const char *t = s->obj.table ? s->obj.table : s->obj.name;
	strbuf sb = STRBUF_INIT, tbl = STRBUF_INIT;
	my_qname(&tbl, s->obj.schema, t);
	if (cp && cp->bytes >= 0) {
		st->est_lock_ms = cp->bytes / COPY_BYTES_PER_MS;
		plan_add_reason(p, n, st->object,
				"the server copies table %s for this change "
				"(ALGORITHM=COPY): writes wait for the whole "
				"copy, about %.1f s for its %.1f MB (at 25 "
				"MB/s); on a large table run the gh-ost or "
				"pt-online-schema-change command of this step "
				"instead",
				strbuf_str(&tbl),
				(double)st->est_lock_ms / 1000.0,
				(double)cp->bytes / 1e6);
	} else {
		plan_add_reason(p, n, st->object,
				"the server copies table %s for this change "
				"(ALGORITHM=COPY): writes wait for the whole "
				"copy; on a large table run the gh-ost or "
				"pt-online-schema-change command of this step "
				"instead",
				strbuf_str(&tbl));
	}
	/* The clauses after "ALTER TABLE <table> ". */
	const char *alter = s->sql + strlen("ALTER TABLE ") + tbl.len;
	if (strncmp(s->sql, "ALTER TABLE ", 12) ||
	    strncmp(s->sql + 12, strbuf_str(&tbl), tbl.len) || *alter != ' ') {
		strbuf_release(&tbl);
		return;
	}
	alter++;
	const my_url *u = cp ? cp->src : NULL;
	const char *db = s->obj.schema && *s->obj.schema ? s->obj.schema
			 : u && u->database		 ? u->database
							 : "DATABASE";
	strbuf_addf(&sb,
		    "%s; instead: gh-ost --host=%s --port=%u --user=%s "
		    "--ask-pass --database=",
		    st->note ? st->note : "",
		    u && u->host && !u->socket ? u->host : "HOST",
		    u && u->port ? u->port : 3306,
		    u && u->user ? u->user : "USER");
	shell_quote(&sb, db);
	strbuf_adds(&sb, " --table=");
	shell_quote(&sb, t);
	strbuf_adds(&sb, " --alter=");
	shell_quote(&sb, alter);
	strbuf_adds(&sb, " --execute, or pt-online-schema-change --alter ");
	shell_quote(&sb, alter);
	strbuf_adds(&sb, " --ask-pass ");
	strbuf tmp = STRBUF_INIT;
	if (u && u->socket)
		strbuf_addf(&tmp, "S=%s,", u->socket);
	else
		strbuf_addf(&tmp, "h=%s,P=%u,", u && u->host ? u->host : "HOST",
			    u && u->port ? u->port : 3306);
	strbuf_addf(&tmp, "u=%s,D=%s,t=%s", u && u->user ? u->user : "USER", db,
		    t);
	shell_quote(&sb, strbuf_str(&tmp));
	strbuf_adds(&sb, " --execute");
	st->note = plan_str(p, strbuf_str(&sb));
	strbuf_release(&tmp);
	strbuf_release(&sb);
	strbuf_release(&tbl);
}

static void set_algorithm(plan *p, int n, const diff_stmt *s, const my_algo *al,
			  const char *server, const char *skipped,
			  const copy_ctx *cp)
{
	plan_step *st = &p->steps[n - 1];
	strbuf sb = STRBUF_INIT;
	if (!al->name) {
		/* Tables made or dropped, views, triggers and routines have
		 * no ALGORITHM. */
		if (s->change != CHANGE_CREATE_TABLE &&
		    s->change != CHANGE_DROP_TABLE &&
		    s->obj.kind != CHANGE_OBJ_VIEW &&
		    s->obj.kind != CHANGE_OBJ_FUNCTION &&
		    s->obj.kind != CHANGE_OBJ_TRIGGER)
			st->note = plan_str(
			    p, skipped ? skipped
				       : "not probed: the server chooses the "
					 "ALGORITHM");
		return;
	}
	strbuf_addf(&sb, "ALGORITHM=%s", al->name);
	if (al->lock)
		strbuf_addf(&sb, ", LOCK=%s", al->lock);
	strbuf_addf(&sb, " (probed on %s)", server);
	st->note = plan_str(p, strbuf_str(&sb));
	strbuf_release(&sb);
	if (!strcmp(al->name, "COPY") && cp && cp->fresh) {
		/* A key added to a table the plan itself made (keys go
		 * last, for tables that reference each other): the copy
		 * is of no rows, and nothing waits for it. */
		st->rewrites = true;
		st->lock = plan_str(p, "SHARED");
		st->note = plan_str(p, "ALGORITHM=COPY of a table this plan "
				       "creates: empty, no writer waits");
	} else if (!strcmp(al->name, "COPY")) {
		st->rewrites = true;
		st->lock = plan_str(p, "SHARED");
		st->hazards |= HZ_TABLE_REWRITE | HZ_BLOCKS_WRITES;
		copy_advice(p, n, s, cp);
	} else if (al->lock && !strcmp(al->lock, "SHARED")) {
		st->lock = plan_str(p, "SHARED");
		st->hazards |= HZ_BLOCKS_WRITES;
	} else {
		st->lock = plan_str(p, "none");
	}
}

/* The plain columns of an index definition "... (`a`,`b`)", into
 * `cols` (a strbuf per column, the caller releases); -1 when a part is
 * a prefix or an expression (its uniqueness is not the columns'). */
static int index_columns(const char *def, strbuf *cols, int max)
{
	const char *q = strstr(def, " (");
	int n = 0;
	if (!q)
		return -1;
	for (q += 2; *q == '`' && n < max; n++) {
		strbuf_init(&cols[n]);
		for (q++; *q && !(*q == '`' && q[1] != '`'); q++) {
			if (*q == '`')
				q++;
			strbuf_addch(&cols[n], *q);
		}
		if (*q)
			q++;
		if (!strncmp(q, " DESC", 5))
			q += 5;
		if (*q == ')' && q[1] == '\0')
			return n + 1;
		if (*q != ',') {
			strbuf_release(&cols[n]);
			break;
		}
		q++;
	}
	for (int i = 0; i < n; i++)
		strbuf_release(&cols[i]);
	return -1;
}

/* The questions the verdict asks the live data before step n. */
static void data_checks(plan *p, int n, const diff_stmt *s, bool filled)
{
	const m_table *a = s->before.parent;
	if (s->change == MYC_MODIFY_COLUMN) {
		const m_column *x = s->before.obj, *y = s->after.obj;
		/* A backfill before it leaves no NULL to count. */
		if (!x->not_null && y->not_null && !filled)
			plan_check_add_column(
			    p,
			    plan_add_check(p, PLAN_CHECK_NOT_NULL, n,
					   s->obj.schema, s->obj.table),
			    y->name);
		if (my_type_narrows(x->type, y->type)) {
			plan_check *c =
			    plan_add_check(p, PLAN_CHECK_NARROW, n,
					   s->obj.schema, s->obj.table);
			plan_check_add_column(p, c, y->name);
			c->type = plan_str(p, y->type);
		}
	} else if (s->change == CHANGE_CREATE_INDEX && a) {
		const m_index *x = s->after.obj;
		if (!x->unique)
			return;
		strbuf cols[16];
		int ncols = index_columns(x->definition, cols, 16);
		if (ncols < 0)
			return;
		plan_check *c = plan_add_check(p, PLAN_CHECK_UNIQUE, n,
					       s->obj.schema, s->obj.table);
		for (int i = 0; i < ncols; i++) {
			plan_check_add_column(p, c, strbuf_str(&cols[i]));
			strbuf_release(&cols[i]);
		}
	} else if (s->change == CHANGE_ADD_CONSTRAINT && a) {
		const m_constraint *k = s->after.obj;
		enum plan_check_kind kind =
		    k->kind == M_CON_FOREIGN   ? PLAN_CHECK_FOREIGN_KEY
		    : k->kind == M_CON_PRIMARY ? PLAN_CHECK_UNIQUE
					       : PLAN_CHECK_CHECK;
		plan_check *c =
		    plan_add_check(p, kind, n, s->obj.schema, s->obj.table);
		for (int i = 0; i < k->ncolumns; i++)
			plan_check_add_column(p, c, k->columns[i]);
		if (kind == PLAN_CHECK_FOREIGN_KEY) {
			c->ref_schema = plan_str(p, k->ref.schema);
			c->ref_table = plan_str(p, k->ref.name);
			for (int i = 0; i < k->nref_columns; i++)
				plan_check_add_ref_column(p, c,
							  k->ref_columns[i]);
		} else if (kind == PLAN_CHECK_CHECK) {
			c->expr = plan_str(p, k->definition);
		}
	}
}

/* What the application deployed now stops doing once step n ran. */
static void compat_reason(plan *p, int n, const diff_stmt *s)
{
	plan_step *st = &p->steps[n - 1];
	const m_column *y = s->after.obj;
	if (s->change == CHANGE_DROP_COLUMN || s->change == CHANGE_DROP_TABLE) {
		st->hazards |= HZ_BREAKS_OLD_CODE;
		plan_add_reason(p, n, st->object,
				"%s %s is dropped: code that still reads or "
				"writes it fails",
				s->change == CHANGE_DROP_TABLE ? "table"
							       : "column",
				st->object);
	} else if (s->change == CHANGE_ADD_COLUMN && y && y->not_null &&
		   !y->default_expr && !y->generated_expr &&
		   !y->auto_increment) {
		st->hazards |= HZ_BREAKS_OLD_CODE;
		plan_add_reason(p, n, st->object,
				"column %s is NOT NULL without a default: "
				"inserts that do not name it fail",
				st->object);
	}
}

/*
 * The rollback of step n as the server would run it: the ALGORITHM it
 * takes goes into the rollback's statement, and a rollback that copies
 * the table says so (the step's note, and a reason: undoing it holds
 * writes, which is when a team can least afford it).
 */
static int probe_rollback(plan *p, int n, const diff_stmt *s, my_probe *pr,
			  error *e)
{
	my_algo al;
	plan_step *st = &p->steps[n - 1];
	if (my_probe_undo(pr, s, st->rollback, &al, e) < 0)
		return -1;
	if (al.clause) {
		strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s;\n", al.clause);
		st->rollback = plan_str(p, strbuf_str(&sb));
		if (!strcmp(al.name, "COPY")) {
			strbuf_reset(&sb);
			strbuf_addf(&sb,
				    "%s; its rollback copies the table "
				    "(ALGORITHM=COPY)",
				    st->note ? st->note : "");
			st->note = plan_str(p, strbuf_str(&sb));
			plan_add_reason(p, n, st->object,
					"undoing this step copies table %s "
					"(ALGORITHM=COPY): writes wait for the "
					"whole copy during a rollback",
					st->table ? st->table : st->object);
		}
		strbuf_release(&sb);
	}
	my_algo_release(&al);
	return 0;
}

/* Note the tables statement `s` creates in `fresh`; is the table `s`
 * changes one of them? */
static bool is_fresh(strmap *fresh, const diff_stmt *s)
{
	strbuf k = STRBUF_INIT;
	const char *t = s->obj.table ? s->obj.table : s->obj.name;
	my_qname(&k, s->obj.schema, t ? t : "");
	bool r = strmap_get(fresh, k.buf) != NULL;
	if (s->change == CHANGE_CREATE_TABLE)
		strmap_put(fresh, k.buf, (void *)1);
	strbuf_release(&k);
	return r;
}

int my_plan(model *from, const model *to, const char *from_url, plan *p,
	    error *e)
{
	diff_result d;
	diff_result_init(&d);
	my_url src = {0};
	strmap fresh = STRMAP_INIT;
	int ret = my_diff_models(from, to, &d, e);
	my_probe *pr = NULL;
	if (!ret && from_url)
		ret = my_url_parse(from_url, &src, e);
	/* Without a server to ask, the statements name no ALGORITHM. */
	if (!ret && from_url && d.nstmts)
		ret = my_probe_open(from_url, &pr, e);
	int *stepno = xcalloc((size_t)d.nstmts + 1, sizeof(*stepno));
	for (int i = 0; !ret && i < d.nstmts; i++) {
		const diff_stmt *s = &d.stmts[i];
		my_algo al = {0};
		strbuf fwd = STRBUF_INIT, back = STRBUF_INIT;
		if (pr)
			ret = my_probe_step(pr, s, &al, e);
		if (ret)
			break;
		addf_sql(&fwd, al.clause ? al.clause : s->sql);
		/* NULLs meet a NOT NULL with a default: filled first. */
		int bf = my_plan_backfill(p, s);
		bool filled = bf > 0;
		plan_step *st = plan_add_step(p, s->kind, s->object,
					      table_of(p, s), strbuf_str(&fwd));
		int n = st->n;
		stepno[i] = n;
		st->transactional = false;
		st->rollback_transactional = false;
		st->hazards = change_hazards(s);
		const char *why;
		if (undo_sql(s, &back, &why)) {
			strbuf_adds(&back, ";\n");
			plan_step_set_rollback(p, &p->steps[n - 1],
					       strbuf_str(&back));
			p->steps[n - 1].rollback_transactional = false;
		} else {
			plan_step_set_no_rollback(p, &p->steps[n - 1], why);
			p->steps[n - 1].hazards |= HZ_IRREVERSIBLE;
		}
		my_plan_guard(p, &p->steps[n - 1], s);
		compat_reason(p, n, s);
		data_checks(p, n, s, filled);
		copy_ctx cp = {.bytes = -1,
			       .src = from_url ? &src : NULL,
			       .fresh = is_fresh(&fresh, s)};
		const char *t = s->obj.table ? s->obj.table : s->obj.name;
		long long rows;
		if (pr && st->table &&
		    my_probe_table_size(pr, s->obj.schema, t, &rows,
					&cp.bytes) == 0) {
			p->steps[n - 1].est_rows = rows;
			if (filled)
				p->steps[bf - 1].est_rows = rows;
		}
		set_algorithm(p, n, s, &al, my_probe_server(pr),
			      pr ? my_probe_skipped(pr)
				 : "not probed (no live source): the server "
				   "chooses the ALGORITHM",
			      &cp);
		my_algo_release(&al);
		strbuf_release(&fwd);
		strbuf_release(&back);
	}
	/* The rollbacks, probed as they would run: in reverse, on the
	 * copies the forward steps left. */
	for (int i = d.nstmts - 1; !ret && pr && i >= 0; i--)
		if (stepno[i] && p->steps[stepno[i] - 1].rollback)
			ret = probe_rollback(p, stepno[i], &d.stmts[i], pr, e);
	free(stepno);
	my_probe_close(pr);
	my_url_release(&src);
	strmap_release(&fresh);
	diff_result_release(&d);
	return ret;
}

int my_step_envelope(const plan_settings *st, const plan_step *s, bool rollback,
		     dialect_envelope *out, error *e)
{
	static const char *const finish[] = {
	    "SET SESSION lock_wait_timeout = DEFAULT"};
	memset(out, 0, sizeof(*out));
	out->body = rollback ? s->rollback : s->forward;
	if (!out->body)
		return error_set(e, EXIT_USAGE,
				 "step %d (%s): no %s SQL to run", s->n,
				 s->object ? s->object : "?",
				 rollback ? "rollback" : "forward");
	/* The server's default wait for a metadata lock is a year, during
	 * which every query on the table queues behind the ALTER: a step
	 * gives up after the plan's lock timeout (whole seconds). */
	int secs = (st->lock_timeout_ms + 999) / 1000;
	char buf[64];
	snprintf(buf, sizeof(buf), "SET SESSION lock_wait_timeout = %d",
		 secs < 1 ? 1 : secs);
	out->before[out->nbefore++] = xstrdup(buf);
	out->finish = finish;
	out->nfinish = 1;
	/* A trigger's or routine's BEGIN ... END holds ";": the mysql
	 * client, reading a script, would cut it there. */
	my_span *sp = NULL;
	int nsp = 0;
	error ie = ERROR_INIT;
	if (my_split(out->body, "(step)", &sp, &nsp, &ie) == 0 && nsp == 1 &&
	    memchr(out->body + sp[0].start, ';', sp[0].end - sp[0].start)) {
		out->fence_open = "DELIMITER ;;";
		out->fence_end = ";;";
		out->fence_close = "DELIMITER ;";
	}
	error_clear(&ie);
	free(sp);
	return 0;
}
