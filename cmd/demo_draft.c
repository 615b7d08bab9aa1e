/*
 * The drafting stage of `git schemig demo` (demo.h): "the model drafts,
 * the engine proves" on a change the engine alone gets wrong, a column
 * rename, which a diff can only see as a drop and an add.
 *
 * The model comes from the environment only (never from a file, so that
 * a sample repository cannot point the demo at anything):
 *   SCHEMIG_DEMO_LLM_PROVIDER  anthropic | openai; by default anthropic
 *                              when ANTHROPIC_API_KEY is set, else openai
 *                              when OPENAI_API_KEY or OPENAI_BASE_URL is
 *   SCHEMIG_DEMO_LLM_MODEL     the model; claude-sonnet-4-5 / gpt-4o-mini
 *   ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL
 *   OPENAI_API_KEY, OPENAI_BASE_URL (a local OpenAI-compatible server
 *                              needs no key)
 * With none of them set, the recorded answer is replayed (draft_replay)
 * and the output says so. SCHEMIG_TEST_DEMO_ANSWER (tests only) names a
 * file that replaces the recorded answer, so that a tampered one can be
 * shown to be rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../draft/draft.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "demo.h"

#define DEMO_ANTHROPIC_MODEL "claude-sonnet-4-5"
#define DEMO_OPENAI_MODEL    "gpt-4o-mini"
#define DEMO_DEPLOYED	     "git:HEAD~1:db/schema.sql"
/* What a replayed step records as its author: not a model's name, since
 * no model was asked. */
#define DEMO_REPLAYED_BY "replay/recorded-answer"

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/*
 * The model the environment configures, into `o`: 1 when there is one,
 * 0 when there is none (replay), -1 for an unknown provider.
 */
static int llm_from_env(const char *dir, llm_opts *o, error *e)
{
	const char *prov = env("SCHEMIG_DEMO_LLM_PROVIDER");
	memset(o, 0, sizeof(*o));
	if (!prov)
		prov = env("ANTHROPIC_API_KEY") ? "anthropic"
		       : env("OPENAI_API_KEY") || env("OPENAI_BASE_URL")
			   ? "openai"
			   : NULL;
	if (!prov)
		return 0;
	bool anth = !strcmp(prov, "anthropic");
	if (!anth && strcmp(prov, "openai"))
		return error_set(e, EXIT_USAGE,
				 "SCHEMIG_DEMO_LLM_PROVIDER is '%s' (use "
				 "anthropic or openai)",
				 prov);
	const char *key = anth ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
	const char *base = env(anth ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL");
	const char *m = env("SCHEMIG_DEMO_LLM_MODEL");
	o->provider = anth ? LLM_ANTHROPIC : LLM_OPENAI;
	o->model = xstrdup(m	  ? m
			   : anth ? DEMO_ANTHROPIC_MODEL
				  : DEMO_OPENAI_MODEL);
	strbuf b = STRBUF_INIT;
	strbuf_adds(&b, base   ? base
			: anth ? "https://api.anthropic.com"
			       : "https://api.openai.com");
	/* The OpenAI clients' base URL ends in /v1; ours is without it. */
	while (b.len && b.buf[b.len - 1] == '/')
		strbuf_setlen(&b, b.len - 1);
	if (b.len > 3 && !strcmp(b.buf + b.len - 3, "/v1"))
		strbuf_setlen(&b, b.len - 3);
	o->base_url = strbuf_detach(&b);
	/* Only the variable's name is kept: llm/ reads the key when it
	 * sends, and never prints it. */
	o->api_key_env = env(key) ? xstrdup(key) : NULL;
	o->timeout_s = LLM_DEFAULT_TIMEOUT_S;
	o->max_tokens = LLM_DEFAULT_MAX_TOKENS;
	o->temperature = -1;
	strbuf c = STRBUF_INIT;
	strbuf_addf(&c, "%s/" LLM_DEFAULT_CACHE_DIR, dir);
	o->cache_dir = strbuf_detach(&c);
	return 1;
}

/* The recorded answer, or the test's replacement for it. */
static int recorded_answer(const char *recorded, strbuf *out, error *e)
{
	const char *path = env("SCHEMIG_TEST_DEMO_ANSWER");
	if (!path) {
		strbuf_adds(out, recorded);
		return 0;
	}
	if (strbuf_read_file(out, path) < 0)
		return error_set(e, EXIT_USAGE, "cannot read %s", path);
	return 0;
}

static int write_text(const char *path, const char *text, error *e)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) == EOF) {
		if (f)
			fclose(f);
		return error_set(e, EXIT_USAGE, "cannot write %s", path);
	}
	return 0;
}

/* What the model is sent, by size: the change list, the engine's plan,
 * the estimates, the policy and the rules; never rows or a key. */
static int show_sent(const plan *p, const diff_result *diff, error *e)
{
	strbuf pj = STRBUF_INIT;
	if (plan_to_json(p, &pj, e) < 0) {
		strbuf_release(&pj);
		return -1;
	}
	printf("What a model is sent: the change list (%d change%s), the "
	       "engine's plan\n(%d steps, %zu bytes of JSON), per table its "
	       "estimates, the environment's\npolicy and the safety rules. "
	       "No rows, no credentials: a key stays in its\nvariable and "
	       "goes only into the API's header.\n",
	       diff->nstmts, diff->nstmts == 1 ? "" : "s", p->nsteps, pj.len);
	strbuf_release(&pj);
	return 0;
}

static void show_steps(const plan *p)
{
	for (int i = 0; i < p->nsteps; i++)
		printf("  %2d. %-22s %s\n", i + 1, p->steps[i].kind,
		       p->steps[i].object);
}

int demo_draft_stage(cmd_ctx *ctx, const dialect *d, const char *url,
		     const char *dir, const char *target_sql,
		     const char *recorded, error *e)
{
	strbuf target = STRBUF_INIT, out = STRBUF_INIT, answer = STRBUF_INIT;
	model *from = NULL, *to = NULL;
	diff_result diff;
	plan p;
	llm_opts lo;
	draft_outcome dout = {0};
	int ret = -1, live;

	diff_result_init(&diff);
	plan_init(&p);
	memset(&lo, 0, sizeof(lo));
	source_ctx sc = {
	    .dialect = d,
	    .repo_dir = dir,
	    .schema_path = "db/schema.sql",
	    .dev_url = source_state_server_url(&ctx->src),
	    .state = &ctx->src,
	};

	printf("\n== git schemig plan --llm --from <shop> --to "
	       "db/rename.sql  (the model drafts,\n   the engine proves)\n\n");
	strbuf_addf(&target, "%s/db/rename.sql", dir);
	if (write_text(target.buf, target_sql, e) < 0 ||
	    (live = llm_from_env(dir, &lo, e)) < 0 ||
	    cmd_plan_make(&sc, url, target.buf, NULL, &p, e) < 0 ||
	    source_load_pair(&sc, url, target.buf, &from, &to, e) < 0 ||
	    d->diff(from, to, &diff, e) < 0)
		goto out;
	printf("The next change renames orders.note to remark. A diff "
	       "sees a column\ndropped and one added, so the engine alone "
	       "(unless told so with --rename)\nplans this, which would lose "
	       "the notes:\n");
	show_steps(&p);
	printf("\n");
	if (show_sent(&p, &diff, e) < 0)
		goto out;

	draft_opts o = {
	    .llm = live ? &lo : NULL,
	    .sc = &sc,
	    /* The proof loads schema text into its copy, not a live
	     * database: the deployed commit, which the shop holds (the
	     * demo's rollback has just shown no difference from it). */
	    .from = DEMO_DEPLOYED,
	    .repairs = DRAFT_DEFAULT_REPAIRS,
	    .progress = true,
	};
	if (live) {
		printf("\nDrafting for real with %s/%s (configured in the "
		       "environment)%s.\n",
		       llm_provider_name(lo.provider), lo.model,
		       lo.api_key_env ? "; the key is read from its variable"
				      : ", no key");
		fflush(stdout);
		if (draft_plan(&o, from, to, &p, &dout, e) < 0)
			goto out;
	} else {
		if (recorded_answer(recorded, &answer, e) < 0)
			goto out;
		printf("\nreplay of a recorded model answer (no model "
		       "configured): %zu bytes of JSON, in\nthe model's answer "
		       "format, through the same checks and proof as a live "
		       "answer.\nSet ANTHROPIC_API_KEY or OPENAI_BASE_URL (see "
		       "README) to draft for real.\n",
		       answer.len);
		fflush(stdout);
		if (draft_replay(&o, from, to, answer.buf, DEMO_REPLAYED_BY, &p,
				 &dout, e) < 0)
			goto out;
	}
	fflush(stderr);
	if (dout.accepted) {
		printf("\nchecks: passed: every statement parses and touches "
		       "only the change set's objects;\n        no step takes "
		       "a stronger lock than the engine's step on its "
		       "table;\n        the declared rename is made by a "
		       "RENAME and has sample rows\nproof:  passed: on a "
		       "throwaway copy of " DEMO_DEPLOYED
		       " holding the model's\n        sample rows, the drafted "
		       "plan reaches the target schema with the\n        "
		       "note in remark, and its rollback returns to the source "
		       "schema\n        with the note in note again\n\n"
		       "The drafted plan (drafted_by on each step, the model's "
		       "explanations as notes):\n\n");
	} else {
		printf("\nThe draft was not used (%s); the engine's plan "
		       "stands:\n\n",
		       dout.reason ? dout.reason : "no reason given");
	}
	plan_format_text(&p, &out);
	fputs(strbuf_str(&out), stdout);
	ret = 0;
out:
	fflush(stdout);
	draft_outcome_release(&dout);
	llm_opts_release(&lo);
	model_free(from);
	model_free(to);
	diff_result_release(&diff);
	plan_release(&p);
	strbuf_release(&target);
	strbuf_release(&out);
	strbuf_release(&answer);
	return ret;
}
