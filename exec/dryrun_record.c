/*
 * A dry run's report kept in the journal of the copy it ran on
 * (dryrun.h), so that apply on the environment whose replica that is
 * gates its steps by measured figures without a file to pass along.
 */
#include <stdlib.h>

#include "../dialects/dialect.h"
#include "dryrun.h"

int dryrun_record(const dialect *d, const char *url, const json_t *report,
		  error *e)
{
	dialect_conn *c = NULL;
	strbuf sql = STRBUF_INIT;
	dialect_run_result res = {.own_lock = -1};
	int ret = -1;
	if (!d->journal_sql || !d->journal_dry_run)
		return 0;
	char *text = json_dumps(report, JSON_SORT_KEYS | JSON_COMPACT);
	json_t *f = json_pack("{s:O, s:s}", "plan_id",
			      json_object_get(report, "plan_id"), "report",
			      text ? text : "{}");
	free(text);
	if (!f) {
		error_set(e, EXIT_USAGE, "the report has no plan id");
		goto out;
	}
	/* The journal's setup first: the copy may never have been applied
	 * to. */
	if (d->journal_sql(JOURNAL_SETUP, NULL, &sql, e) < 0 ||
	    d->journal_sql(JOURNAL_DRY_RUN, f, &sql, e) < 0 ||
	    d->session_connect(url, &c, e) < 0 ||
	    d->session_run(c, strbuf_str(&sql), &res, e) < 0)
		goto out;
	ret = 0;
out:
	json_decref(f);
	strbuf_release(&sql);
	d->session_close(c);
	return ret;
}

int dryrun_recorded(const dialect *d, const char *url, const char *plan_id,
		    json_t **report, error *e)
{
	dialect_conn *c = NULL;
	char *text = NULL;
	*report = NULL;
	if (!d->journal_dry_run)
		return 0;
	int r = d->session_connect(url, &c, e) < 0
		    ? -1
		    : d->journal_dry_run(c, plan_id, &text, e);
	d->session_close(c);
	if (r == 1) {
		json_error_t je;
		*report = json_loads(text, 0, &je);
		if (!*report)
			r = error_set(e, EXIT_USAGE,
				      "the recorded dry run of plan %.12s is "
				      "not JSON: %s",
				      plan_id, je.text);
	}
	free(text);
	return r;
}
