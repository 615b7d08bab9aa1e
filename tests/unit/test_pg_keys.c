/*
 * Keys and partitioned indexes over the indexes a database has already
 * (diff_indexes.c): a new PRIMARY KEY or UNIQUE key takes over a unique
 * index identical to the one it would make; an INVALID partitioned
 * index made whole keeps the partitions' own indexes for the server to
 * attach. From two schema texts, without a server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pg_diff_util.h"

/* The diff from `a` to `b` as one text, a statement a line. */
static char *diff_text(const char *a, const char *b)
{
	diff_result r;
	char *msg = NULL;
	if (diff_files(a, b, &r, &msg) < 0)
		fail_msg("diff failed: %s", msg ? msg : "?");
	free(msg);
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < r.nstmts; i++)
		strbuf_addf(&sb, "%s\n", r.stmts[i].sql);
	diff_result_release(&r);
	return strbuf_detach(&sb);
}

static void expect_diff(const char *a, const char *b, const char *want)
{
	char *got = diff_text(a, b);
	if (strcmp(got, want))
		fail_msg("diff:\n%s\nwanted:\n%s", got, want);
	free(got);
}

static void test_key_takes_over_index(void **state)
{
	(void)state;
	const char *t = "CREATE TABLE t (a int NOT NULL, b text NOT NULL);\n";
	char from[512], to[512];
	/* The same name, another name, a primary key, two columns. */
	snprintf(from, sizeof(from), "%sCREATE UNIQUE INDEX t_b_key ON t (b);",
		 t);
	snprintf(to, sizeof(to), "%sALTER TABLE t ADD UNIQUE (b);", t);
	expect_diff(from, to,
		    "ALTER TABLE public.t ADD CONSTRAINT t_b_key UNIQUE USING "
		    "INDEX t_b_key\n");
	snprintf(from, sizeof(from), "%sCREATE UNIQUE INDEX t_ab ON t (a, b);",
		 t);
	snprintf(to, sizeof(to), "%sALTER TABLE t ADD PRIMARY KEY (a, b);", t);
	expect_diff(from, to,
		    "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY "
		    "USING INDEX t_ab\n");

	/* Not identical, or still wanted: the key builds its own. */
	static const char *const other[] = {
	    "CREATE UNIQUE INDEX t_ab ON t (b, a);",
	    "CREATE UNIQUE INDEX t_ab ON t (a DESC, b);",
	    "CREATE UNIQUE INDEX t_ab ON t (a, b) WHERE a > 0;",
	    "CREATE UNIQUE INDEX t_ab ON t (a, b) INCLUDE (b);",
	    "CREATE UNIQUE INDEX t_ab ON t USING btree (a, b) WITH "
	    "(fillfactor = 50);",
	    "CREATE INDEX t_ab ON t (a, b);",
	};
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		snprintf(from, sizeof(from), "%s%s", t, other[i]);
		char *got = diff_text(from, to);
		if (strstr(got, "USING INDEX") || !strstr(got, "DROP INDEX"))
			fail_msg("%s: %s", other[i], got);
		free(got);
	}
	snprintf(from, sizeof(from), "%sCREATE UNIQUE INDEX t_ab ON t (a, b);",
		 t);
	snprintf(to, sizeof(to),
		 "%sCREATE UNIQUE INDEX t_ab ON t (a, b);\n"
		 "ALTER TABLE t ADD PRIMARY KEY (a, b);",
		 t);
	expect_diff(from, to,
		    "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY "
		    "(a, b)\n");
	/* A key that changes (same name, other columns) is dropped and
	 * added: its old index goes with it. */
	snprintf(from, sizeof(from),
		 "%sALTER TABLE t ADD CONSTRAINT k UNIQUE (a);\n"
		 "CREATE UNIQUE INDEX t_b ON t (b);",
		 t);
	snprintf(to, sizeof(to), "%sALTER TABLE t ADD CONSTRAINT k UNIQUE (b);",
		 t);
	char *got = diff_text(from, to);
	assert_null(strstr(got, "USING INDEX"));
	free(got);
	/* Two new keys that would both make it: the first takes it. */
	snprintf(from, sizeof(from), "%sCREATE UNIQUE INDEX t_b ON t (b);", t);
	snprintf(to, sizeof(to),
		 "%sALTER TABLE t ADD CONSTRAINT k1 UNIQUE (b);\n"
		 "ALTER TABLE t ADD CONSTRAINT k2 UNIQUE (b);",
		 t);
	expect_diff(from, to,
		    "ALTER TABLE public.t ADD CONSTRAINT k1 UNIQUE USING INDEX "
		    "t_b\nALTER TABLE public.t ADD CONSTRAINT k2 UNIQUE (b)\n");
}

static const char parts[] =
    "CREATE TABLE public.m (id int, k int) PARTITION BY RANGE (id);\n"
    "CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO "
    "(10);\n"
    "CREATE TABLE public.m2 PARTITION OF public.m FOR VALUES FROM (10) TO "
    "(20);\n";

/* An INVALID partitioned index made whole: made again, and the
 * partition's own matching index left for CREATE INDEX to attach. */
static void test_invalid_parent_index(void **state)
{
	(void)state;
	char from[1024], to[1024];
	snprintf(
	    from, sizeof(from),
	    "%sCREATE INDEX m_k_idx ON ONLY public.m (k);\n"
	    "CREATE INDEX m1_k_idx ON public.m1 (k);\n"
	    "CREATE INDEX m2_k_idx ON public.m2 (k);\n"
	    "ALTER INDEX public.m_k_idx ATTACH PARTITION public.m1_k_idx;\n",
	    parts);
	snprintf(to, sizeof(to), "%sCREATE INDEX m_k_idx ON public.m (k);\n",
		 parts);
	expect_diff(from, to,
		    "DROP INDEX public.m_k_idx\n"
		    "CREATE INDEX m_k_idx ON public.m USING btree (k)\n");
	/* A partition's index that does not match is dropped. */
	snprintf(from, sizeof(from),
		 "%sCREATE INDEX m_k_idx ON ONLY public.m (k);\n"
		 "CREATE INDEX m2_k_idx ON public.m2 (k DESC);\n",
		 parts);
	char *got = diff_text(from, to);
	assert_non_null(strstr(got, "DROP INDEX public.m2_k_idx"));
	free(got);
	/* A new parent index: the partition's own is dropped (a plan's
	 * rollback could not give it back once attached). */
	snprintf(from, sizeof(from),
		 "%sCREATE INDEX m2_k_idx ON public.m2 (k);\n", parts);
	got = diff_text(from, to);
	assert_non_null(strstr(got, "DROP INDEX public.m2_k_idx"));
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_takes_over_index),
	    cmocka_unit_test(test_invalid_parent_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
