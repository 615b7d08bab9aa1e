/*
 * git schemig doctor: what a crash may have left on an environment's
 * server. Today: the one-shot logins of applies (exec/apply.h), and
 * whether the environment's credential admin can be reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../exec/apply.h"
#include "cmd.h"

static const char doctor_usage[] =
    "git schemig doctor [--env <name>] [--format text|json]\n"
    "\n"
    "Lists the one-shot logins apply made on the environment's server and\n"
    "which are leftovers (expired, or made for this database while no apply\n"
    "runs on it; the next apply drops them). Exit 0: none left over, 1: "
    "some.\n";

static void print_text(const json_t *all)
{
	size_t i;
	json_t *l;
	if (!json_array_size(all))
		printf("no one-shot logins on this server\n");
	json_array_foreach(all, i, l)
	{
		const char *until =
		    json_string_value(json_object_get(l, "valid_until"));
		const char *db =
		    json_string_value(json_object_get(l, "database"));
		const char *apply =
		    json_string_value(json_object_get(l, "apply_id"));
		printf("%s  %s\n    database %s, apply %s, valid until %s\n",
		       json_string_value(json_object_get(l, "name")),
		       json_string_value(json_object_get(l, "state")),
		       db ? db : "?", apply ? apply : "?",
		       until ? until : "(no limit)");
	}
}

/* The admin of the environment's credential, if it has one: reachable? */
static void check_admin(const dialect *d, const config_env *env)
{
	char *url = NULL;
	dialect_conn *c = NULL;
	error e = ERROR_INIT;
	if (!env || !env->cred_admin_url)
		return;
	if (source_resolve_url(env->cred_admin_url, &url, &e) < 0 ||
	    d->session_connect(url, &c, &e) < 0)
		fprintf(stderr,
			"schemig: doctor: the credential's admin (%s) cannot "
			"be used: %s\n",
			env->cred_admin_url, e.msg);
	else
		fprintf(stderr, "credential admin (%s): connects\n",
			env->cred_admin_url);
	d->session_close(c);
	error_clear(&e);
	free(url);
}

int cmd_doctor(cmd_ctx *ctx, int argc, const char **argv)
{
	const char *env, *format;
	char *url = NULL;
	json_t *all = NULL;
	error e = ERROR_INIT;
	int code = -1;
	const dialect *d;
	int r = cmd_parse_env_format(argc, argv, doctor_usage, &env, &format);
	if (r >= 0)
		return r;
	if (cmd_env_url(ctx, env, &d, &url, &e) < 0 ||
	    apply_credential_leftovers(d, url, &all, &e) < 0)
		goto out;
	check_admin(d, env ? config_find_env(ctx->cfg, env) : NULL);
	if (!strcmp(format, "json")) {
		char *s = json_dumps(all, JSON_SORT_KEYS | JSON_INDENT(1));
		printf("%s\n", s);
		free(s);
	} else {
		print_text(all);
	}
	code = EXIT_OK;
	size_t i;
	json_t *l;
	json_array_foreach(all, i,
			   l) if (json_is_true(json_object_get(l, "leftover")))
	    code = EXIT_FOUND;
out:
	json_decref(all);
	free(url);
	return code < 0 ? cmd_error(&e) : code;
}
