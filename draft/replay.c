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

int draft_replay(const draft_opts *o, const model *from, const model *to,
		 const char *answer_text, const char *drafted_by, plan *p,
		 draft_outcome *out, error *e)
{
	draft_run r;
	json_t *answer = NULL;
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
	else {
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
	draft_run_release(&r);
	strbuf_release(&why);
	return ret;
}
