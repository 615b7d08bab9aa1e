/*
 * The two wire formats (llm_internal.h): Anthropic's Messages API and
 * OpenAI-compatible chat completions. Requests, answers and error
 * answers, with no HTTP here.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "llm_internal.h"

/* How much of a model's or server's text a message quotes. */
#define QUOTE_CHARS 200

char *llm_request_url(const llm_opts *o)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, o->base_url);
	while (sb.len && sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	/* Ollama's and llama.cpp's documentation give the base URL with
	 * /v1 already on it. */
	if (!(sb.len >= 3 && !strcmp(sb.buf + sb.len - 3, "/v1")))
		strbuf_adds(&sb, "/v1");
	strbuf_adds(&sb, o->provider == LLM_ANTHROPIC ? "/messages"
						      : "/chat/completions");
	return strbuf_detach(&sb);
}

int llm_system_text(const llm_opts *o, const char *system, char **out, error *e)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, system ? system : "");
	for (int i = 0; i < o->nprompts; i++) {
		strbuf file = STRBUF_INIT;
		/* Prompt files come from the branch's .schemig.yml and their
		 * text goes to the model: only regular files of the
		 * repository, named by a relative path without "..", never a
		 * symbolic link to a file of the runner's. */
		struct stat sbuf;
		const char *f = o->prompts[i];
		if (f[0] == '/' || !strcmp(f, "..") || !strncmp(f, "../", 3) ||
		    strstr(f, "/../") ||
		    (strlen(f) >= 3 && !strcmp(f + strlen(f) - 3, "/..")) ||
		    lstat(f, &sbuf) < 0 || !S_ISREG(sbuf.st_mode)) {
			strbuf_release(&sb);
			return error_set(e, EXIT_USAGE,
					 "llm.prompts: %s is not a regular "
					 "file of the repository (a relative "
					 "path without \"..\", not a link)",
					 f);
		}
		if (strbuf_read_file(&file, o->prompts[i]) < 0) {
			strbuf_release(&file);
			strbuf_release(&sb);
			return error_set(e, EXIT_USAGE,
					 "llm.prompts: cannot read %s",
					 o->prompts[i]);
		}
		/* The file's name goes with its text, so that the model (and
		 * whoever reads a cached request) knows whose rule it is. */
		strbuf_addf(&sb, "%s# Team prompt: %s\n\n",
			    sb.len ? "\n\n" : "", o->prompts[i]);
		strbuf_add(&sb, file.buf, file.len);
		strbuf_release(&file);
	}
	*out = strbuf_detach(&sb);
	return 0;
}

json_t *llm_request_body(const llm_opts *o, const char *system,
			 const char *user, const json_t *schema)
{
	json_t *b = json_object();
	json_t *msgs = json_array();
	json_object_set_new(b, "model", json_string(o->model));
	json_object_set_new(b, "max_tokens", json_integer(o->max_tokens));
	if (o->provider == LLM_ANTHROPIC) {
		/* No sampling parameters: newer API versions refuse them,
		 * and the answer's shape is held by the schema anyway. */
		json_object_set_new(b, "system", json_string(system));
		json_array_append_new(msgs, json_pack("{s:s, s:s}", "role",
						      "user", "content", user));
		json_object_set_new(b, "messages", msgs);
		json_object_set_new(b, "output_config",
				    json_pack("{s:{s:s, s:O}}", "format",
					      "type", "json_schema", "schema",
					      schema));
		return b;
	}
	json_array_append_new(
	    msgs, json_pack("{s:s, s:s}", "role", "system", "content", system));
	json_array_append_new(
	    msgs, json_pack("{s:s, s:s}", "role", "user", "content", user));
	json_object_set_new(b, "messages", msgs);
	if (o->temperature >= 0)
		json_object_set_new(b, "temperature",
				    json_real(o->temperature));
	json_object_set_new(b, "response_format",
			    json_pack("{s:s, s:{s:s, s:b, s:O}}", "type",
				      "json_schema", "json_schema", "name",
				      "schemig_reply", "strict", 1, "schema",
				      schema));
	return b;
}

static long usage_of(json_t *usage, const char *key)
{
	json_t *v = json_object_get(usage, key);
	return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

static void quote(strbuf *sb, const char *text)
{
	size_t n = strlen(text);
	strbuf_add(sb, text, n > QUOTE_CHARS ? QUOTE_CHARS : n);
	if (n > QUOTE_CHARS)
		strbuf_adds(sb, "...");
}

/* The text the model wrote, or NULL; *stop the reason it stopped. */
static const char *answer_text(const llm_opts *o, json_t *root,
			       const char **stop, const char **refusal)
{
	*stop = *refusal = NULL;
	if (o->provider == LLM_ANTHROPIC) {
		*stop = json_string_value(json_object_get(root, "stop_reason"));
		json_t *content = json_object_get(root, "content"), *blk;
		size_t i;
		json_array_foreach(content, i, blk)
		{
			const char *t =
			    json_string_value(json_object_get(blk, "type"));
			if (t && !strcmp(t, "text"))
				return json_string_value(
				    json_object_get(blk, "text"));
		}
		return NULL;
	}
	json_t *choice = json_array_get(json_object_get(root, "choices"), 0);
	json_t *msg = json_object_get(choice, "message");
	*stop = json_string_value(json_object_get(choice, "finish_reason"));
	*refusal = json_string_value(json_object_get(msg, "refusal"));
	return json_string_value(json_object_get(msg, "content"));
}

int llm_extract_reply(const llm_opts *o, const char *body, json_t **reply,
		      long *in, long *out, error *e)
{
	const char *prov = llm_provider_name(o->provider);
	json_error_t je;
	*reply = NULL;
	*in = *out = -1;
	json_t *root = json_loads(body, 0, &je);
	if (!json_is_object(root)) {
		json_decref(root);
		return error_set(e, EXIT_DB,
				 "%s: the answer is not the API's JSON", prov);
	}
	json_t *usage = json_object_get(root, "usage");
	bool anth = o->provider == LLM_ANTHROPIC;
	*in = usage_of(usage, anth ? "input_tokens" : "prompt_tokens");
	*out = usage_of(usage, anth ? "output_tokens" : "completion_tokens");

	const char *stop, *refusal;
	const char *text = answer_text(o, root, &stop, &refusal);
	strbuf sb = STRBUF_INIT;
	int ret = 0;
	if (refusal) {
		strbuf_addf(&sb, "%s/%s refused: ", prov, o->model);
		quote(&sb, refusal);
		ret = -1;
	} else if (stop &&
		   (!strcmp(stop, "max_tokens") || !strcmp(stop, "length"))) {
		strbuf_addf(&sb,
			    "%s/%s: the answer was cut at max_tokens (%ld); "
			    "raise llm.max_tokens",
			    prov, o->model, o->max_tokens);
		ret = -1;
	} else if (!text) {
		strbuf_addf(&sb, "%s/%s: the answer holds no text", prov,
			    o->model);
		ret = -1;
	} else {
		*reply = json_loads(text, JSON_REJECT_DUPLICATES, &je);
		if (!json_is_object(*reply)) {
			strbuf_addf(&sb,
				    "%s/%s: the model's answer is %s, not the "
				    "JSON object asked for: ",
				    prov, o->model,
				    *reply ? "JSON but not an object"
					   : "malformed JSON");
			quote(&sb, text);
			json_decref(*reply);
			*reply = NULL;
			ret = -1;
		}
	}
	if (ret)
		error_set(e, EXIT_DB, "%s", sb.buf);
	strbuf_release(&sb);
	json_decref(root);
	return ret;
}

/* error.type (Anthropic) or error.code / error.type (OpenAI), and
 * error.message, from an error answer; either may be NULL. */
static void error_fields(json_t *root, const char **type, const char **code,
			 const char **msg)
{
	json_t *err = json_object_get(root, "error");
	*type = json_string_value(json_object_get(err, "type"));
	*code = json_string_value(json_object_get(err, "code"));
	if (!*code)
		*code = json_string_value(json_object_get(
		    json_object_get(err, "details"), "error_code"));
	*msg = json_string_value(json_object_get(err, "message"));
	if (!*msg)
		*msg = json_string_value(err); /* some gateways */
}

/* An exhausted quota or spend limit: waiting does not mend it. */
static bool quota_exhausted(const char *code, const char *type)
{
	return (code && (!strcmp(code, "insufficient_quota") ||
			 !strcmp(code, "enforced_spend_limit_reached"))) ||
	       (type && !strcmp(type, "insufficient_quota"));
}

bool llm_should_retry(const http_resp *r)
{
	long s = r->status;
	if (s == 429) {
		const char *type, *code, *msg;
		json_t *root = json_loads(strbuf_str(&r->body), 0, NULL);
		error_fields(root, &type, &code, &msg);
		bool q = quota_exhausted(code, type);
		json_decref(root);
		return !q;
	}
	return s == 408 || s == 409 || s >= 500;
}

int llm_answer_error(const llm_opts *o, const http_resp *r, error *e)
{
	const char *prov = llm_provider_name(o->provider);
	const char *type, *code, *msg;
	json_t *root = json_loads(strbuf_str(&r->body), 0, NULL);
	error_fields(root, &type, &code, &msg);
	const char *what = code ? code : type ? type : "no error type";
	strbuf sb = STRBUF_INIT;
	if (r->status == 401 || r->status == 403) {
		if (o->api_key_env)
			strbuf_addf(&sb, "%s was refused (%ld %s)",
				    o->api_key_env, r->status, what);
		else
			strbuf_addf(&sb,
				    "%s refused the request (%ld %s) and no "
				    "llm.api_key is set",
				    prov, r->status, what);
	} else if (r->status == 429 && quota_exhausted(code, type)) {
		strbuf_addf(&sb,
			    "%s: the account's quota or spend limit is "
			    "exhausted (429 %s); not retried",
			    prov, what);
	} else {
		strbuf_addf(&sb, "%s answered HTTP %ld (%s) after %d attempt%s",
			    prov, r->status, what, r->attempts,
			    r->attempts == 1 ? "" : "s");
	}
	if (msg) {
		strbuf_adds(&sb, ": ");
		quote(&sb, msg);
	}
	/* A server that echoes the key back must not make us print it. */
	const char *key = o->api_key_env ? getenv(o->api_key_env) : NULL;
	char *hit;
	while (key && strlen(key) >= 4 && (hit = strstr(sb.buf, key)))
		memset(hit, '*', strlen(key));
	error_set(e, EXIT_DB, "%s", sb.buf);
	strbuf_release(&sb);
	json_decref(root);
	return -1;
}
