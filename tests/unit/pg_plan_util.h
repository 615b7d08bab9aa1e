/*
 * Shared by the planner unit tests (test_pg_plan*.c): parse two schemas,
 * plan between them without a server, and look at the steps.
 */
#ifndef SCHEMIG_TEST_PG_PLAN_UTIL_H
#define SCHEMIG_TEST_PG_PLAN_UTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/dialect.h"
#include "dialects/postgres/pg.h"
#include "dialects/postgres/plan_internal.h"
#include "plan/plan.h"
#include "schema/model.h"
#include "util/error.h"
#include "util/strbuf.h"

static inline model *parse(const char *sql, const char *name)
{
	model *m = model_new();
	error e = ERROR_INIT;
	int rc = dialect_postgres.parse(m, sql, name, &e);
	if (rc)
		fail_msg("%s: %s", name, e.msg);
	error_clear(&e);
	model_sort(m);
	return m;
}

/* Plan `from_sql` -> `to_sql` with settings `s` (defaults when NULL) and
 * renames "table[.column]=new" in `renames` (NULL-terminated, public). */
static inline void make_plan_r(plan *p, const char *from_sql,
			       const char *to_sql, const plan_settings *s,
			       const char *const *renames)
{
	model *from = parse(from_sql, "from.sql");
	model *to = parse(to_sql, "to.sql");
	error e = ERROR_INIT;
	plan_init(p);
	if (s)
		p->settings = *s;
	for (; renames && *renames; renames++) {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", *renames);
		char *eq = strchr(buf, '='), *dot;
		*eq = '\0';
		dot = strchr(buf, '.');
		if (dot)
			*dot = '\0';
		plan_add_rename(p, "public", buf, dot ? dot + 1 : NULL, eq + 1);
	}
	if (pg_plan(from, to, NULL, p, &e) || plan_finish(p, &e))
		fail_msg("plan: %s", e.msg);
	error_clear(&e);
	model_free(from);
	model_free(to);
}

static inline void make_plan(plan *p, const char *from_sql, const char *to_sql,
			     const plan_settings *s)
{
	make_plan_r(p, from_sql, to_sql, s, NULL);
}

/* The step kinds, space separated, for one assert_string_equal. */
static inline const char *kinds(const plan *p)
{
	static char buf[4096];
	size_t l = 0;
	buf[0] = '\0';
	for (int i = 0; i < p->nsteps && l < sizeof(buf) - 1; i++)
		l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s%s",
				      i ? " " : "", p->steps[i].kind);
	return buf;
}

static inline const plan_step *step(const plan *p, int n)
{
	assert_true(n >= 1 && n <= p->nsteps);
	return &p->steps[n - 1];
}

/* The forward SQL of every step together, or every rollback. */
static inline const char *all_sql(const plan *p, bool rollback)
{
	static strbuf sb = STRBUF_INIT;
	strbuf_release(&sb);
	for (int i = 0; i < p->nsteps; i++) {
		const char *s =
		    rollback ? p->steps[i].rollback : p->steps[i].forward;
		if (s)
			strbuf_adds(&sb, s);
	}
	return strbuf_str(&sb);
}

static inline int count_reasons(const plan *p, const char *needle)
{
	int n = 0;
	for (int i = 0; i < p->nreasons; i++)
		n += strstr(p->reasons[i].reason, needle) != NULL;
	return n;
}

static inline const plan_check *find_check(const plan *p,
					   enum plan_check_kind k, int nth)
{
	for (int i = 0; i < p->nchecks; i++)
		if (p->checks[i].kind == k && nth-- == 0)
			return &p->checks[i];
	return NULL;
}

static inline void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("expected \"%s\" in:\n%s", needle,
			 hay ? hay : "(null)");
}

static inline void assert_not_contains(const char *hay, const char *needle)
{
	if (hay && strstr(hay, needle))
		fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

/* [a, e) as a string (static buffer). */
static inline const char *span(const char *a, const char *e)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "%.*s", (int)(e - a), a);
	return buf;
}

static inline plan_settings settings(void)
{
	plan_settings s;
	plan_settings_init(&s);
	return s;
}

#define T0 "CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text);\n"

#endif
