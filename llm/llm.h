/*
 * The LLM provider layer: one structured request to a model, its answer
 * as a JSON object. Two wire formats: Anthropic's Messages API and the
 * OpenAI-compatible chat completions (OpenAI, Ollama, llama.cpp, vLLM,
 * gateways, through base_url). The key comes only from the environment
 * and is never printed; replies are cached on disk by the hash of the
 * request, so a second identical call sends nothing.
 *
 * This layer sends exactly what its caller gives it (system prompt, user
 * text, schema) plus the team's prompt files; it knows nothing of plans.
 */
#ifndef SCHEMIG_LLM_H
#define SCHEMIG_LLM_H

#include <jansson.h>
#include <stdbool.h>

#include "../config/config.h"
#include "../util/error.h"

#define LLM_DEFAULT_TIMEOUT_S  60
#define LLM_DEFAULT_MAX_TOKENS 4096
#define LLM_DEFAULT_CACHE_DIR  ".schemig/llm-cache"
/* Pinned: a newer version date changes what the API accepts. */
#define LLM_ANTHROPIC_VERSION "2023-06-01"

typedef enum llm_provider {
	LLM_ANTHROPIC,
	LLM_OPENAI,
} llm_provider;

typedef struct llm_opts {
	llm_provider provider;
	char *model;
	char *base_url;	   /* without /v1; the provider's own by default */
	char *api_key_env; /* the NAME of env:NAME; NULL: no key sent */
	long timeout_s;	   /* the whole call, retries included */
	long max_tokens;
	double temperature; /* < 0: not sent; never sent to Anthropic */
	char **prompts;	    /* the team's prompt files, in order */
	int nprompts;
	char *cache_dir;
	bool no_cache; /* do not read the cache (a reply is still stored) */
	bool enabled;  /* llm.enabled in the configuration */
} llm_opts;

/* What one call cost and where its answer came from. */
typedef struct llm_meta {
	const char *provider; /* "anthropic" | "openai" (static) */
	const char *model;    /* the opts' model: valid while they are */
	bool cached;	      /* from the cache: nothing was sent */
	long input_tokens, output_tokens; /* -1 when the answer had none */
	int attempts;			  /* requests sent (0 when cached) */
} llm_meta;

/* The name of a provider, as the configuration spells it. */
const char *llm_provider_name(llm_provider p);

/*
 * Fill `o` from the configuration's llm: block, with the defaults for
 * what it leaves out. EXIT_USAGE when there is no llm.model or the
 * provider is unknown (nothing to release then). Release with
 * llm_opts_release.
 */
int llm_opts_from_config(const config *c, llm_opts *o, error *e);
void llm_opts_release(llm_opts *o);

/*
 * One structured request: `system` (the team's prompt files appended,
 * each under its file name), `user`, and the JSON schema the answer must
 * follow. *reply gets the JSON object the model answered (the caller
 * decrefs it); meta (may be NULL) what it cost.
 *
 * Errors: EXIT_USAGE for a missing key variable or a bad base_url
 * (nothing sent); EXIT_DB for a refused key (naming the variable, never
 * the key), an exhausted quota, no answer within timeout_s, an error
 * answer after the retries, or an answer that is not a JSON object.
 */
int llm_complete(const llm_opts *o, const char *system, const char *user,
		 const json_t *schema, json_t **reply, llm_meta *meta,
		 error *e);

#endif
