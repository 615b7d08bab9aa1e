/* The plan module without a server: building a plan, its canonical JSON
 * and id, the strict reader, the renderings and schema fingerprints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/dialect.h"
#include "plan/plan.h"
#include "schema/model.h"
#include "util/error.h"
#include "util/strbuf.h"

/* A plan with every kind of content: quotes, newlines and non-ASCII in
 * SQL, a step without rollback, a non-transactional step, a batch,
 * reasons, checks (one failing) and renames. */
static void build_plan(plan *p)
{
	plan_init(p);
	p->dialect = plan_str(p, "postgres");
	p->source = plan_str(p, "postgres://app@db/prod");
	p->target = plan_str(p, "schema.sql");
	p->source_fp = plan_str(p, "sha256:aaaa");
	p->target_fp = plan_str(p, "sha256:bbbb");
	p->settings.batch_size = 5000;

	plan_step *s = plan_add_step(
	    p, "add_column", "public.orders.status", "public.orders",
	    "ALTER TABLE public.orders ADD COLUMN status text DEFAULT "
	    "'new ''one''';\n");
	plan_step_set_rollback(
	    p, s, "ALTER TABLE public.orders DROP COLUMN status;\n");
	s->lock = plan_str(p, "ACCESS EXCLUSIVE");
	s->hazards = HZ_ACCESS_EXCLUSIVE_LOCK;
	s->est_rows = 1204000;
	s->est_lock_ms = 3;
	s->note = plan_str(p, "a constant default needs no rewrite");

	s = plan_add_step(p, "create_index_concurrently",
			  "public.orders_created_idx", "public.orders",
			  "CREATE INDEX CONCURRENTLY orders_created_idx ON "
			  "public.orders (created);\n");
	plan_step_set_rollback(p, s,
			       "DROP INDEX CONCURRENTLY "
			       "public.orders_created_idx;\n");
	s->transactional = false;
	s->rollback_transactional = false;
	s->lock = plan_str(p, "SHARE UPDATE EXCLUSIVE");
	s->scans = true;
	s->est_rows = 1204000;
	s->hazards = HZ_INDEX_BUILD | HZ_NOT_TRANSACTIONAL | HZ_TABLE_SCAN;

	s = plan_add_step(p, "backfill", "public.orders.label", "public.orders",
			  "DO $$\nBEGIN\n  -- \"Größe\" ✓ and a tab\t"
			  "here\n  UPDATE public.orders SET label = 'x|y' "
			  "WHERE false;\nEND\n$$;\n");
	plan_step_set_no_rollback(p, s, "the old values are gone");
	s->batch_size = 5000;
	s->batch_pause_ms = 50;
	s->hazards = HZ_BACKFILL | HZ_IRREVERSIBLE;
	s->drafted_by = plan_str(p, "llm");

	s = plan_add_step(p, "drop_column", "public.orders.legacy",
			  "public.orders",
			  "ALTER TABLE public.orders DROP COLUMN legacy;\n");
	plan_step_set_no_rollback(p, s, "dropping a column loses its data");
	s->hazards = HZ_DELETES_DATA | HZ_BREAKS_OLD_CODE;

	plan_add_reason(p, 4, "public.orders.legacy",
			"column %s is dropped while the old code reads it",
			"legacy");
	plan_check *c =
	    plan_add_check(p, PLAN_CHECK_NOT_NULL, 1, "public", "orders");
	plan_check_add_column(p, c, "status");
	c->ran = true;
	c->failing = 1204;
	c->message =
	    plan_str(p, "will fail: 1,204 rows of orders have NULL status");
	c = plan_add_check(p, PLAN_CHECK_FOREIGN_KEY, 2, "public", "orders");
	plan_check_add_column(p, c, "customer_id");
	c->ref_schema = plan_str(p, "public");
	c->ref_table = plan_str(p, "customers");
	plan_check_add_ref_column(p, c, "id");
	c->message = plan_str(p, "not checked: no live source");
	plan_add_rename(p, "public", "orders", "old_label", "label");
	plan_add_rename(p, "public", "clients", NULL, "customers");
}

static char *to_json(const plan *p)
{
	strbuf sb = STRBUF_INIT;
	error e = ERROR_INIT;
	assert_int_equal(plan_to_json(p, &sb, &e), 0);
	return strbuf_detach(&sb);
}

static void test_defaults(void **state)
{
	(void)state;
	plan p;
	plan_init(&p);
	assert_int_equal(p.format, PLAN_FORMAT_VERSION);
	assert_int_equal(p.settings.lock_timeout_ms, 2000);
	assert_int_equal(p.settings.statement_timeout_ms, 10000);
	assert_int_equal(p.settings.batch_size, 0);
	assert_int_equal(p.settings.batch_pause_ms, 50);
	assert_false(p.settings.allow_rewrite);
	assert_false(p.settings.defer_drops);
	assert_true(p.settings.data_checks);
	assert_int_equal(p.settings.server_version, 0);
	/* Enough steps to move the array: numbers stay in order. */
	for (int i = 0; i < 50; i++)
		plan_add_step(&p, "k", "o", NULL, "SELECT 1;\n");
	plan_step *s = &p.steps[49];
	assert_int_equal(s->n, 50);
	assert_string_equal(s->drafted_by, "engine");
	assert_string_equal(s->lock, "none");
	assert_true(s->transactional);
	assert_true(s->rollback_transactional);
	assert_true(s->est_rows == -1 && s->est_lock_ms == -1);
	assert_null(s->table);

	/* A pause without a size still round-trips. */
	error e = ERROR_INIT;
	s->batch_pause_ms = 7;
	assert_int_equal(plan_finish(&p, &e), 0);
	char *j = NULL;
	{
		strbuf sb = STRBUF_INIT;
		assert_int_equal(plan_to_json(&p, &sb, &e), 0);
		j = strbuf_detach(&sb);
	}
	assert_non_null(strstr(j, "\"batch\":{\"pause_ms\":7,\"size\":0}"));
	plan q;
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, j, "p.json", false, &e), 0);
	assert_int_equal(q.steps[49].batch_pause_ms, 7);
	assert_int_equal(q.steps[49].batch_size, 0);
	assert_int_equal(q.steps[48].batch_pause_ms, 0);
	plan_release(&q);
	free(j);

	/* A step with no SQL cannot be finished. */
	s->forward = NULL;
	assert_int_equal(plan_finish(&p, &e), -1);
	assert_string_equal(e.msg, "plan step 50 has no forward SQL");
	error_clear(&e);
	plan_release(&p);
}

static void test_hazard_names(void **state)
{
	(void)state;
	static const char *const names[] = {"access_exclusive_lock",
					    "blocks_writes",
					    "table_rewrite",
					    "table_scan",
					    "index_build",
					    "backfill",
					    "deletes_data",
					    "not_transactional",
					    "irreversible",
					    "breaks_old_code",
					    "will_fail"};
	for (int i = 0; i < PLAN_HAZARD_COUNT; i++) {
		assert_string_equal(plan_hazard_name(i), names[i]);
		assert_int_equal(plan_hazard_from_name(names[i]), 1u << i);
	}
	assert_null(plan_hazard_name(PLAN_HAZARD_COUNT));
	assert_null(plan_hazard_name(-1));
	assert_int_equal(plan_hazard_from_name("nope"), 0);
	assert_int_equal(plan_hazard_from_name(NULL), 0);
	assert_int_equal(plan_hazard_from_name("will_fail"), HZ_WILL_FAIL);
}

static void test_finish_and_round_trip(void **state)
{
	(void)state;
	plan p, q;
	error e = ERROR_INIT;
	build_plan(&p);
	assert_int_equal(plan_finish(&p, &e), 0);
	assert_false(p.compatible);
	assert_true(p.will_fail);
	assert_int_equal(strlen(p.id), 64);
	/* The failing check marks the step it guards. */
	assert_true(p.steps[0].hazards & HZ_WILL_FAIL);
	assert_false(p.steps[1].hazards & HZ_WILL_FAIL);

	char *j1 = to_json(&p);
	assert_int_equal(j1[strlen(j1) - 1], '\n');
	assert_true(strchr(j1, '\n') == j1 + strlen(j1) - 1);
	/* UTF-8 as is, sorted keys, compact, nulls. */
	assert_non_null(strstr(j1, "\\\"Größe\\\" ✓ and a tab\\there"));
	assert_non_null(strstr(j1, "{\"backwards_compatible\":false,"));
	assert_non_null(strstr(j1, "\"rollback\":null"));
	assert_non_null(
	    strstr(j1, "\"batch\":{\"pause_ms\":50,\"size\":5000}"));
	assert_non_null(strstr(j1, "\"batch\":null"));
	assert_non_null(strstr(j1, "\"column\":null"));
	assert_non_null(strstr(j1, "\"hazards\":[\"table_scan\","
				   "\"index_build\",\"not_transactional\"]"));
	assert_non_null(strstr(j1, "\"format\":1,\"id\":\""));

	plan_init(&q);
	assert_int_equal(plan_from_json(&q, j1, "p.json", false, &e), 0);
	assert_string_equal(q.id, p.id);
	assert_int_equal(q.nsteps, 4);
	assert_null(q.steps[2].rollback);
	assert_string_equal(q.steps[2].no_rollback, "the old values are gone");
	assert_string_equal(q.steps[2].drafted_by, "llm");
	assert_int_equal(q.checks[1].kind, PLAN_CHECK_FOREIGN_KEY);
	assert_string_equal(q.checks[1].ref_columns[0], "id");
	assert_null(q.renames[1].column);
	char *j2 = to_json(&q);
	assert_string_equal(j1, j2);

	/* The id is what plan_finish computes again on the read plan. */
	char again[65];
	assert_int_equal(plan_compute_id(&q, again, &e), 0);
	assert_string_equal(again, p.id);

	free(j1);
	free(j2);
	plan_release(&q);
	plan_release(&p);
}

/* Two builds give the same id; any one change gives another. */
static void test_id_changes(void **state)
{
	(void)state;
	plan a, b;
	error e = ERROR_INIT;
	build_plan(&a);
	build_plan(&b);
	assert_int_equal(plan_finish(&a, &e), 0);
	assert_int_equal(plan_finish(&b, &e), 0);
	assert_string_equal(a.id, b.id);
	/* The same plan had this id in every earlier run and must keep it:
	 * approvals name plans by id, so a change here is a change of the
	 * plan file format (and of PLAN_FORMAT_VERSION). */
	assert_string_equal(
	    a.id,
	    "ac0232aa98a0777fee0ab9046b2fe2b56f73c36dd4ec943e13539ca99428172a");

	char prev[65];
	memcpy(prev, b.id, sizeof(prev));
#define CHANGED(stmt)                                                          \
	do {                                                                   \
		stmt;                                                          \
		assert_int_equal(plan_finish(&b, &e), 0);                      \
		assert_string_not_equal(b.id, prev);                           \
		memcpy(prev, b.id, sizeof(prev));                              \
	} while (0)
	CHANGED(b.steps[1].forward =
		    plan_str(&b, "CREATE INDEX x ON t (c);\n"));
	CHANGED(b.steps[0].est_rows = 7);
	CHANGED(b.steps[3].hazards |= HZ_TABLE_REWRITE);
	CHANGED(b.steps[2].batch_pause_ms = 51);
	CHANGED(b.steps[0].note = NULL);
	CHANGED(b.settings.lock_timeout_ms = 1000);
	CHANGED(b.settings.defer_drops = true);
	CHANGED(b.checks[1].ran = true);
	CHANGED(b.renames[0].new_name = plan_str(&b, "label2"));
	CHANGED(b.source_fp = plan_str(&b, "sha256:cccc"));
	CHANGED(b.reasons[0].reason = plan_str(&b, "other"));
	/* A draft record is content too; without one the id is as above. */
	CHANGED(plan_draft_get(&b)->by = plan_str(&b, "anthropic/m"));
	CHANGED(b.draft->accepted = true);
	CHANGED(plan_draft_add_rename(&b, "t.a", "t.b", "same type"));
#undef CHANGED
	plan_release(&a);
	plan_release(&b);
}

/* A backfill's data is in the plan file (absent for other steps, so
 * their JSON is unchanged); the change id ignores one environment's
 * rows, batch sizes, notes and checks, and nothing else. */
static void test_backfill_and_change_id(void **state)
{
	(void)state;
	plan a, q;
	error e = ERROR_INIT;
	char c0[65], c1[65];
	build_plan(&a);
	plan_backfill *b = arena_alloc(&a.arena, sizeof(*b));
	b->table = plan_str(&a, "public.orders");
	b->key = plan_str(&a, "id");
	b->key_type = plan_str(&a, "bigint");
	b->set = plan_str(&a, "label = 'x'");
	b->pending = plan_str(&a, "label IS NULL");
	a.steps[2].backfill = b;
	assert_int_equal(plan_finish(&a, &e), 0);
	char *j = to_json(&a);
	assert_non_null(strstr(j, "\"backfill\":{\"key\":\"id\",\"key_type\":"
				  "\"bigint\",\"pending\":\"label IS NULL\","
				  "\"set\":\"label = 'x'\",\"table\":"
				  "\"public.orders\"}"));
	/* Only the backfill step carries the key. */
	assert_null(strstr(strstr(j, "\"backfill\":{") + 1, "\"backfill\":"));
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, j, "p.json", false, &e), 0);
	assert_non_null(q.steps[2].backfill);
	assert_null(q.steps[0].backfill);
	assert_string_equal(q.steps[2].backfill->pending, "label IS NULL");
	assert_string_equal(q.id, a.id);
	free(j);

	assert_int_equal(plan_change_id(&a, c0, &e), 0);
	assert_int_equal(plan_change_id(&q, c1, &e), 0);
	assert_string_equal(c0, c1);
#define SAME(stmt)                                                             \
	do {                                                                   \
		stmt;                                                          \
		assert_int_equal(plan_change_id(&q, c1, &e), 0);               \
		assert_string_equal(c1, c0);                                   \
	} while (0)
#define OTHER(stmt)                                                            \
	do {                                                                   \
		stmt;                                                          \
		assert_int_equal(plan_change_id(&q, c1, &e), 0);               \
		assert_string_not_equal(c1, c0);                               \
		memcpy(c0, c1, sizeof(c0));                                    \
	} while (0)
	SAME(q.steps[0].est_rows = 3);
	SAME(q.steps[0].est_lock_ms = 9000);
	SAME(q.steps[2].batch_size = 77);
	SAME(q.steps[2].forward = plan_str(&q, "DO $$ LIMIT 77 $$;\n"));
	SAME(q.steps[1].note = NULL);
	SAME(q.checks[0].failing = 0);
	SAME(q.steps[0].hazards |= HZ_WILL_FAIL);
	OTHER(q.steps[2].backfill->set = plan_str(&q, "label = 'y'"));
	OTHER(q.steps[0].forward = plan_str(&q, "SELECT 1;\n"));
	OTHER(q.steps[1].rollback = NULL);
	OTHER(q.steps[1].transactional = true);
	OTHER(q.target_fp = plan_str(&q, "sha256:dddd"));
#undef SAME
#undef OTHER
	plan_release(&q);
	plan_release(&a);
}

static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	assert_non_null(at);
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, s, (size_t)(at - s));
	strbuf_adds(&sb, to);
	strbuf_adds(&sb, at + strlen(from));
	return strbuf_detach(&sb);
}

/* The draft record (plan --llm): in the JSON only when present, read
 * back exactly, shown by the text rendering; a wrong type is refused. */
static void test_draft_record(void **state)
{
	(void)state;
	plan p, q, r;
	error e = ERROR_INIT;
	build_plan(&p);
	assert_int_equal(plan_finish(&p, &e), 0);
	char *plain = to_json(&p);
	assert_null(strstr(plain, "\"draft\""));

	plan_draft *d = plan_draft_get(&p);
	assert_ptr_equal(plan_draft_get(&p), d);
	d->by = plan_str(&p, "anthropic/plan-ok");
	d->accepted = true;
	d->summary = plan_str(&p, "adds <b>nick</b> @someone\nsecond line");
	plan_draft_add_rename(&p, "public.users.name", "public.users.full_name",
			      "same type");
	assert_int_equal(plan_finish(&p, &e), 0);
	char *j1 = to_json(&p);
	assert_non_null(
	    strstr(j1, "\"draft\":{\"accepted\":true,"
		       "\"by\":\"anthropic/plan-ok\",\"reason\":null,"
		       "\"renames\":[{\"from\":\"public.users.name\","));

	plan_init(&q);
	assert_int_equal(plan_from_json(&q, j1, "d.json", false, &e), 0);
	assert_string_equal(q.id, p.id);
	assert_non_null(q.draft);
	assert_true(q.draft->accepted);
	assert_string_equal(q.draft->by, "anthropic/plan-ok");
	assert_string_equal(q.draft->summary, p.draft->summary);
	assert_null(q.draft->reason);
	assert_int_equal(q.draft->nrenames, 1);
	assert_string_equal(q.draft->renames[0].to, "public.users.full_name");
	assert_string_equal(q.draft->renames[0].reason, "same type");
	char *j2 = to_json(&q);
	assert_string_equal(j1, j2);

	/* Text: who drafted, the summary on one line, the rename. */
	strbuf t = STRBUF_INIT;
	plan_format_text(&q, &t);
	assert_non_null(strstr(t.buf, "Drafted by anthropic/plan-ok: proven "
				      "and used\n"));
	assert_non_null(strstr(t.buf, "summary: adds <b>nick</b> @someone "
				      "second line\n"));
	assert_non_null(strstr(t.buf, "rename public.users.name -> "
				      "public.users.full_name: same type\n"));
	/* A fallback: the reason instead. */
	q.draft->accepted = false;
	q.draft->reason = plan_str(&q, "the proof failed");
	strbuf_reset(&t);
	plan_format_text(&q, &t);
	assert_non_null(strstr(t.buf, "the model's draft was not used: the "
				      "proof failed\n"));
	strbuf_release(&t);

	/* Strict: a mistyped field and an unknown key are refused. */
	char *bad = replace(j1, "\"accepted\":true", "\"accepted\":1");
	plan_init(&r);
	assert_int_equal(plan_from_json(&r, bad, "d.json", true, &e), -1);
	assert_non_null(
	    strstr(e.msg, "draft.accepted: expected true or false"));
	error_clear(&e);
	plan_release(&r);
	free(bad);
	bad = replace(j1, "\"by\":", "\"who\":\"x\",\"by\":");
	plan_init(&r);
	assert_int_equal(plan_from_json(&r, bad, "d.json", true, &e), -1);
	assert_non_null(strstr(e.msg, "draft.who: unknown key"));
	error_clear(&e);
	plan_release(&r);
	free(bad);

	free(plain);
	free(j1);
	free(j2);
	plan_release(&q);
	plan_release(&p);
}

static void test_tampered_and_malformed(void **state)
{
	(void)state;
	plan p, q;
	error e = ERROR_INIT;
	build_plan(&p);
	assert_int_equal(plan_finish(&p, &e), 0);
	char *j = to_json(&p);

	char *t =
	    replace(j, "DROP COLUMN legacy;", "DROP TABLE public.orders;");
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, t, "plan.json", false, &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	assert_string_equal(e.msg, "plan.json: plan id does not match its "
				   "content (edited after planning?)");
	plan_release(&q);
	error_clear(&e);
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, t, "plan.json", true, &e), 0);
	assert_non_null(strstr(q.steps[3].forward, "DROP TABLE"));
	plan_release(&q);
	free(t);

	/* Malformed: line and column from the parser. */
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, "{\n  \"format\": 1,\n  oops\n}\n",
					"bad.json", false, &e),
			 -1);
	assert_non_null(strstr(e.msg, "bad.json:3:"));
	error_clear(&e);
	plan_release(&q);

	/* A wrongly typed key names its path. */
	t = replace(j,
		    "\"forward\":\"ALTER TABLE public.orders DROP COLUMN "
		    "legacy;\\n\"",
		    "\"forward\":42");
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, t, "plan.json", true, &e), -1);
	assert_string_equal(e.msg,
			    "plan.json: steps[3].forward: expected a string");
	free(t);
	plan_release(&q);
	error_clear(&e);

	/* Missing and unknown keys, unknown hazard, unknown version. */
	t = replace(j, "\"lock_timeout_ms\":2000,", "");
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, t, "plan.json", true, &e), -1);
	assert_string_equal(e.msg,
			    "plan.json: settings.lock_timeout_ms: missing");
	free(t);
	plan_release(&q);
	error_clear(&e);
	t = replace(j, "\"ran\":false,", "\"ran\":false,\"zzz\":1,");
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, t, "plan.json", true, &e), -1);
	assert_string_equal(e.msg, "plan.json: verdict.data_checks[1].zzz: "
				   "unknown key");
	free(t);
	plan_release(&q);
	error_clear(&e);
	t = replace(j, "\"backfill\",\"irreversible\"", "\"sideways\"");
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, t, "plan.json", true, &e), -1);
	assert_string_equal(e.msg, "plan.json: steps[2].hazards[0]: unknown "
				   "hazard sideways");
	free(t);
	plan_release(&q);
	error_clear(&e);
	t = replace(j, "\"format\":1,", "\"format\":9,");
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, t, "plan.json", true, &e), -1);
	assert_non_null(strstr(e.msg, "plan format 9 is not supported"));
	free(t);
	plan_release(&q);
	error_clear(&e);
	plan_init(&q);
	assert_int_equal(plan_from_json(&q, "[1]", "a.json", true, &e), -1);
	assert_string_equal(e.msg, "a.json: expected a JSON object");
	plan_release(&q);
	error_clear(&e);

	free(j);
	plan_release(&p);
}

static void test_sql(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	strbuf sb = STRBUF_INIT;
	build_plan(&p);
	p.settings.statement_timeout_ms = 60000;
	assert_int_equal(plan_finish(&p, &e), 0);

	plan_format_sql(&p, false, &sb);
	const char *s = strbuf_str(&sb);
	assert_non_null(strstr(s, p.id));
	assert_non_null(strstr(s, "-- Backwards compatible: NO\n"));
	assert_non_null(strstr(s, "--   - column legacy is dropped while the "
				  "old code reads it (step 4)\n"));
	assert_non_null(strstr(s, "-- will fail: 1,204 rows of orders have "
				  "NULL status (step 1)\n"));
	/* Each transactional step is its own transaction. */
	assert_non_null(
	    strstr(s, "-- step 1: add_column public.orders.status\n"
		      "-- a constant default needs no rewrite\n"
		      "BEGIN;\nSET LOCAL lock_timeout = '2000ms';\n"
		      "SET LOCAL statement_timeout = '60000ms';\n"
		      "ALTER TABLE public.orders ADD COLUMN status text "
		      "DEFAULT 'new ''one''';\nCOMMIT;\n"));
	assert_non_null(strstr(s,
			       "-- step 2: create_index_concurrently "
			       "public.orders_created_idx\n"
			       "SET lock_timeout = '2000ms';\n"
			       "SET statement_timeout = 0;\n"
			       "CREATE INDEX CONCURRENTLY orders_created_idx "
			       "ON public.orders (created);\n\n-- step 3"));
	assert_non_null(strstr(s, "END\n$$;\nCOMMIT;\n"));
	assert_non_null(strstr(s, "DROP COLUMN legacy;\nCOMMIT;\n\nRESET "
				  "lock_timeout;\nRESET statement_timeout;\n"));
	/* Steps in order. */
	assert_true(strstr(s, "-- step 1:") < strstr(s, "-- step 2:"));
	assert_true(strstr(s, "-- step 3:") < strstr(s, "-- step 4:"));

	strbuf_reset(&sb);
	plan_format_sql(&p, true, &sb);
	s = strbuf_str(&sb);
	assert_non_null(strstr(s, "\n-- step 4: no rollback: dropping a "
				  "column loses its data\n"));
	assert_non_null(strstr(s, "\n-- step 3: no rollback: the old values "
				  "are gone\n"));
	assert_non_null(strstr(s, "SET lock_timeout = '2000ms';\n"
				  "SET statement_timeout = 0;\n"
				  "DROP INDEX CONCURRENTLY "
				  "public.orders_created_idx;\n"));
	/* Rollbacks run without a statement timeout. */
	assert_non_null(strstr(s, "BEGIN;\nSET LOCAL lock_timeout = '2000ms';\n"
				  "ALTER TABLE public.orders DROP COLUMN "
				  "status;\nCOMMIT;\n"));
	assert_true(strstr(s, "-- step 4:") < strstr(s, "-- step 3:"));
	assert_true(strstr(s, "-- step 3:") < strstr(s, "-- step 2:"));
	assert_true(strstr(s, "-- step 2:") < strstr(s, "-- step 1:"));
	assert_null(strstr(s, "ADD COLUMN"));
	assert_non_null(strstr(s, "RESET statement_timeout;\n"));

	/* No session setting, no RESET. */
	plan q;
	plan_init(&q);
	plan_add_step(&q, "add_column", "t.c", "t", "ALTER TABLE t ADD c int;");
	assert_int_equal(plan_finish(&q, &e), 0);
	strbuf_reset(&sb);
	plan_format_sql(&q, false, &sb);
	assert_non_null(strstr(strbuf_str(&sb),
			       "BEGIN;\nSET LOCAL lock_timeout = '2000ms';\n"
			       "SET LOCAL statement_timeout = '10000ms';\n"
			       "ALTER TABLE t ADD c int;\nCOMMIT;\n"));
	assert_null(strstr(strbuf_str(&sb), "RESET"));
	assert_non_null(strstr(strbuf_str(&sb), "Backwards compatible: YES"));
	plan_release(&q);

	strbuf_release(&sb);
	plan_release(&p);
}

static void test_text_and_markdown(void **state)
{
	(void)state;
	plan p;
	error e = ERROR_INIT;
	strbuf sb = STRBUF_INIT;
	build_plan(&p);
	assert_int_equal(plan_finish(&p, &e), 0);

	plan_format_text(&p, &sb);
	const char *s = strbuf_str(&sb);
	char head[128];
	snprintf(head, sizeof(head),
		 "Plan %.12s: 4 steps (postgres://app@db/prod -> schema.sql)\n"
		 "Backwards compatible: NO\n",
		 p.id);
	assert_true(!strncmp(s, head, strlen(head)));
	assert_non_null(strstr(s, "  - column legacy is dropped while the old "
				  "code reads it (step 4)\n"));
	assert_non_null(strstr(s, "  will fail: 1,204 rows of orders have "
				  "NULL status (step 1)\n"));
	assert_non_null(strstr(s, "  not checked: no live source (step 2)\n"));
	assert_non_null(strstr(s,
			       "  2. create_index_concurrently  "
			       "public.orders_created_idx  [SHARE UPDATE "
			       "EXCLUSIVE, scan, ~1,204,000 rows] hazards: "
			       "table_scan, index_build, not_transactional\n"));
	assert_non_null(strstr(s, "\n     a constant default needs no "
				  "rewrite\n"));
	assert_non_null(strstr(s, "(drafted by llm)"));

	strbuf_reset(&sb);
	plan_format_markdown(&p, &sb);
	s = strbuf_str(&sb);
	assert_true(
	    !strncmp(s, "**Backwards compatible: NO**\n\n- column", 38));
	assert_non_null(strstr(s, "| # | step | object | lock |"));
	assert_non_null(strstr(s, "| 1 | add_column | public.orders.status | "
				  "ACCESS EXCLUSIVE |  | 1,204,000 | 3 ms | "
				  "access_exclusive_lock, will_fail |\n"));
	assert_non_null(strstr(s, "```sql\nDO $$\n"));
	assert_non_null(strstr(s, "No rollback: the old values are gone\n"));
	assert_non_null(strstr(s, p.id));
	assert_non_null(strstr(s, "`sha256:aaaa`"));
	plan_release(&p);

	/* A fence in the SQL gets a longer fence; a | in a cell is escaped. */
	plan_init(&p);
	plan_add_step(&p, "k|ind", "o", NULL, "SELECT '```';\n");
	assert_int_equal(plan_finish(&p, &e), 0);
	strbuf_reset(&sb);
	plan_format_markdown(&p, &sb);
	s = strbuf_str(&sb);
	assert_non_null(strstr(s, "\n````sql\nSELECT '```';\n````\n"));
	assert_non_null(strstr(s, "| k\\|ind |"));
	assert_non_null(strstr(s, "**Backwards compatible: YES**"));
	plan_release(&p);
	strbuf_release(&sb);
}

static model *parse(const char *sql)
{
	error e = ERROR_INIT;
	model *m = model_new();
	if (dialect_postgres.parse(m, sql, "t.sql", &e) < 0)
		fail_msg("%s", e.msg);
	model_sort(m);
	return m;
}

static void test_fingerprint(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	error e = ERROR_INIT;
	char *f1, *f2, *f3, *f0;
	model *m1 = parse("CREATE TABLE t (id int PRIMARY KEY, v text);");
	model *m2 = parse("create table T (ID integer primary key, V text);");
	model *m3 = parse("CREATE TABLE t (id int PRIMARY KEY, v varchar);");
	model *m0 = model_new();
	assert_int_equal(plan_fingerprint(&dialect_postgres, m1, &a, &f1, &e),
			 0);
	assert_int_equal(plan_fingerprint(&dialect_postgres, m2, &a, &f2, &e),
			 0);
	assert_int_equal(plan_fingerprint(&dialect_postgres, m3, &a, &f3, &e),
			 0);
	assert_int_equal(plan_fingerprint(&dialect_postgres, m0, &a, &f0, &e),
			 0);
	assert_int_equal(strlen(f1), 7 + 64);
	assert_true(!strncmp(f1, "sha256:", 7));
	assert_string_equal(f1, f2);
	assert_string_not_equal(f1, f3);
	/* An empty model: the hash of the version line alone. */
	assert_string_equal(f0, "sha256:a05e6cf1994b9b02c1a1062f89847bba2a63"
				"662a99840cafab11d4b1efa894fa");
	model_free(m0);
	model_free(m1);
	model_free(m2);
	model_free(m3);
	arena_free(&a);
}

/* The canonical form, spelled out for one small schema: a reader sees
 * what a fingerprint covers, and any change to it fails here first. */
static void test_canonical_form(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	model *m = parse("CREATE TABLE t (v text NOT NULL, id int PRIMARY KEY);"
			 "COMMENT ON TABLE t IS 'x';");
	model_canonical(m, &sb);
	assert_string_equal(
	    sb.buf, "schemig-model 1\n"
		    "table 6:public 1:t 114 0 - - - - 0 - 0 0 1:x\n"
		    " column 2:id 7:integer - - - 0 - 1 - - 0 -\n"
		    " column 1:v 4:text - - - 0 - 1 - - 0 -\n"
		    " constraint 6:t_pkey 112 16:PRIMARY KEY (id) 0 0 0 -\n");
	strbuf_release(&sb);
	model_free(m);
}

/*
 * Names and comments come from a pull request's schema file: whatever
 * they hold, they cannot make one schema serialise as another. Strings
 * are length-prefixed, so a space or a newline inside a name is content,
 * never a separator (joined with spaces alone, the first two would both
 * read "a b c").
 */
static void test_canonical_hostile_names(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	error e = ERROR_INIT;
	char *f1, *f2, *f3, *f4;
	model *m1 = parse("CREATE TABLE \"a b\".c (x int);");
	model *m2 = parse("CREATE TABLE a.\"b c\" (x int);");
	/* A comment that spells the record of a column the table lacks. */
	model *m3 = parse("CREATE TABLE t (x int); COMMENT ON TABLE t IS "
			  "E'-\\n column 1:y 7:integer - - - 0 - 0 - - 0 -';");
	model *m4 = parse("CREATE TABLE t (x int, y integer);"
			  "COMMENT ON TABLE t IS '-';");
	assert_int_equal(plan_fingerprint(&dialect_postgres, m1, &a, &f1, &e),
			 0);
	assert_int_equal(plan_fingerprint(&dialect_postgres, m2, &a, &f2, &e),
			 0);
	assert_int_equal(plan_fingerprint(&dialect_postgres, m3, &a, &f3, &e),
			 0);
	assert_int_equal(plan_fingerprint(&dialect_postgres, m4, &a, &f4, &e),
			 0);
	assert_string_not_equal(f1, f2);
	assert_string_not_equal(f3, f4);
	model_free(m1);
	model_free(m2);
	model_free(m3);
	model_free(m4);
	arena_free(&a);
}

/*
 * A fingerprint is pinned: it must not move when schemig renders SQL
 * differently (a fix in a generator, a new release), only when the
 * schema or the model's own version changes. Column order is not part
 * of it; everything the differ compares is.
 */
static const char rich_schema[] =
    "CREATE SCHEMA app;\n"
    "CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');\n"
    "CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%');\n"
    "CREATE TYPE app.pair AS (a int, b text);\n"
    "CREATE SEQUENCE app.seq START 10 INCREMENT 5;\n"
    "CREATE TABLE app.customers (\n"
    "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "  email app.email NOT NULL UNIQUE,\n"
    "  mood app.mood DEFAULT 'ok',\n"
    "  name text COLLATE \"C\",\n"
    "  score numeric(10,2) CHECK (score >= 0),\n"
    "  doubled numeric GENERATED ALWAYS AS (score * 2) STORED\n"
    ");\n"
    "CREATE TABLE app.orders (\n"
    "  id bigint PRIMARY KEY DEFAULT nextval('app.seq'),\n"
    "  customer_id bigint NOT NULL REFERENCES app.customers(id)\n"
    "    ON DELETE CASCADE,\n"
    "  total numeric(12,2) NOT NULL DEFAULT 0,\n"
    "  created_at timestamptz NOT NULL DEFAULT now()\n"
    ");\n"
    "CREATE INDEX orders_customer ON app.orders (customer_id, created_at);\n"
    "CREATE VIEW app.big_orders AS SELECT id, total FROM app.orders\n"
    "  WHERE total > 100;\n"
    "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS\n"
    "  $$BEGIN NEW.created_at := now(); RETURN NEW; END$$;\n"
    "CREATE TRIGGER orders_touch BEFORE UPDATE ON app.orders\n"
    "  FOR EACH ROW EXECUTE FUNCTION app.touch();\n"
    "ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY own ON app.orders USING (customer_id > 0);\n"
    "COMMENT ON COLUMN app.orders.total IS 'with tax';\n"
    "GRANT SELECT ON app.big_orders TO PUBLIC;\n";

static void test_fingerprint_pinned(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	error e = ERROR_INIT;
	char *fp;
	model *m = parse(rich_schema);
	assert_int_equal(m->nwarnings, 0);
	assert_int_equal(plan_fingerprint(&dialect_postgres, m, &a, &fp, &e),
			 0);
	assert_string_equal(fp,
			    "sha256:9a4583a0e39cffec06210db4435a8c3346f4643b"
			    "ad55657422201f7619057ad0");
	model_free(m);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_hazard_names),
	    cmocka_unit_test(test_finish_and_round_trip),
	    cmocka_unit_test(test_id_changes),
	    cmocka_unit_test(test_backfill_and_change_id),
	    cmocka_unit_test(test_tampered_and_malformed),
	    cmocka_unit_test(test_draft_record),
	    cmocka_unit_test(test_sql),
	    cmocka_unit_test(test_text_and_markdown),
	    cmocka_unit_test(test_fingerprint),
	    cmocka_unit_test(test_canonical_form),
	    cmocka_unit_test(test_canonical_hostile_names),
	    cmocka_unit_test(test_fingerprint_pinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
