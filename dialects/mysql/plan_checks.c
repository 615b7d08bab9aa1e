/*
 * The data the plan's verdict asks about (dialect->plan_check_data): a
 * column made NOT NULL over NULLs, a unique key over duplicates, a
 * foreign key over orphans, a shorter type over values that do not fit.
 * Each is one count on the live source, read only, in one snapshot.
 *
 * Only names (quoted) and numbers go into the queries. A CHECK's
 * expression is the schema file's text: it is not run on the live
 * database (its check says so), whatever it holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "conn.h"
#include "plan_internal.h"

static void names(strbuf *sb, char **cols, int n, const char *prefix)
{
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		if (prefix)
			strbuf_addf(sb, "%s.", prefix);
		my_quote_ident(sb, cols[i]);
	}
}

/* The length n of "varchar(n)" / "char(n)" (the other types: -1). */
static long char_length(const char *type)
{
	const char *open = strchr(type, '(');
	if (!open ||
	    (strncmp(type, "varchar(", 8) && strncmp(type, "char(", 5)))
		return -1;
	return strtol(open + 1, NULL, 10);
}

/* The range of an integer type, false for the others. */
static bool int_range(const char *type, long double *lo, long double *hi)
{
	static const struct {
		const char *name;
		int bits;
	} ints[] = {{"tinyint", 8},
		    {"smallint", 16},
		    {"mediumint", 24},
		    {"int", 32},
		    {"bigint", 64}};
	size_t n = strcspn(type, " (");
	for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++) {
		if (strlen(ints[i].name) != n || strncmp(type, ints[i].name, n))
			continue;
		long double span = 1;
		for (int b = 0; b < ints[i].bits; b++)
			span *= 2;
		if (strstr(type, " unsigned")) {
			*lo = 0;
			*hi = span - 1;
		} else {
			*lo = -span / 2;
			*hi = span / 2 - 1;
		}
		return true;
	}
	return false;
}

/* Is `to` narrower than `from` in a way the data can be asked about? */
/* "date", "datetime(3)", "timestamp": the type a date must parse as
 * (the server's CAST name), or NULL for another type. */
static const char *temporal(const char *type)
{
	if (!strncmp(type, "datetime", 8) || !strncmp(type, "timestamp", 9))
		return "DATETIME";
	if (!strcmp(type, "date"))
		return "DATE";
	return NULL;
}

bool my_type_narrows(const char *from, const char *to)
{
	/* Text or numbers made dates: in strict mode (the default) a value
	 * that is not a valid date fails the ALTER. */
	if (temporal(to) && !temporal(from))
		return true;
	long a = char_length(from), b = char_length(to);
	if (a >= 0 && b >= 0)
		return b < a;
	long double alo, ahi, blo, bhi;
	if (int_range(from, &alo, &ahi) && int_range(to, &blo, &bhi))
		return blo > alo || bhi < ahi;
	return false;
}

/* The count that answers check `c`, or 0 when it cannot be asked. */
static int check_sql(const plan_check *c, strbuf *sb)
{
	strbuf t = STRBUF_INIT;
	my_qname(&t, c->schema, c->table);
	int ok = 1;
	switch (c->kind) {
	case PLAN_CHECK_NOT_NULL:
		strbuf_addf(sb, "SELECT count(*) FROM %s WHERE ", t.buf);
		my_quote_ident(sb, c->columns[0]);
		strbuf_adds(sb, " IS NULL");
		break;
	case PLAN_CHECK_UNIQUE:
		/* Rows in duplicated groups; NULLs never clash. */
		strbuf_adds(sb, "SELECT coalesce(sum(n), 0) FROM (SELECT "
				"count(*) AS n FROM ");
		strbuf_addf(sb, "%s WHERE ", t.buf);
		for (int i = 0; i < c->ncolumns; i++) {
			if (i)
				strbuf_adds(sb, " AND ");
			my_quote_ident(sb, c->columns[i]);
			strbuf_adds(sb, " IS NOT NULL");
		}
		strbuf_adds(sb, " GROUP BY ");
		names(sb, c->columns, c->ncolumns, NULL);
		strbuf_adds(sb, " HAVING count(*) > 1) AS d");
		break;
	case PLAN_CHECK_FOREIGN_KEY:
		if (c->ncolumns != c->nref_columns || !c->ncolumns) {
			ok = 0;
			break;
		}
		strbuf_addf(sb, "SELECT count(*) FROM %s AS c WHERE ", t.buf);
		for (int i = 0; i < c->ncolumns; i++) {
			strbuf_adds(sb, "c.");
			my_quote_ident(sb, c->columns[i]);
			strbuf_adds(sb, " IS NOT NULL AND ");
		}
		strbuf_adds(sb, "NOT EXISTS (SELECT 1 FROM ");
		my_qname(sb, c->ref_schema, c->ref_table);
		strbuf_adds(sb, " AS p WHERE ");
		for (int i = 0; i < c->ncolumns; i++) {
			if (i)
				strbuf_adds(sb, " AND ");
			strbuf_adds(sb, "p.");
			my_quote_ident(sb, c->ref_columns[i]);
			strbuf_adds(sb, " = c.");
			my_quote_ident(sb, c->columns[i]);
		}
		strbuf_addch(sb, ')');
		break;
	case PLAN_CHECK_NARROW: {
		long n = char_length(c->type);
		long double lo, hi;
		strbuf_addf(sb, "SELECT count(*) FROM %s WHERE ", t.buf);
		if (n >= 0) {
			strbuf_adds(sb, "char_length(");
			my_quote_ident(sb, c->columns[0]);
			strbuf_addf(sb, ") > %ld", n);
		} else if (temporal(c->type)) {
			/* CAST gives NULL for an invalid date; a zero date
			 * casts, but strict mode refuses it. */
			strbuf_adds(sb, "CAST(");
			my_quote_ident(sb, c->columns[0]);
			strbuf_addf(sb, " AS %s) IS NULL AND ",
				    temporal(c->type));
			my_quote_ident(sb, c->columns[0]);
			strbuf_adds(sb, " IS NOT NULL OR ");
			my_quote_ident(sb, c->columns[0]);
			strbuf_adds(sb, " LIKE '0000-00-00%'");
		} else if (int_range(c->type, &lo, &hi)) {
			my_quote_ident(sb, c->columns[0]);
			strbuf_addf(sb, " < %.0Lf OR ", lo);
			my_quote_ident(sb, c->columns[0]);
			strbuf_addf(sb, " > %.0Lf", hi);
		} else {
			ok = 0;
		}
		break;
	}
	default:
		ok = 0;
	}
	strbuf_release(&t);
	return ok;
}

static void verdict(plan *p, plan_check *c, long long failing)
{
	strbuf sb = STRBUF_INIT, t = STRBUF_INIT;
	my_qname(&t, c->schema, c->table);
	strbuf_adds(&sb, failing ? "will fail: " : "ok: ");
	strbuf_addf(&sb, "%lld row%s of %s ", failing, failing == 1 ? "" : "s",
		    t.buf);
	switch (c->kind) {
	case PLAN_CHECK_NOT_NULL:
		strbuf_addf(&sb, "%s NULL ", failing == 1 ? "has" : "have");
		my_quote_ident(&sb, c->columns[0]);
		break;
	case PLAN_CHECK_UNIQUE:
		strbuf_adds(&sb, "share a duplicated (");
		names(&sb, c->columns, c->ncolumns, NULL);
		strbuf_addch(&sb, ')');
		break;
	case PLAN_CHECK_FOREIGN_KEY:
		strbuf_addf(&sb, "reference%s no row of ",
			    failing == 1 ? "s" : "");
		my_qname(&sb, c->ref_schema, c->ref_table);
		break;
	case PLAN_CHECK_NARROW:
		strbuf_addf(&sb, "%s not fit ", failing == 1 ? "does" : "do");
		my_quote_ident(&sb, c->columns[0]);
		strbuf_addf(&sb, " as %s", c->type);
		break;
	default:
		break;
	}
	c->ran = true;
	c->failing = failing;
	c->message = plan_str(p, strbuf_str(&sb));
	strbuf_release(&sb);
	strbuf_release(&t);
}

int my_plan_check_data(const char *url, plan *p, error *e)
{
	if (!p->nchecks)
		return 0;
	MYSQL *c;
	if (my_connect(url, &c, e) < 0)
		return -1;
	/* One snapshot, read only; a count waits for no DDL long. */
	char set[80];
	int secs = (p->settings.lock_timeout_ms + 999) / 1000;
	snprintf(set, sizeof(set), "SET SESSION lock_wait_timeout = %d",
		 secs < 1 ? 1 : secs);
	if (my_exec(c, set, "data checks", e) < 0 ||
	    my_exec(c, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
		    "data checks", e) < 0) {
		mysql_close(c);
		return -1;
	}
	for (int i = 0; i < p->nchecks; i++) {
		plan_check *k = &p->checks[i];
		strbuf sql = STRBUF_INIT;
		if (k->kind == PLAN_CHECK_CHECK) {
			k->message = plan_str(
			    p, "not checked: the CHECK expression is the "
			       "schema file's text, never run on the live "
			       "database");
		} else if (!check_sql(k, &sql)) {
			k->message = plan_str(p, "not checked");
		} else {
			my_rows r;
			error ce = ERROR_INIT;
			if (my_query(c, strbuf_str(&sql), &r, "data check",
				     &ce) < 0) {
				k->message = plan_str(p, ce.msg);
			} else {
				const char *v = my_rows_val(&r, 0, 0);
				verdict(p, k, v ? atoll(v) : 0);
				my_rows_release(&r);
			}
			error_clear(&ce);
		}
		strbuf_release(&sql);
	}
	error ignored = ERROR_INIT;
	my_exec(c, "ROLLBACK", "data checks", &ignored);
	error_clear(&ignored);
	mysql_close(c);
	return 0;
}
