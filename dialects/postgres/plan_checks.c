/*
 * The data-aware half of the plan verdict: each plan_check is answered
 * by counting, on the live source, the rows that would make its step
 * fail ("will fail: 1,204 rows of orders have NULL status").
 *
 * Everything runs in one REPEATABLE READ READ ONLY transaction that is
 * rolled back: every check sees the same snapshot. Each check runs under
 * its own savepoint, so that one that fails (a timeout, a table that does
 * not exist yet) is reported as "not checked" and the others still run.
 *
 * The schema file may come from anyone's branch: names are quoted, types
 * are only matched against known forms (never copied), and a CHECK
 * expression runs only when plan_checks_expr.c finds it calls nothing but
 * allow-listed built-ins (READ ONLY does not stop pg_sleep() or
 * pg_terminate_backend()). A failed query is reported by its SQLSTATE
 * alone: the server's message may quote a row's value.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../util/strbuf.h"
#include "conn.h"
#include "pg.h"
#include "plan_internal.h"

/* "N rows" / "1 row", with thousands separators. */
static void add_rows(strbuf *sb, long long n)
{
	strbuf_add_count(sb, n);
	strbuf_adds(sb, n == 1 ? " row" : " rows");
}

/* How a table is named in messages: quoted as SQL needs it, and
 * qualified only outside "public" (the schema most tables live in). */
static void add_table_label(strbuf *sb, const char *schema, const char *table)
{
	if (schema && strcmp(schema, "public"))
		pg_quote_qualified(sb, schema, table);
	else
		pg_quote_ident(sb, table);
}

static void add_table_sql(strbuf *sb, const char *schema, const char *table)
{
	pg_quote_qualified(sb, schema, table);
}

/* "(a, b)" for messages. */
static void add_column_list(strbuf *sb, char **cols, int n)
{
	strbuf_addch(sb, '(');
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		pg_quote_ident(sb, cols[i]);
	}
	strbuf_addch(sb, ')');
}

/* "alias.col IS NOT NULL AND ..." over every column. */
static void add_not_null_all(strbuf *sb, const char *alias, char **cols, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, " AND ");
		if (alias)
			strbuf_addf(sb, "%s.", alias);
		pg_quote_ident(sb, cols[i]);
		strbuf_adds(sb, " IS NOT NULL");
	}
}

/* The number in "character varying(20)" after `prefix`, or -1. */
static long type_modifier(const char *type, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	if (strncmp(type, prefix, n) || !isdigit((unsigned char)type[n]))
		return -1;
	long v = strtol(type + n, &end, 10);
	return strcmp(end, ")") ? -1 : v;
}

/*
 * The WHERE condition selecting the values of `col` that the type
 * `type` (format_type spelling) rejects, or -1 when no data check is
 * known for that type. Each form follows the server's assignment cast,
 * which is what ALTER COLUMN ... TYPE applies without USING.
 */
static int narrow_condition(strbuf *sb, const char *col, const char *type)
{
	long n;
	int p, s;
	char tail;
	static const struct {
		const char *name, *min, *max;
	} ints[] = {
	    {"smallint", "-32768", "32767"},
	    {"integer", "-2147483648", "2147483647"},
	    {"bigint", "-9223372036854775808", "9223372036854775807"},
	};

	if ((n = type_modifier(type, "character varying(")) >= 0 ||
	    (n = type_modifier(type, "character(")) >= 0) {
		/* Too-long values are an error unless the excess is all
		 * spaces, which the cast silently cuts off. */
		strbuf_adds(sb, "length(rtrim(");
		pg_quote_ident(sb, col);
		strbuf_addf(sb, "::text, ' ')) > %ld", n);
		return 0;
	}
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (strcmp(type, ints[i].name))
			continue;
		/* numeric first: the column may be wider than the target
		 * (bigint, numeric, real), and round() is what the
		 * cast from a fractional type does. */
		strbuf_adds(sb, "round(");
		pg_quote_ident(sb, col);
		strbuf_addf(sb, "::numeric) NOT BETWEEN %s AND %s", ints[i].min,
			    ints[i].max);
		return 0;
	}
	if (sscanf(type, "numeric(%d,%d%c", &p, &s, &tail) == 3 &&
	    tail == ')' && p > 0) {
		/* Values are rounded to `s` decimals (s may be negative or
		 * above p since PostgreSQL 15), then must stay below
		 * 10^(p-s). NaN fits any numeric(p,s); infinities fit none. */
		strbuf_adds(sb, "abs(round(");
		pg_quote_ident(sb, col);
		strbuf_addf(sb, "::numeric, %d)) >= 1e%d AND ", s, p - s);
		pg_quote_ident(sb, col);
		strbuf_adds(sb, "::numeric <> 'NaN'");
		return 0;
	}
	return -1;
}

/* Fill `why` and return -1: the check cannot be expressed. */
static int cannot(strbuf *why, const char *fmt, const char *arg)
{
	strbuf_addf(why, fmt, arg);
	return -1;
}

/*
 * The counting query of one check (one row: failing rows, and for
 * UNIQUE the number of duplicated groups), or -1 with `why` filled when
 * the check cannot be expressed.
 */
static int check_query(const plan_check *c, strbuf *sql, strbuf *why)
{
	const char *col = c->ncolumns ? c->columns[0] : NULL;

	if (!c->table)
		return cannot(why, "%s", "no table given");
	/* A CHECK needs its expression only; ROWS names the new column in
	 * its message when it has one. */
	if (!col && c->kind != PLAN_CHECK_CHECK && c->kind != PLAN_CHECK_ROWS)
		return cannot(why, "%s", "no column given");
	switch (c->kind) {
	case PLAN_CHECK_NOT_NULL:
		strbuf_adds(sql, "SELECT count(*) FROM ");
		add_table_sql(sql, c->schema, c->table);
		strbuf_adds(sql, " WHERE ");
		pg_quote_ident(sql, col);
		strbuf_adds(sql, " IS NULL");
		return 0;
	case PLAN_CHECK_UNIQUE:
		/* A unique index lets any number of rows with a NULL key
		 * column through, so those never count. */
		strbuf_adds(sql, "SELECT coalesce(sum(c), 0), count(*) FROM "
				 "(SELECT count(*) AS c FROM ");
		add_table_sql(sql, c->schema, c->table);
		strbuf_adds(sql, " WHERE ");
		add_not_null_all(sql, NULL, c->columns, c->ncolumns);
		strbuf_adds(sql, " GROUP BY ");
		for (int i = 0; i < c->ncolumns; i++) {
			if (i)
				strbuf_adds(sql, ", ");
			pg_quote_ident(sql, c->columns[i]);
		}
		strbuf_adds(sql, " HAVING count(*) > 1) AS d");
		return 0;
	case PLAN_CHECK_FOREIGN_KEY:
		if (!c->ref_table || c->nref_columns != c->ncolumns)
			return cannot(why, "%s",
				      "foreign key columns do not match the "
				      "referenced ones");
		/* MATCH SIMPLE: a row with any NULL key column is not
		 * checked by the server, so it is not counted. */
		strbuf_adds(sql, "SELECT count(*) FROM ");
		add_table_sql(sql, c->schema, c->table);
		strbuf_adds(sql, " AS c WHERE ");
		add_not_null_all(sql, "c", c->columns, c->ncolumns);
		strbuf_adds(sql, " AND NOT EXISTS (SELECT 1 FROM ");
		add_table_sql(sql, c->ref_schema, c->ref_table);
		strbuf_adds(sql, " AS p WHERE ");
		for (int i = 0; i < c->ncolumns; i++) {
			if (i)
				strbuf_adds(sql, " AND ");
			strbuf_adds(sql, "p.");
			pg_quote_ident(sql, c->ref_columns[i]);
			strbuf_adds(sql, " = c.");
			pg_quote_ident(sql, c->columns[i]);
		}
		strbuf_addch(sql, ')');
		return 0;
	case PLAN_CHECK_CHECK:
		if (!c->expr || !*c->expr)
			return cannot(why, "%s", "no CHECK expression given");
		/* A NULL result passes a CHECK, and NOT NULL is NULL, so
		 * those rows are not counted either. The whole query is
		 * vetted as it will be sent, so that text closing the
		 * parenthesis early cannot add anything unseen. */
		strbuf_adds(sql, "SELECT count(*) FROM ");
		add_table_sql(sql, c->schema, c->table);
		strbuf_addf(sql, " WHERE NOT (%s)", c->expr);
		return pgp_vet_check_query(strbuf_str(sql), why);
	case PLAN_CHECK_NARROW:
		strbuf_adds(sql, "SELECT count(*) FROM ");
		add_table_sql(sql, c->schema, c->table);
		strbuf_adds(sql, " WHERE ");
		if (!c->type || narrow_condition(sql, col, c->type) < 0)
			return cannot(why, "no data check for a change to %s",
				      c->type ? c->type : "(no type)");
		return 0;
	case PLAN_CHECK_ROWS:
		strbuf_adds(sql, "SELECT count(*) FROM ");
		add_table_sql(sql, c->schema, c->table);
		return 0;
	case PLAN_CHECK_SEQUENCE: {
		/* The bounds as numbers, never as text from the plan file. */
		long long lo, hi;
		if (!c->expr || sscanf(c->expr, "MINVALUE %lld MAXVALUE %lld",
				       &lo, &hi) != 2)
			return cannot(why, "%s", "no sequence bounds given");
		strbuf q = STRBUF_INIT;
		add_table_sql(&q, c->schema, c->table);
		strbuf_adds(sql, "SELECT count(*) FROM pg_sequences s WHERE "
				 "(quote_ident(s.schemaname) || '.' || "
				 "quote_ident(s.sequencename))::regclass = "
				 "pg_get_serial_sequence(");
		pg_quote_literal(sql, strbuf_str(&q));
		strbuf_adds(sql, ", ");
		pg_quote_literal(sql, col);
		strbuf_addf(sql,
			    ")::regclass AND (s.last_value < %lld OR "
			    "s.last_value > %lld)",
			    lo, hi);
		strbuf_release(&q);
		return 0;
	}
	}
	return cannot(why, "%s", "unknown check kind");
}

/* True when `expr` is one parenthesised whole, "((qty > 0))" as the
 * server spells a CHECK, so that messages do not wrap it twice. Quoted
 * strings and names may hold parentheses of their own. */
static bool fully_parenthesised(const char *expr)
{
	int depth = 0;
	if (*expr != '(')
		return false;
	for (const char *p = expr; *p; p++) {
		if (*p == '\'' || *p == '"') {
			const char *close = strchr(p + 1, *p);
			if (!close)
				return false;
			p = close;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p[1] == '\0';
		}
	}
	return false;
}

/* The verdict line of a check that ran: what fails, or what is fine. */
static void check_message(const plan_check *c, long long failing,
			  long long groups, strbuf *sb)
{
	const char *col = c->ncolumns ? c->columns[0] : "";
	bool one = failing == 1;

	strbuf_adds(sb, failing ? "will fail: " : "ok: ");
	switch (c->kind) {
	case PLAN_CHECK_NOT_NULL:
		if (failing) {
			add_rows(sb, failing);
			strbuf_adds(sb, " of ");
			add_table_label(sb, c->schema, c->table);
			strbuf_adds(sb, one ? " has NULL " : " have NULL ");
			pg_quote_ident(sb, col);
		} else {
			strbuf_adds(sb, "no NULL ");
			pg_quote_ident(sb, col);
			strbuf_adds(sb, " in ");
			add_table_label(sb, c->schema, c->table);
		}
		break;
	case PLAN_CHECK_UNIQUE:
		if (failing) {
			add_rows(sb, failing);
			strbuf_adds(sb, " of ");
			add_table_label(sb, c->schema, c->table);
			strbuf_adds(sb, " share a duplicated ");
			add_column_list(sb, c->columns, c->ncolumns);
			strbuf_adds(sb, " in ");
			strbuf_add_count(sb, groups);
			strbuf_adds(sb, groups == 1 ? " group" : " groups");
		} else {
			strbuf_adds(sb, "no duplicated ");
			add_column_list(sb, c->columns, c->ncolumns);
			strbuf_adds(sb, " in ");
			add_table_label(sb, c->schema, c->table);
		}
		break;
	case PLAN_CHECK_FOREIGN_KEY:
		if (failing) {
			add_rows(sb, failing);
			strbuf_adds(sb, " of ");
			add_table_label(sb, c->schema, c->table);
			strbuf_adds(sb, one ? " references" : " reference");
		} else {
			strbuf_adds(sb, "no row of ");
			add_table_label(sb, c->schema, c->table);
			strbuf_adds(sb, " references");
		}
		strbuf_adds(sb, " a missing ");
		add_table_label(sb, c->ref_schema, c->ref_table);
		strbuf_adds(sb, " row ");
		add_column_list(sb, c->columns, c->ncolumns);
		break;
	case PLAN_CHECK_CHECK:
		if (failing) {
			add_rows(sb, failing);
			strbuf_adds(sb, " of ");
			add_table_label(sb, c->schema, c->table);
			strbuf_adds(sb, one ? " violates" : " violate");
		} else {
			strbuf_adds(sb, "no row of ");
			add_table_label(sb, c->schema, c->table);
			strbuf_adds(sb, " violates");
		}
		strbuf_addf(sb,
			    fully_parenthesised(c->expr) ? " CHECK %s"
							 : " CHECK (%s)",
			    c->expr);
		break;
	case PLAN_CHECK_NARROW:
		if (failing) {
			add_rows(sb, failing);
			strbuf_adds(sb, " of ");
			add_table_label(sb, c->schema, c->table);
			strbuf_adds(sb, one ? " has a " : " have ");
			pg_quote_ident(sb, col);
			strbuf_addf(sb,
				    one ? " value that does not fit %s"
					: " values that do not fit %s",
				    c->type);
		} else {
			strbuf_adds(sb, "every ");
			pg_quote_ident(sb, col);
			strbuf_adds(sb, " value in ");
			add_table_label(sb, c->schema, c->table);
			strbuf_addf(sb, " fits %s", c->type);
		}
		break;
	case PLAN_CHECK_SEQUENCE: {
		/* The bounds as the query read them (it ran), never the
		 * plan file's text. */
		long long lo = 0, hi = 0;
		if (c->expr)
			(void)sscanf(c->expr, "MINVALUE %lld MAXVALUE %lld",
				     &lo, &hi);
		strbuf_adds(sb, "the identity sequence of ");
		add_table_label(sb, c->schema, c->table);
		strbuf_addch(sb, '.');
		pg_quote_ident(sb, col);
		strbuf_addf(sb,
			    failing
				? " is at a value outside its new bounds "
				  "(MINVALUE %lld MAXVALUE %lld)"
				: " is within its new bounds (MINVALUE %lld "
				  "MAXVALUE %lld)",
			    lo, hi);
		break;
	}
	case PLAN_CHECK_ROWS:
		add_table_label(sb, c->schema, c->table);
		if (failing) {
			strbuf_adds(sb, " has ");
			add_rows(sb, failing);
			if (c->ncolumns) {
				strbuf_adds(sb, " and the new column ");
				pg_quote_ident(sb, col);
			} else {
				strbuf_adds(sb, " and a new column");
			}
			strbuf_adds(sb, " is NOT NULL without a default");
		} else {
			strbuf_adds(sb, " is empty");
		}
		break;
	}
}

/* Why a query failed, in fixed words: the SQLSTATE and, for the usual
 * ones, what it means. The server's message is never copied: a failed
 * cast quotes the row value it could not convert. */
static void add_server_failure(strbuf *sb, PGconn *conn, PGresult *r)
{
	static const struct {
		const char *code, *meaning;
	} known[] = {
	    {"57014", "statement timeout"},
	    {"55P03", "lock timeout"},
	    {"42P01", "no such table"},
	    {"42703", "no such column"},
	    {"42883", "no such function or operator"},
	    {"25006", "read-only transaction"},
	};
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (!state || strlen(state) != 5) {
		strbuf_adds(sb, PQstatus(conn) == CONNECTION_OK
				    ? "check failed on the server"
				    : "the connection to the server was lost");
		return;
	}
	strbuf_adds(sb, "check failed on the server: SQLSTATE ");
	/* Five characters of [0-9A-Z] by the protocol; anything else is
	 * shown as '?' so that no byte of the reply reaches the plan. */
	for (const char *p = state; *p; p++)
		strbuf_addch(sb, (*p >= '0' && *p <= '9') ||
					 (*p >= 'A' && *p <= 'Z')
				     ? *p
				     : '?');
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(state, known[i].code))
			strbuf_addf(sb, " (%s)", known[i].meaning);
}

static void set_not_checked(plan *p, plan_check *c, const char *why)
{
	c->ran = false;
	c->failing = 0;
	c->message = arena_sprintf(&p->arena, "not checked: %s", why);
}

/* Run one check under a savepoint, so that its failure does not end
 * the transaction the other checks need. */
static void run_check(PGconn *conn, plan *p, plan_check *c)
{
	strbuf sql = STRBUF_INIT, msg = STRBUF_INIT;

	if (check_query(c, &sql, &msg) < 0) {
		set_not_checked(p, c, strbuf_str(&msg));
		goto out;
	}
	PGresult *r = PQexec(conn, "SAVEPOINT schemig_check");
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok) {
		add_server_failure(&msg, conn, NULL);
		set_not_checked(p, c, strbuf_str(&msg));
		goto out;
	}
	r = PQexec(conn, strbuf_str(&sql));
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		add_server_failure(&msg, conn, r);
		PQclear(r);
		set_not_checked(p, c, strbuf_str(&msg));
		PQclear(PQexec(conn, "ROLLBACK TO SAVEPOINT schemig_check"));
		goto out;
	}
	long long failing = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	long long groups =
	    PQnfields(r) > 1 ? strtoll(PQgetvalue(r, 0, 1), NULL, 10) : 0;
	PQclear(r);
	PQclear(PQexec(conn, "RELEASE SAVEPOINT schemig_check"));

	check_message(c, failing, groups, &msg);
	c->ran = true;
	c->failing = failing;
	c->message = plan_str(p, strbuf_str(&msg));
	if (failing > 0 && c->step >= 1 && c->step <= p->nsteps)
		p->steps[c->step - 1].hazards |= HZ_WILL_FAIL;
out:
	strbuf_release(&sql);
	strbuf_release(&msg);
}

static void discard_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* "checking data: 3/7 orders...", only for a person watching: piped
 * and --format json runs keep stderr quiet. */
static void progress(int i, int n, const plan_check *c)
{
	if (!isatty(2))
		return;
	strbuf label = STRBUF_INIT;
	add_table_label(&label, c->schema, c->table ? c->table : "?");
	fprintf(stderr, "checking data: %d/%d %s...\n", i, n,
		strbuf_str(&label));
	strbuf_release(&label);
}

int pg_plan_check_data(const char *url, plan *p, error *e)
{
	PGconn *conn;
	char sql[80];

	if (!p->nchecks)
		return 0;
	if (pg_connect(url, &conn, e) < 0)
		return -1;
	PQsetNoticeProcessor(conn, discard_notice, NULL);
	PQsetClientEncoding(conn, "UTF8");

	/* One snapshot for every check, and READ ONLY as a second guard
	 * behind the vetting of CHECK expressions; the transaction is
	 * rolled back in any case. */
	if (pg_run(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		   "data checks", e) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "SET LOCAL statement_timeout = %d",
		 p->settings.statement_timeout_ms > 0
		     ? p->settings.statement_timeout_ms
		     : 0);
	if (pg_run(conn, sql, "data checks", e) < 0)
		goto fail;
	/* A count waits only behind an ACCESS EXCLUSIVE lock (a migration
	 * or VACUUM FULL in progress): give up on that check rather than
	 * queue every later query of the table behind this one. */
	snprintf(sql, sizeof(sql), "SET LOCAL lock_timeout = %d",
		 p->settings.lock_timeout_ms > 0 ? p->settings.lock_timeout_ms
						 : 0);
	if (pg_run(conn, sql, "data checks", e) < 0)
		goto fail;

	for (int i = 0; i < p->nchecks; i++) {
		progress(i + 1, p->nchecks, &p->checks[i]);
		run_check(conn, p, &p->checks[i]);
	}
	PQclear(PQexec(conn, "ROLLBACK"));
	PQfinish(conn);
	return 0;

fail:
	PQfinish(conn);
	return -1;
}
