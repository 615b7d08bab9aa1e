/*
 * llmcall: one llm_complete call as the configuration in the current
 * directory sets it up, for tests/suites/llm.sh (no command sends
 * anything to a model yet).
 *
 *   llmcall [--no-cache] SYSTEM USER SCHEMA_FILE
 *
 * Loads .schemig.yml from the working directory, sends SYSTEM (with the
 * team's prompt files) and USER with the JSON schema in SCHEMA_FILE, and
 * prints {"reply": ..., "meta": {...}} on one line. Exit: 0 answered,
 * else the error's class (2 usage, 3 provider or network) with its
 * message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../llm/llm.h"

int main(int argc, char **argv)
{
	bool no_cache = argc > 1 && !strcmp(argv[1], "--no-cache");
	if (argc != 4 + no_cache) {
		fprintf(
		    stderr,
		    "usage: llmcall [--no-cache] SYSTEM USER SCHEMA_FILE\n");
		return 2;
	}
	char **a = argv + 1 + no_cache;
	error e = ERROR_INIT;
	config *c = NULL;
	llm_opts o;
	json_t *reply = NULL, *schema = NULL;
	llm_meta meta;
	int ret = 0;
	memset(&o, 0, sizeof(o));

	json_error_t je;
	schema = json_load_file(a[2], 0, &je);
	if (!schema)
		ret = error_set(&e, EXIT_USAGE, "%s: %s", a[2], je.text);
	if (!ret)
		ret = config_load_dir(".", &c, &e);
	if (!ret)
		ret = llm_opts_from_config(c, &o, &e);
	if (!ret) {
		o.no_cache = no_cache;
		ret = llm_complete(&o, a[0], a[1], schema, &reply, &meta, &e);
	}
	if (!ret) {
		json_t *out = json_pack(
		    "{s:O, s:{s:s, s:s, s:b, s:I, s:I, s:i}}", "reply", reply,
		    "meta", "provider", meta.provider, "model", meta.model,
		    "cached", meta.cached, "input_tokens",
		    (json_int_t)meta.input_tokens, "output_tokens",
		    (json_int_t)meta.output_tokens, "attempts", meta.attempts);
		char *text = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT);
		puts(text);
		free(text);
		json_decref(out);
	} else {
		fprintf(stderr, "llmcall: %s\n", e.msg);
	}
	int code = ret ? e.code : 0;
	error_clear(&e);
	json_decref(reply);
	json_decref(schema);
	llm_opts_release(&o);
	config_free(c);
	return code;
}
