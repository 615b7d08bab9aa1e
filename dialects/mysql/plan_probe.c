/*
 * The probe (plan_internal.h): how the server runs each step, learnt by
 * running it on empty copies of the tables.
 *
 * The copies live in a database of the probe's own on the source's
 * server (CREATE TABLE ... LIKE: same columns, keys, row format and
 * engine, no rows, no foreign keys), dropped at the end. The steps'
 * statements name their tables unqualified (mysql.h), so they run there
 * as written, in order, each on the schema the steps before it left.
 * The tables are empty: a default, a generated column or a CHECK of the
 * target is never evaluated, so nothing a schema file says runs on the
 * server beyond the DDL itself, and that only on the probe's copies:
 * a statement about another database's object is never run, and the
 * connection takes one statement per call. A server that cannot give the probe
 * a database (no privilege) gets a plan whose steps say they were not probed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../util/strmap.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "plan_internal.h"

struct my_probe {
	MYSQL *c;
	char db[64]; /* the probe's database; "" when none */
	char *live;  /* the source's database */
	char server[96];
	char *skipped; /* why there is no probe, or NULL */
	strmap copied; /* tables copied (or made) in the probe */
};

void my_algo_release(my_algo *al)
{
	free(al->clause);
	*al = (my_algo){0};
}

const char *my_probe_server(const my_probe *pr)
{
	return pr && !pr->skipped ? pr->server : NULL;
}

const char *my_probe_skipped(const my_probe *pr)
{
	return pr ? pr->skipped : NULL;
}

static void skip(my_probe *pr, const char *why, const char *detail)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s%s%s", why, detail ? ": " : "",
		    detail ? detail : "");
	free(pr->skipped);
	pr->skipped = strbuf_detach(&sb);
}

int my_probe_open(const char *url, my_probe **out, error *e)
{
	my_probe *pr = xcalloc(1, sizeof(*pr));
	strmap_init(&pr->copied);
	*out = pr;
	my_url u;
	if (my_url_parse(url, &u, e) < 0)
		return -1;
	pr->live = xstrdup(u.database ? u.database : "");
	my_url_release(&u);
	if (my_connect(url, &pr->c, e) < 0)
		return -1;
	const char *v = mysql_get_server_info(pr->c);
	snprintf(pr->server, sizeof(pr->server), "%s %.*s",
		 strstr(v, "MariaDB") ? "MariaDB" : "MySQL",
		 (int)strspn(v, "0123456789."), v);
	snprintf(pr->db, sizeof(pr->db), "schemig_probe_%ld_%d",
		 (long)time(NULL), (int)getpid());
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "CREATE DATABASE ");
	my_quote_ident(&sql, pr->db);
	error pe = ERROR_INIT;
	if (my_exec(pr->c, strbuf_str(&sql), "create the probe's database",
		    &pe) < 0) {
		skip(pr, "not probed (the server gives no database for it)",
		     mysql_error(pr->c));
		pr->db[0] = '\0';
	} else if (mysql_select_db(pr->c, pr->db)) {
		skip(pr, "not probed", mysql_error(pr->c));
	}
	error_clear(&pe);
	strbuf_release(&sql);
	return 0;
}

void my_probe_close(my_probe *pr)
{
	if (!pr)
		return;
	if (pr->c && pr->db[0]) {
		strbuf sql = STRBUF_INIT;
		strbuf_adds(&sql, "DROP DATABASE IF EXISTS ");
		my_quote_ident(&sql, pr->db);
		error e = ERROR_INIT;
		my_exec(pr->c, strbuf_str(&sql), "drop the probe's database",
			&e);
		error_clear(&e);
		strbuf_release(&sql);
	}
	if (pr->c)
		mysql_close(pr->c);
	strmap_release(&pr->copied);
	free(pr->live);
	free(pr->skipped);
	free(pr);
}

/* An empty copy of the source's table `name` (once); a table that is
 * not there (the plan makes it) is left to its own step. */
static void copy_table(my_probe *pr, const char *name)
{
	if (!name || strmap_contains(&pr->copied, name))
		return;
	strmap_put(&pr->copied, name, NULL);
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "CREATE TABLE ");
	my_quote_ident(&sql, name);
	strbuf_adds(&sql, " LIKE ");
	my_qname(&sql, pr->live, name);
	error e = ERROR_INIT;
	my_exec(pr->c, strbuf_str(&sql), "copy a table", &e);
	error_clear(&e);
	strbuf_release(&sql);
}

/* Can the server be told an ALGORITHM for this statement, and how:
 * ALTER TABLE takes ", ALGORITHM=..", CREATE INDEX " ALGORITHM=.."
 * (indexes are dropped with ALTER TABLE: MariaDB's DROP INDEX takes
 * neither ALGORITHM nor LOCK). */
static int algo_form(const diff_stmt *s)
{
	if (s->obj.schema && *s->obj.schema)
		return 0; /* another database's table: not copied */
	switch (s->change) {
	case CHANGE_CREATE_INDEX:
		return 2;
	case CHANGE_DROP_INDEX:
		return 1;
	case CHANGE_ADD_COLUMN:
	case CHANGE_DROP_COLUMN:
	case CHANGE_ADD_CONSTRAINT:
	case CHANGE_DROP_CONSTRAINT:
	case MYC_MODIFY_COLUMN:
	case MYC_MOVE_COLUMN:
	case MYC_ALTER_TABLE_OPTIONS:
		return 1;
	default:
		return 0;
	}
}

static const struct {
	const char *name, *lock;
} tries[] = {
    {"INSTANT", NULL},
    {"INPLACE", "NONE"},
    {"INPLACE", "SHARED"},
    {"COPY", "SHARED"},
};

static int ladder(my_probe *pr, const char *stmt, size_t n, int form,
		  my_algo *al, error *e);

int my_probe_step(my_probe *pr, const diff_stmt *s, my_algo *al, error *e)
{
	(void)e;
	*al = (my_algo){0};
	/* Only the probe's own copies are touched: a statement on another
	 * database's object (a schema file may name one) or naming one
	 * (a foreign key to it), and views, triggers and routines, which have
	 * no ALGORITHM, are not run at all. */
	if (pr->skipped || (s->obj.schema && *s->obj.schema) ||
	    s->obj.kind == CHANGE_OBJ_VIEW ||
	    s->obj.kind == CHANGE_OBJ_FUNCTION ||
	    s->obj.kind == CHANGE_OBJ_TRIGGER)
		return 0;
	if (s->change == CHANGE_ADD_CONSTRAINT && s->after.obj) {
		const m_constraint *k = s->after.obj;
		if (k->ref.schema && *k->ref.schema)
			return 0;
	}
	const char *table = s->obj.table ? s->obj.table : s->obj.name;
	if (s->obj.kind != CHANGE_OBJ_VIEW && s->change != CHANGE_CREATE_TABLE)
		copy_table(pr, table);
	if (s->change == CHANGE_ADD_CONSTRAINT && s->after.obj) {
		const m_constraint *k = s->after.obj;
		if (k->kind == M_CON_FOREIGN && k->ref.name &&
		    !(k->ref.schema && *k->ref.schema))
			copy_table(pr, k->ref.name);
	}
	if (s->change == CHANGE_CREATE_TABLE)
		strmap_put(&pr->copied, table, NULL);
	return ladder(pr, s->sql, strlen(s->sql), algo_form(s), al, e);
}

/* A statement about another database's object, or naming one, or a
 * view: never run on the probe. */
static bool foreign(const diff_stmt *s)
{
	if ((s->obj.schema && *s->obj.schema) || s->obj.kind == CHANGE_OBJ_VIEW)
		return true;
	const m_constraint *k =
	    s->change == CHANGE_ADD_CONSTRAINT	  ? s->after.obj
	    : s->change == CHANGE_DROP_CONSTRAINT ? s->before.obj
						  : NULL;
	return k && k->ref.schema && *k->ref.schema;
}

int my_probe_undo(my_probe *pr, const diff_stmt *s, const char *undo,
		  my_algo *al, error *e)
{
	*al = (my_algo){0};
	if (!pr || pr->skipped || foreign(s))
		return 0;
	/* The plan's text ends with ";\n": the probe adds clauses after
	 * the statement itself. */
	size_t n = strlen(undo);
	while (n && strchr(" ;\n", undo[n - 1]))
		n--;
	/* The undo's own statement decides the form: an index's undo is
	 * ALTER TABLE ... DROP INDEX, a dropped index's a CREATE INDEX. */
	int form = !algo_form(s)					    ? 0
		   : !strncmp(undo, "ALTER TABLE ", 12)			    ? 1
		   : !strncmp(undo, "CREATE ", 7) && strstr(undo, "INDEX ") ? 2
									    : 0;
	return ladder(pr, undo, n, form, al, e);
}

/* Run sql[0..n) with the cheapest ALGORITHM the server takes (form:
 * algo_form's), into *al; without a form, as it is. */
static int ladder(my_probe *pr, const char *stmt, size_t n, int form,
		  my_algo *al, error *e)
{
	error pe = ERROR_INIT;
	for (size_t i = 0; form && i < sizeof(tries) / sizeof(*tries); i++) {
		strbuf sql = STRBUF_INIT;
		strbuf_add(&sql, stmt, n);
		strbuf_addf(&sql, "%sALGORITHM=%s", form == 1 ? ", " : " ",
			    tries[i].name);
		if (tries[i].lock)
			strbuf_addf(&sql, "%sLOCK=%s", form == 1 ? ", " : " ",
				    tries[i].lock);
		/* The server refuses an algorithm it cannot use before it
		 * changes anything; the first it takes has changed the
		 * copy as the step will change the table. */
		if (!my_exec(pr->c, strbuf_str(&sql), "probe", &pe)) {
			al->name = tries[i].name;
			al->lock = tries[i].lock;
			al->clause = strbuf_detach(&sql);
			return 0;
		}
		error_clear(&pe);
		strbuf_release(&sql);
		if (mysql_errno(pr->c) == 2006 || mysql_errno(pr->c) == 2013)
			return error_set(e, EXIT_DB,
					 "lost the connection while probing "
					 "how the server runs the plan");
	}
	/* Not an ALTER (or none of the forms ran): the statement as it
	 * is, so that the copies follow the plan. */
	strbuf sql = STRBUF_INIT;
	strbuf_add(&sql, stmt, n);
	my_exec(pr->c, strbuf_str(&sql), "probe", &pe);
	strbuf_release(&sql);
	error_clear(&pe);
	return 0;
}

int my_probe_table_size(my_probe *pr, const char *schema, const char *table,
			long long *rows, long long *bytes)
{
	*rows = *bytes = -1;
	if (!pr || !pr->c || !table)
		return -1;
	/* InnoDB's estimates, read without touching the table. */
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "SELECT TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH FROM "
			  "information_schema.TABLES WHERE TABLE_SCHEMA = ");
	if (schema && *schema)
		my_quote_literal(&sql, schema);
	else
		my_quote_literal(&sql, pr->live);
	strbuf_adds(&sql, " AND TABLE_NAME = ");
	my_quote_literal(&sql, table);
	my_rows r;
	error e = ERROR_INIT;
	int ret = -1;
	if (my_query(pr->c, strbuf_str(&sql), &r, "table size", &e) == 0) {
		if (r.n == 1 && my_rows_val(&r, 0, 0) &&
		    my_rows_val(&r, 0, 1)) {
			*rows = strtoll(my_rows_val(&r, 0, 0), NULL, 10);
			*bytes = strtoll(my_rows_val(&r, 0, 1), NULL, 10);
			ret = 0;
		}
		my_rows_release(&r);
	}
	error_clear(&e);
	strbuf_release(&sql);
	return ret;
}
