/*
 * report/approvals.c: which reviews of a pull request approve it (each
 * reviewer's latest, on the head commit, not the author's), and which
 * report comments name a plan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/report.h"

#define HEAD "1111111111111111111111111111111111111111"
#define OLD  "2222222222222222222222222222222222222222"

static json_t *review(int id, const char *login, const char *state,
		      const char *sha, const char *at)
{
	return json_pack("{s:i, s:{s:s}, s:s, s:s, s:s?}", "id", id, "user",
			 "login", login, "state", state, "commit_id", sha,
			 "submitted_at", at);
}

/* The approvers as one comma-separated string, sorted. */
static char *approvers(const json_t *reviews, const char *author)
{
	json_t *out = report_github_approvers(reviews, HEAD, author);
	size_t n = json_array_size(out);
	const char **v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(out, i));
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(v[i], v[j]) > 0) {
				const char *t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? "," : "", v[i]);
	free(v);
	json_decref(out);
	return strbuf_detach(&sb);
}

static void expect(json_t *reviews, const char *author, const char *want)
{
	char *got = approvers(reviews, author);
	assert_string_equal(got ? got : "", want);
	free(got);
	json_decref(reviews);
}

static void test_latest_review_per_reviewer(void **state)
{
	(void)state;
	json_t *r = json_array();
	/* alice approves twice: one person. */
	json_array_append_new(
	    r, review(1, "alice", "APPROVED", HEAD, "2026-01-01T10:00:00Z"));
	json_array_append_new(
	    r, review(2, "Alice", "APPROVED", HEAD, "2026-01-01T11:00:00Z"));
	/* bob approved, then asked for changes. */
	json_array_append_new(
	    r, review(3, "bob", "APPROVED", HEAD, "2026-01-01T10:00:00Z"));
	json_array_append_new(r, review(4, "bob", "CHANGES_REQUESTED", HEAD,
					"2026-01-01T12:00:00Z"));
	/* carol asked for changes, then approved (listed out of order). */
	json_array_append_new(
	    r, review(6, "carol", "APPROVED", HEAD, "2026-01-01T13:00:00Z"));
	json_array_append_new(r, review(5, "carol", "CHANGES_REQUESTED", HEAD,
					"2026-01-01T09:00:00Z"));
	/* dave approved, then only commented: still approves. */
	json_array_append_new(
	    r, review(7, "dave", "APPROVED", HEAD, "2026-01-01T10:00:00Z"));
	json_array_append_new(
	    r, review(8, "dave", "COMMENTED", HEAD, "2026-01-01T14:00:00Z"));
	/* erin's approval was dismissed. */
	json_array_append_new(
	    r, review(9, "erin", "APPROVED", HEAD, "2026-01-01T10:00:00Z"));
	json_array_append_new(
	    r, review(10, "erin", "DISMISSED", HEAD, "2026-01-01T15:00:00Z"));
	/* frank's pending review is not submitted. */
	json_array_append_new(r, review(11, "frank", "PENDING", HEAD, NULL));
	expect(r, NULL, "Alice,carol,dave");
}

static void test_before_the_last_push(void **state)
{
	(void)state;
	json_t *r = json_array();
	json_array_append_new(
	    r, review(1, "alice", "APPROVED", OLD, "2026-01-01T10:00:00Z"));
	json_array_append_new(
	    r, review(2, "bob", "APPROVED", OLD, "2026-01-01T10:00:00Z"));
	json_array_append_new(
	    r, review(3, "bob", "APPROVED", HEAD, "2026-01-01T11:00:00Z"));
	expect(r, NULL, "bob");
}

static void test_author_does_not_count(void **state)
{
	(void)state;
	json_t *r = json_array();
	json_array_append_new(
	    r, review(1, "Mallory", "APPROVED", HEAD, "2026-01-01T10:00:00Z"));
	json_array_append_new(
	    r, review(2, "alice", "APPROVED", HEAD, "2026-01-01T10:00:00Z"));
	expect(r, "mallory", "alice");
}

static void test_same_time_by_id(void **state)
{
	(void)state;
	json_t *r = json_array();
	json_array_append_new(
	    r, review(9, "alice", "APPROVED", HEAD, "2026-01-01T10:00:00Z"));
	json_array_append_new(r, review(8, "alice", "CHANGES_REQUESTED", HEAD,
					"2026-01-01T10:00:00Z"));
	expect(r, NULL, "alice");
	/* A review without a user (a deleted account) is skipped. */
	r = json_pack("[{s:i, s:n, s:s, s:s}]", "id", 1, "user", "state",
		      "APPROVED", "commit_id", HEAD);
	expect(r, NULL, "");
}

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_comment_names_plan(void **state)
{
	(void)state;
	assert_true(report_comment_names_plan(
	    REPORT_MARKER "\n## Plan\n\nPlan `" ID "`  \nsource `x`\n", ID));
	/* Another plan, no marker, a cut id, text before "Plan". */
	assert_false(
	    report_comment_names_plan(REPORT_MARKER "\nPlan `" ID "`\n",
				      "f123456789abcdef0123456789abcdef01234567"
				      "89abcdef0123456789abcdef"));
	assert_false(report_comment_names_plan("Plan `" ID "`\n", ID));
	assert_false(report_comment_names_plan(
	    REPORT_MARKER "\nPlan `0123456789abcdef`\n", ID));
	assert_false(
	    report_comment_names_plan(REPORT_MARKER "\nx Plan `" ID "`\n", ID));
	assert_false(report_comment_names_plan(REPORT_MARKER "\n", ID));
	assert_false(report_comment_names_plan(NULL, ID));
}

#define ID2 "f123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* ci merge rewrites the comment with the plan that ran: only the plan it
 * kept from before counts, never the one it ran. */
static void test_merged_comment(void **state)
{
	(void)state;
	const char *kept =
	    REPORT_MARKER "\n" REPORT_REVIEWED ID " -->\n" REPORT_MERGED
			  "NOT applied\n\nPlan `" ID2 "`\n";
	assert_true(report_comment_names_plan(kept, ID));
	assert_false(report_comment_names_plan(kept, ID2));
	const char *none =
	    REPORT_MARKER REPORT_MERGED "applied\n\nPlan `" ID2 "`\n";
	assert_false(report_comment_names_plan(none, ID2));
	const char *cut = REPORT_MARKER "\n" REPORT_REVIEWED "0123 -->\n";
	assert_false(report_comment_names_plan(cut, ID));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_latest_review_per_reviewer),
	    cmocka_unit_test(test_before_the_last_push),
	    cmocka_unit_test(test_author_does_not_count),
	    cmocka_unit_test(test_same_time_by_id),
	    cmocka_unit_test(test_comment_names_plan),
	    cmocka_unit_test(test_merged_comment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
