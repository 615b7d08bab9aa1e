/* What the parser fuzzer (tests/fuzz/fuzz_parse.c) found, each kept as
 * the smallest input that showed it, with the invariant it broke. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/pg.h"

/* The statements of diffing the file's schema with itself. */
static int self_diff(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (pg_parse(m, sql, "find.sql", &e))
		fail_msg("parse: %s", e.msg);
	diff_result d;
	diff_result_init(&d);
	if (pg_diff(m, m, &d, &e))
		fail_msg("diff: %s", e.msg);
	int n = d.nstmts;
	diff_result_release(&d);
	model_free(m);
	return n;
}

static void test_grant_on_an_object_no_schema_defines(void **state)
{
	(void)state;
	/* A grant on a table the file does not create (an extension's,
	 * or a typo) was granted again by every diff, even of a file
	 * with itself: the differ took "not in the desired schema" for
	 * "recreated". */
	assert_int_equal(self_diff("CREATE TABLE accounts (id int);\n"
				   "GRANT SELECT (id), UPDATE (id) ON aunts "
				   "TO app_reader;\n"),
			 0);
	assert_int_equal(
	    self_diff("GRANT SELECT ON spatial_ref_sys TO "
		      "app_reader;\n"
		      "GRANT USAGE ON SEQUENCE nope TO app_reader;\n"),
	    0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grant_on_an_object_no_schema_defines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
