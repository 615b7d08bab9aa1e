/*
 * The proof of a drafted plan: the dry-run core (exec/dryrun.h) on a
 * throwaway copy loaded with the source, as `dry-run --on dev` does. The
 * copy is made fresh for every proof: a failed draft may leave it
 * anywhere.
 */
#include <stdlib.h>
#include <string.h>

#include "../exec/dryrun.h"
#include "../util/xalloc.h"
#include "draft_internal.h"

int draft_prove(const draft_opts *o, const plan *dp, strbuf *why, error *e)
{
	source_sandbox *sandbox = NULL;
	json_t *report = NULL;
	int ret = -1;

	/* As for dry-run --on dev: loaded and run as the scratch server's
	 * non-superuser loader, never as its superuser. */
	source_ctx own = *o->sc;
	own.dev_url = NULL;
	if (source_sandbox_load(&own, o->from, &sandbox, e) < 0) {
		error_prefix(e, "the proof's throwaway copy");
		return -1;
	}
	dryrun_opts dro = {
	    .sc = o->sc,
	    .url = source_sandbox_url(sandbox),
	    .on = "dev",
	    .progress = false,
	};
	error re = ERROR_INIT;
	if (dryrun_run(dp, &dro, &report, &re) < 0) {
		/* The copy is the source (it was just loaded): a refusal is
		 * the draft's fault only through its fingerprints, which are
		 * the engine's; report it as a failed proof all the same. */
		strbuf_addf(why, "the dry run could not start: %s", re.msg);
		error_clear(&re);
		ret = 1;
		goto out;
	}
	if (json_is_true(json_object_get(report, "ok"))) {
		ret = 0;
		goto out;
	}
	/* The failure as the dry run states it, and which proof failed. */
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
	ret = 1;
out:
	json_decref(report);
	source_sandbox_drop(sandbox);
	return ret;
}
