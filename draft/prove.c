/*
 * The proof of a drafted plan: the dry-run core (exec/dryrun.h) on a
 * throwaway copy loaded with the source, as `dry-run --on dev` does,
 * with the model's sample rows in it when it gave any. The copy is made
 * fresh for every proof: a failed draft may leave it anywhere.
 */
#include <stdlib.h>
#include <string.h>

#include "../dialects/dialect.h"
#include "../exec/dryrun.h"
#include "../util/xalloc.h"
#include "draft_internal.h"

/* What the proof's copy is named in messages when it is rendered. */
#define RENDERED_NAME "the live source, rendered as DDL"

static int load_copy(const draft_run *r, source_sandbox **sb, error *e)
{
	/* As for dry-run --on dev: loaded and run as the scratch server's
	 * non-superuser loader, never as its superuser. */
	source_ctx own = *r->o->sc;
	own.dev_url = NULL;
	int ret = r->copy_sql ? source_sandbox_load_sql(&own, RENDERED_NAME,
							r->copy_sql, sb, e)
			      : source_sandbox_load(&own, r->o->from, sb, e);
	if (ret < 0)
		error_prefix(e, "the proof's throwaway copy");
	return ret;
}

/*
 * A live source cannot be copied as such: render it (the differ's
 * statements from an empty model to it, in its dependency order), load
 * that once and check it is the plan's source to the fingerprint. What
 * the dialect cannot render exactly (an extension the loader may not
 * create, say) fails here, before anything is sent to a model.
 */
static int render_source(draft_run *r, const model *from, const plan *p,
			 strbuf *why, error *e)
{
	const dialect *d = r->o->sc->dialect;
	model *empty = model_new();
	diff_result dr;
	strbuf sql = STRBUF_INIT;
	source_sandbox *sb = NULL;
	char *fp = NULL;
	error le = ERROR_INIT;
	int ret = -1;

	diff_result_init(&dr);
	model_sort(empty);
	if (d->diff(empty, from, &dr, e) < 0)
		goto out;
	diff_result_format_sql(&dr, &sql);
	r->copy_sql = strbuf_detach(&sql);
	ret = 1;
	if (load_copy(r, &sb, &le) < 0 ||
	    dryrun_fingerprint(d, source_sandbox_url(sb), &fp, &le) < 0) {
		strbuf_addf(why,
			    "no draft can be proven: the live source could "
			    "not be copied for the proof (%s)",
			    le.msg);
		goto out;
	}
	if (p->source_fp && strcmp(fp, p->source_fp)) {
		strbuf_adds(why, "no draft can be proven: the live source, "
				 "rendered as DDL, does not load back to the "
				 "same schema (fingerprint ");
		strbuf_addf(why,
			    "%.12s, not %.12s); use --from with the "
			    "schema's DDL (a file or git:REV)",
			    fp, p->source_fp);
		goto out;
	}
	ret = 0;
out:
	free(fp);
	error_clear(&le);
	source_sandbox_drop(sb);
	strbuf_release(&sql);
	diff_result_release(&dr);
	model_free(empty);
	return ret;
}

int draft_run_start(draft_run *r, const draft_opts *o, const model *from,
		    const model *to, const plan *p, strbuf *why, error *e)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->from = from;
	diff_result_init(&r->diff);
	if (o->sc->dialect->diff(from, to, &r->diff, e) < 0)
		return -1;
	enum source_kind kind;
	if (source_kind_of(o->from, &kind, e) < 0)
		return -1;
	if (kind != SOURCE_LIVE || !p->nsteps)
		return 0;
	draft_progress(o, "copying the live source's schema for the proof%s",
		       "");
	return render_source(r, from, p, why, e);
}

void draft_run_release(draft_run *r)
{
	diff_result_release(&r->diff);
	free(r->copy_sql);
	r->copy_sql = NULL;
}

/* dryrun_opts.check_rows: the samples, after each half of the run. */
static int check_samples(void *arg, const char *url, bool rollback, strbuf *why,
			 error *e)
{
	const void *const *a = arg;
	const dialect *d = a[0];
	return d->draft_samples(
	    url, a[1],
	    rollback ? DRAFT_SAMPLES_ROLLBACK : DRAFT_SAMPLES_FORWARD, why, e);
}

/* The failure as the dry run states it, and which proof failed. */
static void explain_failure(const json_t *report, strbuf *why)
{
	const json_t *proof = json_object_get(report, "proof");
	const char *err = json_string_value(json_object_get(report, "error"));
	strbuf_addf(why, "the proof on a throwaway copy failed: %s",
		    err ? err : "unknown");
	if (!json_is_true(json_object_get(proof, "forward_empty")))
		strbuf_adds(why, "; the drafted plan does not reach the "
				 "target schema");
	if (!json_is_true(json_object_get(proof, "rollback_empty")))
		strbuf_adds(why, "; its rollback does not return to the "
				 "source schema");
	/* The step that failed, with the server's message. */
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(report, "steps"), i, s)
	{
		const char *m = json_string_value(json_object_get(s, "error"));
		if (m) {
			strbuf_addf(why, "; step %zu: %s", i + 1, m);
			break;
		}
	}
}

int draft_prove(const draft_run *r, const plan *dp, const json_t *samples,
		strbuf *why, error *e)
{
	const dialect *d = r->o->sc->dialect;
	source_sandbox *sandbox = NULL;
	json_t *report = NULL;
	bool rows = json_array_size(samples) > 0;
	int ret = -1;

	if (load_copy(r, &sandbox, e) < 0)
		return -1;
	if (rows && !d->draft_samples) {
		ret = error_set(e, EXIT_USAGE,
				"dialect %s cannot check sample rows", d->name);
		goto out;
	}
	/* The model's rows go in before the plan runs, so its data
	 * migration has something to migrate. */
	if (rows) {
		int c = d->draft_samples(source_sandbox_url(sandbox), samples,
					 DRAFT_SAMPLES_LOAD, why, e);
		if (c) {
			ret = c < 0 ? -1 : 1;
			goto out;
		}
	}
	const void *arg[2] = {d, samples};
	dryrun_opts dro = {
	    .sc = r->o->sc,
	    .url = source_sandbox_url(sandbox),
	    .on = "dev",
	    .progress = false,
	    .check_rows = rows ? check_samples : NULL,
	    .check_arg = (void *)arg,
	};
	error re = ERROR_INIT;
	if (dryrun_run(dp, &dro, &report, &re) < 0) {
		/* The copy was just loaded as the source: a refusal is ours,
		 * and no repair round can help. */
		ret = error_set(e, re.code, "the proof's dry run: %s", re.msg);
		error_clear(&re);
		goto out;
	}
	if (json_is_true(json_object_get(report, "ok"))) {
		ret = 0;
		goto out;
	}
	explain_failure(report, why);
	ret = 1;
out:
	json_decref(report);
	source_sandbox_drop(sandbox);
	return ret;
}
