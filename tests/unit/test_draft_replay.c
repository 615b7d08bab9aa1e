/* draft_replay without a model: a recorded answer that was tampered with
 * (an injected DROP of another table, a field too many or too few, text
 * that is not JSON) is rejected before anything runs, the engine's plan
 * stands and the reason is recorded, as for a live answer. The accepted
 * replay (the proof on a throwaway copy) is tests/suites/demo.sh's. */
#include "pg_plan_util.h"

#include "draft/draft.h"

static const char from_sql[] =
    "CREATE TABLE public.customers (id bigint PRIMARY KEY, name text);\n"
    "CREATE TABLE public.orders (id bigint PRIMARY KEY, note "
    "varchar(100));\n";
static const char to_sql[] =
    "CREATE TABLE public.customers (id bigint PRIMARY KEY, name text);\n"
    "CREATE TABLE public.orders (id bigint PRIMARY KEY, remark "
    "varchar(100));\n";

/* The demo's recording, in short; %s is appended to the forward SQL. */
static const char answer_fmt[] =
    "{\"summary\": \"a rename\", \"steps\": [{\"kind\": \"rename_column\", "
    "\"object\": \"public.orders\", \"forward\": \"ALTER TABLE "
    "public.orders RENAME COLUMN note TO remark;%s\", \"rollback\": "
    "\"ALTER TABLE public.orders RENAME COLUMN remark TO note;\", "
    "\"transactional\": true, \"explanation\": \"same column\", "
    "\"batch_size\": 0%s}], "
    "\"renames\": [%s], \"samples\": [%s]}";

/* Replay `answer` on the engine's plan from_sql -> to_sql: the outcome,
 * and the plan's step kinds and its draft record's reason after it. */
static void replay(const char *answer, draft_outcome *out, char *kinds_out,
		   size_t n, char *note, size_t nn)
{
	model *from = parse(from_sql, "from.sql");
	model *to = parse(to_sql, "to.sql");
	source_ctx sc = {.dialect = &dialect_postgres};
	draft_opts o = {.sc = &sc, .from = "from.sql"};
	plan p;
	error e = ERROR_INIT;
	make_plan(&p, from_sql, to_sql, NULL);
	assert_string_equal(kinds(&p), "drop_column add_column");
	assert_int_equal(
	    draft_replay(&o, from, to, answer, "replay/test", &p, out, &e), 0);
	snprintf(kinds_out, n, "%s", kinds(&p));
	/* Why it was not used: the plan's draft record. */
	snprintf(note, nn, "%s",
		 p.draft && p.draft->reason ? p.draft->reason : "");
	plan_release(&p);
	model_free(from);
	model_free(to);
}

static void expect_rejected(const char *answer, const char *why)
{
	draft_outcome out;
	char k[4096], note[4096];
	replay(answer, &out, k, sizeof(k), note, sizeof(note));
	assert_false(out.accepted);
	assert_int_equal(out.requests, 0);
	assert_non_null(out.reason);
	if (!strstr(out.reason, why))
		fail_msg("reason '%s' lacks '%s'", out.reason, why);
	/* The engine's plan stands, the reason in its draft record. */
	assert_string_equal(k, "drop_column add_column");
	assert_non_null(strstr(note, why));
	draft_outcome_release(&out);
}

static void test_injected_drop(void **state)
{
	(void)state;
	char a[2048];
	snprintf(a, sizeof(a), answer_fmt,
		 "\\nDROP TABLE public.customers CASCADE;", "", "", "");
	expect_rejected(a, "a drop_stmt on public.customers, which is not "
			   "part of this change");
}

static void test_shape(void **state)
{
	(void)state;
	char a[2048];
	snprintf(a, sizeof(a), answer_fmt, "", ", \"extra\": 1", "", "");
	expect_rejected(a, "the answer.steps[0] has no field extra");
	/* No renames array at all. */
	snprintf(a, sizeof(a), answer_fmt, "", "", "", "");
	char *r = strstr(a, ", \"renames\": []");
	assert_non_null(r);
	memmove(r, r + strlen(", \"renames\": []"),
		strlen(r + strlen(", \"renames\": []")) + 1);
	expect_rejected(a, "the answer.renames is missing");
	snprintf(a, sizeof(a), answer_fmt, "", "", "{\"from\": 1}", "");
	expect_rejected(a, "the answer.renames[0].from is not a string");
	/* A sample's value is text or null, nothing else. */
	snprintf(a, sizeof(a), answer_fmt, "", "", "",
		 "{\"table\": \"public.orders\", \"before\": [{\"column\": "
		 "\"id\", \"value\": 1}], \"after\": []}");
	expect_rejected(a, "the answer.samples[0].before[0].value has the "
			   "wrong type");
	/* A batch size is a whole number within bounds. */
	snprintf(a, sizeof(a), answer_fmt, "", ", \"batch_size\": \"big\"", "",
		 "");
	char *dup = strstr(a, "\"batch_size\": 0, ");
	assert_non_null(dup);
	memmove(dup, dup + strlen("\"batch_size\": 0, "),
		strlen(dup + strlen("\"batch_size\": 0, ")) + 1);
	expect_rejected(a, "the answer.steps[0].batch_size is not an integer");
	snprintf(a, sizeof(a), answer_fmt, "", "", "", "");
	char *z = strstr(a, "\"batch_size\": 0");
	assert_non_null(z);
	memcpy(z, "\"batch_size\": 9", strlen("\"batch_size\": 9"));
	expect_rejected(a, "step 1: batch_size 9 is outside 100 to 50000");
}

/* A declared rename needs a sample row: the proof follows the data
 * through it (the rows themselves: tests/suites/draft.sh). */
static void test_rename_needs_sample(void **state)
{
	(void)state;
	char a[2048];
	snprintf(a, sizeof(a), answer_fmt, "", "",
		 "{\"from\": \"public.orders.note\", \"to\": "
		 "\"public.orders.remark\", \"reason\": \"same type\"}",
		 "");
	expect_rejected(a, "the rename of public.orders.note to "
			   "public.orders.remark has no sample row of "
			   "public.orders");
}

static void test_not_json(void **state)
{
	(void)state;
	expect_rejected("{\"summary\": ", "the recorded answer is malformed "
					  "JSON");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_injected_drop),
	    cmocka_unit_test(test_shape),
	    cmocka_unit_test(test_not_json),
	    cmocka_unit_test(test_rename_needs_sample),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
