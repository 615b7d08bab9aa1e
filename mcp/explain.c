/*
 * explain_step: one step of a plan in words, from the plan's JSON (as
 * `plan --plan FILE --format json` printed it, its id checked): the
 * lock and what it blocks, the rows, the risk, the rollback.
 */
#include <stdio.h>
#include <string.h>

#include "mcp_internal.h"

static const char *get_s(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long get_i(const json_t *o, const char *k, long long dflt)
{
	const json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (long long)json_integer_value(v) : dflt;
}

/* What a table lock of PostgreSQL's keeps others from doing. */
static const char *lock_effect(const char *lock)
{
	static const struct {
		const char *lock, *effect;
	} effects[] = {
	    {"ACCESS EXCLUSIVE", "blocks every read and write of the table"},
	    {"EXCLUSIVE", "blocks writes; plain reads go on"},
	    {"SHARE ROW EXCLUSIVE", "blocks writes; reads go on"},
	    {"SHARE", "blocks writes; reads go on"},
	    {"SHARE UPDATE EXCLUSIVE",
	     "reads and writes go on; only schema changes and VACUUM wait"},
	    {"ROW EXCLUSIVE", "ordinary row locks: reads and writes go on"},
	    {"none", "takes no table lock"},
	};
	for (size_t i = 0; lock && i < sizeof(effects) / sizeof(*effects); i++)
		if (!strcmp(lock, effects[i].lock))
			return effects[i].effect;
	return "see the server's documentation for this lock";
}

static void words_lock(const json_t *plan, const json_t *st, strbuf *sb)
{
	const char *lock = get_s(st, "lock") ?: "unknown";
	const char *table = get_s(st, "table");
	strbuf_addf(sb, "%s%s%s: %s", lock, table ? " on " : "",
		    table ? table : "", lock_effect(lock));
	long long ms = get_i(st, "est_lock_ms", -1);
	if (ms >= 0)
		strbuf_addf(sb, "; held about %lld ms (estimate)", ms);
	else
		strbuf_adds(sb, "; how long it is held is not known");
	long long lt =
	    get_i(json_object_get(plan, "settings"), "lock_timeout_ms", -1);
	if (lt >= 0 && strcmp(lock, "none"))
		strbuf_addf(sb,
			    "; it waits at most %lld ms for the lock "
			    "(lock_timeout) rather than queue other "
			    "queries behind it",
			    lt);
	strbuf_addch(sb, '.');
}

static void words_rows(const json_t *st, strbuf *sb)
{
	long long rows = get_i(st, "est_rows", -1);
	if (rows >= 0)
		strbuf_addf(sb, "About %lld rows in the table", rows);
	else
		strbuf_adds(sb, "The table's row count is not known (no "
				"statistics, or no live source)");
	if (json_is_true(json_object_get(st, "rewrites")))
		strbuf_adds(sb, "; the step rewrites the whole table");
	else if (json_is_true(json_object_get(st, "scans")))
		strbuf_adds(sb, "; the step reads the whole table");
	else
		strbuf_adds(sb, "; the step neither scans nor rewrites it");
	long long batch = get_i(st, "batch_size", 0);
	if (json_object_get(st, "batch") &&
	    !json_is_null(json_object_get(st, "batch")))
		strbuf_adds(sb, "; it runs in batches, each its own "
				"transaction");
	else if (batch > 0)
		strbuf_addf(sb, "; %lld rows per batch", batch);
	strbuf_addch(sb, '.');
}

static void words_risk(const json_t *plan, const json_t *st, long long n,
		       strbuf *sb)
{
	size_t i;
	const json_t *h;
	const json_t *hz = json_object_get(st, "hazards");
	if (json_array_size(hz)) {
		strbuf_adds(sb, "Hazards:");
		json_array_foreach(hz, i, h) strbuf_addf(
		    sb, "%s %s", i ? "," : "", json_string_value(h) ?: "?");
		strbuf_adds(sb, ". ");
	} else {
		strbuf_adds(sb, "No hazard flagged. ");
	}
	if (json_is_false(json_object_get(st, "transactional")))
		strbuf_adds(sb, "It runs outside a transaction block: if it is "
				"cut short it is retried, guarded, not rolled "
				"back. ");
	const json_t *verdict = json_object_get(plan, "verdict");
	const json_t *r;
	json_array_foreach(json_object_get(verdict, "reasons"), i,
			   r) if (get_i(r, "step", 0) == n)
	    strbuf_addf(sb,
			"Not backwards compatible: "
			"%s. ",
			get_s(r, "reason") ?: "?");
	json_array_foreach(json_object_get(verdict, "data_checks"), i, r)
	{
		if (get_i(r, "step", 0) != n)
			continue;
		long long bad = get_i(r, "rows", get_i(r, "violations", -1));
		strbuf_addf(sb, "A data check for this step %s",
			    bad > 0 ? "fails: live rows would be rejected. "
				    : "ran. ");
	}
	if (get_s(st, "note"))
		strbuf_addf(sb, "Why this form: %s.", get_s(st, "note"));
	strbuf_trim(sb);
}

static void words_rollback(const json_t *st, strbuf *sb)
{
	const char *rb = get_s(st, "rollback");
	if (rb) {
		strbuf_addf(sb, "Undone by: %s", rb);
		strbuf_trim(sb);
		if (json_is_false(
			json_object_get(st, "rollback_transactional")))
			strbuf_adds(sb, " (outside a transaction block)");
	} else {
		strbuf_addf(sb, "No rollback: %s",
			    get_s(st, "no_rollback") ?: "none was planned");
	}
}

int mcp_finish_explain(mcp_srv *s, mcp_call *c, int code, json_t **out,
		       strbuf *why)
{
	(void)s;
	if (code != 0 || !c->out.len)
		return -1;
	json_t *plan = json_loadb(c->out.buf, c->out.len, 0, NULL);
	long long n = get_i(c->args, "step", 0);
	const json_t *steps = json_object_get(plan, "steps");
	if (!json_is_array(steps)) {
		json_decref(plan);
		strbuf_adds(why, "the plan's JSON has no steps");
		return -1;
	}
	if (n < 1 || (size_t)n > json_array_size(steps)) {
		strbuf_addf(why,
			    "the plan has %zu step%s; there is no step %lld",
			    json_array_size(steps),
			    json_array_size(steps) == 1 ? "" : "s", n);
		json_decref(plan);
		return -1;
	}
	const json_t *st = json_array_get(steps, (size_t)n - 1);
	strbuf summary = STRBUF_INIT, lock = STRBUF_INIT, rows = STRBUF_INIT,
	       risk = STRBUF_INIT, rollback = STRBUF_INIT;
	strbuf_addf(&summary, "Step %lld of %zu: %s of %s.", n,
		    json_array_size(steps), get_s(st, "kind") ?: "?",
		    get_s(st, "object") ?: "?");
	words_lock(plan, st, &lock);
	words_rows(st, &rows);
	words_risk(plan, st, n, &risk);
	words_rollback(st, &rollback);
	*out = json_pack(
	    "{s:I, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s?, "
	    "s:s?}",
	    "step", (json_int_t)n, "kind", get_s(st, "kind") ?: "?", "object",
	    get_s(st, "object"), "summary", summary.buf, "lock", lock.buf,
	    "rows", rows.buf, "risk", risk.buf, "rollback", rollback.buf, "sql",
	    get_s(st, "forward"), "rollback_sql", get_s(st, "rollback"));
	strbuf_release(&summary);
	strbuf_release(&lock);
	strbuf_release(&rows);
	strbuf_release(&risk);
	strbuf_release(&rollback);
	json_decref(plan);
	return *out ? 0 : -1;
}
