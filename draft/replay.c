/*
 * draft_replay: a recorded answer instead of a request (draft.h). The
 * answer goes through draft_try_answer, the function every model answer
 * goes through, so a replay is checked and proven exactly as a live
 * draft is; only the request and the repair rounds are missing (a
 * recording cannot be asked again).
 */
#include <string.h>

#include "../dialects/dialect.h"
#include "draft_internal.h"

/*
 * The answer's shape, as the provider's strict structured output holds
 * a live answer to it: every property of draft_answer_schema present
 * with its type, no others. A live answer cannot miss this; a recording
 * (a file anyone could edit) can, so it is checked here.
 */
static int shape_check(const json_t *schema, const json_t *v, const char *at,
		       strbuf *why)
{
	const json_t *types = json_object_get(schema, "type");
	/* A choice of types (a sample's value: text or null). */
	if (json_is_array(types)) {
		size_t i;
		const json_t *t;
		json_array_foreach(types, i, t)
		{
			const char *n = json_string_value(t);
			if ((!strcmp(n, "string") && json_is_string(v)) ||
			    (!strcmp(n, "null") && json_is_null(v)))
				return 0;
		}
		return strbuf_addf(why, "%s has the wrong type", at), 1;
	}
	const char *type = json_string_value(types);
	if (!strcmp(type, "string") && !json_is_string(v))
		return strbuf_addf(why, "%s is not a string", at), 1;
	if (!strcmp(type, "boolean") && !json_is_boolean(v))
		return strbuf_addf(why, "%s is not a boolean", at), 1;
	if (!strcmp(type, "array")) {
		if (!json_is_array(v))
			return strbuf_addf(why, "%s is not an array", at), 1;
		size_t i;
		const json_t *x;
		json_array_foreach(v, i, x)
		{
			strbuf sub = STRBUF_INIT;
			strbuf_addf(&sub, "%s[%zu]", at, i);
			int r = shape_check(json_object_get(schema, "items"), x,
					    strbuf_str(&sub), why);
			strbuf_release(&sub);
			if (r)
				return r;
		}
	}
	if (!strcmp(type, "object")) {
		if (!json_is_object(v))
			return strbuf_addf(why, "%s is not an object", at), 1;
		const json_t *props = json_object_get(schema, "properties");
		const char *k;
		const json_t *x;
		json_object_foreach((json_t *)v, k, x)
		{
			if (!json_object_get(props, k))
				return strbuf_addf(why, "%s has no field %s",
						   at, k),
				       1;
		}
		json_object_foreach((json_t *)props, k, x)
		{
			strbuf sub = STRBUF_INIT;
			strbuf_addf(&sub, "%s.%s", at, k);
			const json_t *f = json_object_get(v, k);
			int r = f ? shape_check(x, f, strbuf_str(&sub), why)
				  : (strbuf_addf(why, "%s is missing",
						 strbuf_str(&sub)),
				     1);
			strbuf_release(&sub);
			if (r)
				return r;
		}
	}
	return 0;
}

int draft_replay(const draft_opts *o, const model *from, const model *to,
		 const char *answer_text, const char *drafted_by, plan *p,
		 draft_outcome *out, error *e)
{
	draft_run r;
	json_t *answer = NULL, *schema = draft_answer_schema();
	strbuf why = STRBUF_INIT;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	int c = draft_run_start(&r, o, from, to, p, &why, e);
	if (c < 0)
		goto done;
	if (!p->nsteps) {
		ret = plan_finish(p, e);
		goto done;
	}
	if (c == 1)
		goto fall_back;
	draft_progress(o, "replaying a recorded answer%s", "");
	json_error_t je;
	answer = json_loads(answer_text, 0, &je);
	if (!answer)
		strbuf_addf(&why, "the recorded answer is malformed JSON: %s",
			    je.text);
	else if (!shape_check(schema, answer, "the answer", &why)) {
		c = draft_try_answer(&r, p, answer, drafted_by, &why, e);
		if (c <= 0) {
			ret = c;
			out->accepted = c == 0;
			goto done;
		}
	}
fall_back:
	ret = draft_fall_back(o, p, out, strbuf_str(&why), e);
done:
	json_decref(answer);
	json_decref(schema);
	draft_run_release(&r);
	strbuf_release(&why);
	return ret;
}
