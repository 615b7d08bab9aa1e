/*
 * The reply cache (llm_internal.h): one file per request under
 * cache_dir, named by the SHA-256 of what decides the answer, so that a
 * CI re-run of the same request costs nothing and answers the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../plan/plan.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "llm_internal.h"

char *llm_cache_key(const llm_opts *o, const char *system, const char *user,
		    const json_t *schema)
{
	char *url = llm_request_url(o);
	/* Anthropic is never sent a temperature: it cannot change the
	 * answer, so it does not change the key either. */
	double temp = o->provider == LLM_ANTHROPIC || o->temperature < 0
			  ? -1
			  : o->temperature;
	json_t *k = json_pack(
	    "{s:i, s:s, s:s, s:s, s:s, s:s, s:O, s:I, s:f}", "format", 1,
	    "provider", llm_provider_name(o->provider), "model", o->model,
	    "url", url, "system", system, "user", user, "schema", schema,
	    "max_tokens", (json_int_t)o->max_tokens, "temperature", temp);
	/* Sorted keys at every level: the same request in any key order
	 * (a schema built another way) is the same entry. */
	char *text = json_dumps(k, JSON_SORT_KEYS | JSON_COMPACT);
	char hex[65];
	plan_sha256_hex(text, strlen(text), hex);
	free(text);
	json_decref(k);
	free(url);
	return xstrdup(hex);
}

static char *entry_path(const llm_opts *o, const char *key)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s.json", o->cache_dir, key);
	return strbuf_detach(&p);
}

int llm_cache_get(const llm_opts *o, const char *key, json_t **reply,
		  llm_meta *meta)
{
	char *path = entry_path(o, key);
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	free(path);
	json_t *r = json_object_get(root, "reply");
	if (!json_is_object(r)) {
		json_decref(root);
		return 0;
	}
	*reply = json_incref(r);
	json_t *in = json_object_get(root, "input_tokens");
	json_t *out = json_object_get(root, "output_tokens");
	meta->input_tokens = json_is_integer(in) ? json_integer_value(in) : -1;
	meta->output_tokens =
	    json_is_integer(out) ? json_integer_value(out) : -1;
	json_decref(root);
	return 1;
}

/* mkdir -p, each new directory 0700: the requests hold the schema and
 * the team's prompts. */
static int make_dirs(const char *dir, error *e)
{
	char *p = xstrdup(dir);
	int ret = 0;
	for (char *c = p + 1;; c++) {
		if (*c && *c != '/')
			continue;
		char was = *c;
		*c = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			ret = error_set(e, EXIT_USAGE, "cannot create %s: %s",
					p, strerror(errno));
			break;
		}
		*c = was;
		if (!was)
			break;
	}
	free(p);
	return ret;
}

int llm_cache_put(const llm_opts *o, const char *key, const json_t *reply,
		  const llm_meta *meta, error *e)
{
	if (make_dirs(o->cache_dir, e) < 0)
		return -1;
	json_t *root = json_pack(
	    "{s:i, s:s, s:s, s:O, s:I, s:I}", "format", 1, "provider",
	    llm_provider_name(o->provider), "model", o->model, "reply", reply,
	    "input_tokens", (json_int_t)meta->input_tokens, "output_tokens",
	    (json_int_t)meta->output_tokens);
	char *text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(root);
	char *path = entry_path(o, key);
	strbuf tmp = STRBUF_INIT;
	strbuf_addf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	/* Written aside and renamed: a reader never sees half an entry. */
	int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
	size_t len = strlen(text);
	int ret = 0;
	bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len &&
		  write(fd, "\n", 1) == 1;
	int err = errno;
	if (fd >= 0 && close(fd) < 0 && ok)
		ok = false, err = errno;
	if (ok && rename(tmp.buf, path) < 0)
		ok = false, err = errno;
	if (!ok) {
		ret = error_set(e, EXIT_USAGE, "cannot write %s: %s", path,
				strerror(err));
		unlink(tmp.buf);
	}
	free(text);
	free(path);
	strbuf_release(&tmp);
	return ret;
}
