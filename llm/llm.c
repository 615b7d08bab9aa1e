/*
 * One structured call to a model provider (llm.h): options from the
 * configuration, the cache, the key from the environment, the request
 * over net/http.c with the providers' retry rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "llm_internal.h"

/* The providers' own clients retry twice; one more costs little here
 * since the whole call shares timeout_s. */
#define LLM_ATTEMPTS 4
/* min(0.5 * 2^n, 8) s, as the providers' clients wait. */
#define LLM_BACKOFF_MS	   500
#define LLM_BACKOFF_CAP_MS 8000

const char *llm_provider_name(llm_provider p)
{
	return p == LLM_ANTHROPIC ? "anthropic" : "openai";
}

/* Is `url`'s host the loopback interface? */
static bool loopback_host(const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	static const char *const hosts[] = {"127.", "localhost:", "localhost/",
					    "[::1]"};
	for (size_t i = 0; i < sizeof(hosts) / sizeof(*hosts); i++)
		if (!strncmp(h, hosts[i], strlen(hosts[i])))
			return true;
	return !strcmp(h, "localhost");
}

/*
 * Where the key may go. .schemig.yml comes from the branch under review
 * when `ci pr --llm` runs: a base_url of its choosing would carry the
 * CI's key to any host. A key goes only to the provider's own API, to
 * the loopback interface, or to a base_url the CI's environment names
 * (base_url: env:NAME).
 */
static int resolve_base_url(const config *c, llm_opts *o, error *e)
{
	const char *official = o->provider == LLM_ANTHROPIC
				   ? "https://api.anthropic.com"
				   : "https://api.openai.com";
	const char *u = c->llm_base_url;
	if (u && !strncmp(u, "env:", 4)) {
		const char *v = getenv(u + 4);
		if (!v || !*v)
			return error_set(e, EXIT_USAGE,
					 "llm.base_url names %s, which is not "
					 "set in the environment",
					 u + 4);
		o->base_url = xstrdup(v);
		return 0;
	}
	o->base_url = xstrdup(u ? u : official);
	size_t n = strlen(official);
	bool is_official = !strncmp(o->base_url, official, n) &&
			   (!o->base_url[n] || o->base_url[n] == '/');
	if (c->llm_api_key && !strncmp(o->base_url, "https://", 8) &&
	    !is_official && !loopback_host(o->base_url))
		return error_set(e, EXIT_USAGE,
				 "llm.base_url %s is not %s: the key in %s "
				 "goes there only when the environment names "
				 "it (base_url: env:NAME), never from "
				 "" CONFIG_FILENAME " alone",
				 o->base_url, official, c->llm_api_key + 4);
	return 0;
}

static int fill_opts(const config *c, llm_opts *o, error *e)
{
	const char *prov = c->llm_provider ? c->llm_provider : "anthropic";
	if (!strcmp(prov, "anthropic"))
		o->provider = LLM_ANTHROPIC;
	else if (!strcmp(prov, "openai"))
		o->provider = LLM_OPENAI;
	else
		return error_set(e, EXIT_USAGE,
				 "unknown llm.provider '%s' (use anthropic or "
				 "openai)",
				 prov);
	if (!c->llm_model)
		return error_set(e, EXIT_USAGE,
				 "llm.model is not set in " CONFIG_FILENAME);
	o->model = xstrdup(c->llm_model);
	if (resolve_base_url(c, o, e) < 0)
		return -1;
	/* The configuration only accepts env:NAME. */
	if (c->llm_api_key && !strncmp(c->llm_api_key, "env:", 4))
		o->api_key_env = xstrdup(c->llm_api_key + 4);
	/* A variable of the CI's whose name a branch chose: only one named
	 * like a key (…_KEY) is sent, never GITHUB_TOKEN or a database URL. */
	if (o->api_key_env) {
		size_t n = strlen(o->api_key_env);
		if (n < 4 || strcmp(o->api_key_env + n - 4, "_KEY"))
			return error_set(e, EXIT_USAGE,
					 "llm.api_key: %s is not a key's "
					 "variable (its name must end in _KEY, "
					 "e.g. ANTHROPIC_API_KEY)",
					 o->api_key_env);
	}
	o->timeout_s = c->llm_timeout_s > 0 ? (long)c->llm_timeout_s
					    : LLM_DEFAULT_TIMEOUT_S;
	o->max_tokens = c->llm_max_tokens > 0 ? (long)c->llm_max_tokens
					      : LLM_DEFAULT_MAX_TOKENS;
	o->temperature = c->llm_temperature;
	if (c->llm_nprompts) {
		o->prompts =
		    xcalloc((size_t)c->llm_nprompts, sizeof(*o->prompts));
		for (int i = 0; i < c->llm_nprompts; i++)
			o->prompts[i] = xstrdup(c->llm_prompts[i]);
		o->nprompts = c->llm_nprompts;
	}
	o->cache_dir = xstrdup(LLM_DEFAULT_CACHE_DIR);
	o->enabled = c->llm_enabled;
	return 0;
}

int llm_opts_from_config(const config *c, llm_opts *o, error *e)
{
	memset(o, 0, sizeof(*o));
	if (fill_opts(c, o, e) == 0)
		return 0;
	/* Nothing half-filled for the caller to release. */
	llm_opts_release(o);
	return -1;
}

void llm_opts_release(llm_opts *o)
{
	free(o->model);
	free(o->base_url);
	free(o->api_key_env);
	for (int i = 0; i < o->nprompts; i++)
		free(o->prompts[i]);
	free(o->prompts);
	free(o->cache_dir);
	memset(o, 0, sizeof(*o));
}

/* The API's headers, the key among them; EXIT_USAGE (nothing sent) when
 * the key's variable is unset, or when there is none for a remote API. */
static int add_headers(const llm_opts *o, http_api *api, error *e)
{
	const char *key = o->api_key_env ? getenv(o->api_key_env) : NULL;
	if (o->api_key_env && (!key || !*key))
		return error_set(e, EXIT_USAGE,
				 "llm.api_key names %s, which is not set in "
				 "the environment",
				 o->api_key_env);
	/* A local server (Ollama, llama.cpp) may want no key; a hosted one
	 * always does, and would only answer 401. */
	if (!o->api_key_env && !api->loopback)
		return error_set(e, EXIT_USAGE,
				 "llm.api_key is not set (env:NAME); only a "
				 "base_url on the loopback interface may go "
				 "without a key");
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "content-type: application/json");
	h = curl_slist_append(h, "accept: application/json");
	if (o->provider == LLM_ANTHROPIC)
		h = curl_slist_append(
		    h, "anthropic-version: " LLM_ANTHROPIC_VERSION);
	api->headers = h;
	if (key)
		http_api_add_secret_header(api,
					   o->provider == LLM_ANTHROPIC
					       ? "x-api-key: "
					       : "authorization: Bearer ",
					   key);
	return 0;
}

/* Send the request and read the model's JSON object from the answer. */
static int call_api(const llm_opts *o, const char *system, const char *user,
		    const json_t *schema, json_t **reply, llm_meta *meta,
		    error *e)
{
	http_api api;
	http_resp r = HTTP_RESP_INIT;
	if (http_api_init(&api, o->base_url, "llm.base_url", e) < 0)
		return -1;
	int ret = add_headers(o, &api, e);
	api.attempts = LLM_ATTEMPTS;
	api.backoff_ms = LLM_BACKOFF_MS;
	api.backoff_cap_ms = LLM_BACKOFF_CAP_MS;
	api.jitter = true;
	api.total_timeout_s = o->timeout_s;
	api.should_retry = llm_should_retry;
	char *url = llm_request_url(o);
	json_t *body = llm_request_body(o, system, user, schema);
	char *text = json_dumps(body, JSON_COMPACT);
	if (!ret && http_do(&api, "POST", url, text, &r, e) < 0) {
		error_prefix(e, "%s/%s", llm_provider_name(o->provider),
			     o->model);
		ret = -1;
	}
	meta->attempts = r.attempts;
	if (!ret && (r.status < 200 || r.status > 299))
		ret = llm_answer_error(o, &r, e);
	if (!ret)
		ret = llm_extract_reply(o, strbuf_str(&r.body), reply,
					&meta->input_tokens,
					&meta->output_tokens, e);
	free(text);
	json_decref(body);
	free(url);
	http_resp_release(&r);
	http_api_release(&api);
	return ret;
}

int llm_complete(const llm_opts *o, const char *system, const char *user,
		 const json_t *schema, json_t **reply, llm_meta *meta, error *e)
{
	llm_meta scratch;
	if (!meta)
		meta = &scratch;
	memset(meta, 0, sizeof(*meta));
	meta->provider = llm_provider_name(o->provider);
	meta->model = o->model;
	meta->input_tokens = meta->output_tokens = -1;
	*reply = NULL;
	if (!json_is_object(schema))
		return error_set(e, EXIT_USAGE,
				 "llm: the answer's schema must be a JSON "
				 "object");

	char *sys = NULL;
	if (llm_system_text(o, system, &sys, e) < 0)
		return -1;
	char *key = llm_cache_key(o, sys, user ? user : "", schema);
	int ret = 0;
	if (!o->no_cache && llm_cache_get(o, key, reply, meta)) {
		meta->cached = true;
	} else {
		ret =
		    call_api(o, sys, user ? user : "", schema, reply, meta, e);
		/* A reply that cannot be kept is still a reply: the next
		 * run only pays for it again. */
		error ce = ERROR_INIT;
		if (!ret && o->cache_dir &&
		    llm_cache_put(o, key, *reply, meta, &ce) < 0)
			warn("llm cache: %s", ce.msg);
		error_clear(&ce);
	}
	free(key);
	free(sys);
	return ret;
}
