#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "../dialects/dialect.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"

/* Everything the walker needs to name a node in a message. */
typedef struct loader {
	const char *file;
	yaml_document_t *doc;
	config *c;
	error *e;
} loader;

const char *const config_mask_rules[] = {
    "keep", "null", "hash", "email", "fake_name", "phone", "redact", NULL};

static const char *const migration_formats[] = {"sql", "knex", "flyway",
						"alembic", NULL};

config *config_new_defaults(void)
{
	config *c = xcalloc(1, sizeof(*c));
	c->dialect = xstrdup(dialect_find(NULL)->name);
	c->schema = xstrdup("db/schema.sql");
	c->migrations_format = xstrdup("sql");
	c->migrations_dir = xstrdup("migrations");
	c->llm_temperature = -1;
	return c;
}

static void policy_release(config_policy *p)
{
	for (int i = 0; i < p->ndeny; i++)
		free(p->deny[i]);
	free(p->deny);
	for (int i = 0; i < p->nrequire_before; i++)
		free(p->require_before[i]);
	free(p->require_before);
	free(p->window);
}

void config_free(config *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nenvs; i++) {
		free(c->envs[i].name);
		free(c->envs[i].url);
		free(c->envs[i].replica);
		free(c->envs[i].replica_into);
		free(c->envs[i].cred_admin_url);
		policy_release(&c->envs[i].policy);
	}
	free(c->envs);
	free(c->path);
	free(c->dialect);
	free(c->schema);
	free(c->migrations_format);
	free(c->migrations_dir);
	free(c->llm_provider);
	free(c->llm_model);
	free(c->llm_api_key);
	free(c->llm_base_url);
	for (int i = 0; i < c->llm_nprompts; i++)
		free(c->llm_prompts[i]);
	free(c->llm_prompts);
	free(c->dev_url);
	free(c->audit_file);
	free(c->audit_webhook);
	for (int i = 0; i < c->nsearch_path; i++)
		free(c->search_path[i]);
	free(c->search_path);
	for (int i = 0; i < c->nmasks; i++) {
		free(c->masks[i].column);
		free(c->masks[i].rule);
	}
	free(c->masks);
	free(c);
}

const char *config_env_replica_spec(const config_env *env)
{
	if (!env)
		return NULL;
	if (env->replica)
		return env->replica;
	if (env->replica_into && strcmp(env->replica_into, "dev"))
		return env->replica_into;
	return NULL;
}

const config_env *config_find_env(const config *c, const char *name)
{
	for (int i = 0; c && name && i < c->nenvs; i++)
		if (!strcmp(c->envs[i].name, name))
			return &c->envs[i];
	return NULL;
}

__attribute__((format(printf, 3, 4))) static int
fail(loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	strbuf sb = STRBUF_INIT;
	va_list ap;
	strbuf_addf(&sb, "%s:%zu:%zu: ", ld->file, n->start_mark.line + 1,
		    n->start_mark.column + 1);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error_set(ld->e, EXIT_USAGE, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return -1;
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a scalar";
	}
}

static yaml_node_t *node(loader *ld, int id)
{
	return yaml_document_get_node(ld->doc, id);
}

/* YAML's spellings of "nothing", which leave a key unset. */
static bool is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

static int expect_mapping(loader *ld, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_MAPPING_NODE)
		return fail(ld, n, "%s must be a mapping, not %s", what,
			    kind_name(n));
	return 0;
}

static int get_string(loader *ld, const yaml_node_t *n, const char *what,
		      char **out)
{
	if (n->type != YAML_SCALAR_NODE)
		return fail(ld, n, "%s must be a string, not %s", what,
			    kind_name(n));
	free(*out);
	*out = is_null(n) ? NULL : xstrdup((const char *)n->data.scalar.value);
	return 0;
}

/* YAML 1.1's booleans as people write them. */
static int get_bool(loader *ld, const yaml_node_t *n, const char *what,
		    bool *out)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes",
					  "Yes",  "YES",  "on",	  NULL};
	static const char *const no[] = {"false", "False", "FALSE", "no",
					 "No",	  "NO",	   "off",   NULL};
	const char *v = n->type == YAML_SCALAR_NODE
			    ? (const char *)n->data.scalar.value
			    : NULL;
	for (int i = 0; v && yes[i]; i++)
		if (!strcmp(v, yes[i]))
			return *out = true, 0;
	for (int i = 0; v && no[i]; i++)
		if (!strcmp(v, no[i]))
			return *out = false, 0;
	return fail(ld, n, "%s must be true or false", what);
}

static int get_int(loader *ld, const yaml_node_t *n, const char *what,
		   long long max, long long *out)
{
	if (n->type != YAML_SCALAR_NODE)
		return fail(ld, n, "%s must be an integer, not %s", what,
			    kind_name(n));
	const char *v = (const char *)n->data.scalar.value;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (!*v || *end || errno || x < 0 || x > max)
		return fail(ld, n,
			    "%s must be a non-negative integer, not '%s'", what,
			    v);
	*out = x;
	return 0;
}

/*
 * Walk the pairs of a mapping, refusing non-scalar and duplicate keys so
 * that each section's handler only looks at well-formed "key: value".
 */
typedef int (*pair_fn)(loader *ld, const char *key, yaml_node_t *k,
		       yaml_node_t *v, void *arg);

static int each_pair(loader *ld, yaml_node_t *map, const char *where,
		     pair_fn fn, void *arg)
{
	yaml_node_pair_t *start = map->data.mapping.pairs.start;
	yaml_node_pair_t *top = map->data.mapping.pairs.top;
	for (yaml_node_pair_t *p = start; p < top; p++) {
		yaml_node_t *k = node(ld, p->key), *v = node(ld, p->value);
		if (k->type != YAML_SCALAR_NODE)
			return fail(ld, k, "keys in %s must be strings", where);
		const char *key = (const char *)k->data.scalar.value;
		for (yaml_node_pair_t *q = start; q < p; q++) {
			yaml_node_t *qk = node(ld, q->key);
			if (qk->type == YAML_SCALAR_NODE &&
			    !strcmp((const char *)qk->data.scalar.value, key))
				return fail(ld, k, "duplicate key '%s' in %s",
					    key, where);
		}
		if (fn(ld, key, k, v, arg) < 0)
			return -1;
	}
	return 0;
}

static int unknown_key(loader *ld, const yaml_node_t *k, const char *key,
		       const char *where)
{
	if (!strcmp(where, "the configuration"))
		return fail(ld, k, "unknown key '%s'", key);
	return fail(ld, k, "unknown key '%s' in %s", key, where);
}

/* A list of non-empty strings, appended to *items. */
static int get_string_list(loader *ld, yaml_node_t *v, const char *what,
			   char ***items, int *n)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(ld, v, "%s must be a list, not %s", what,
			    kind_name(v));
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		char *s = NULL;
		if (get_string(ld, node(ld, *it), what, &s) < 0)
			return -1;
		if (!s)
			return fail(ld, node(ld, *it), "empty entry in %s",
				    what);
		*items = xrealloc(*items, (size_t)(*n + 1) * sizeof(**items));
		(*items)[(*n)++] = s;
	}
	return 0;
}

static int policy_pair(loader *ld, const char *key, yaml_node_t *k,
		       yaml_node_t *v, void *arg)
{
	config_env *env = arg;
	config_policy *p = &env->policy;
	strbuf what = STRBUF_INIT;
	int ret = 0;
	long long x;

	strbuf_addf(&what, "environments.%s.policy.%s", env->name, key);
	if (!strcmp(key, "max_lock_ms")) {
		ret = get_int(ld, v, what.buf, LLONG_MAX, &p->max_lock_ms);
	} else if (!strcmp(key, "max_rows")) {
		ret = get_int(ld, v, what.buf, LLONG_MAX, &p->max_rows);
	} else if (!strcmp(key, "max_duration_s")) {
		ret = get_int(ld, v, what.buf, LLONG_MAX / 1000,
			      &p->max_duration_s);
	} else if (!strcmp(key, "batch_ms")) {
		ret = get_int(ld, v, what.buf, 60000, &p->batch_ms);
		if (!ret && p->batch_ms < 1)
			ret = fail(ld, v, "%s must be at least 1", what.buf);
	} else if (!strcmp(key, "approvals")) {
		ret = get_int(ld, v, what.buf, 100, &x);
		if (!ret)
			p->approvals = (int)x;
	} else if (!strcmp(key, "deny")) {
		ret = get_string_list(ld, v, what.buf, &p->deny, &p->ndeny);
	} else if (!strcmp(key, "require_before")) {
		ret = get_string_list(ld, v, what.buf, &p->require_before,
				      &p->nrequire_before);
	} else if (!strcmp(key, "window")) {
		config_window w;
		error we = ERROR_INIT;
		ret = get_string(ld, v, what.buf, &p->window);
		if (!ret && p->window &&
		    config_window_parse(p->window, &w, &we) < 0)
			ret = fail(ld, v, "%s: %s", what.buf, we.msg);
		error_clear(&we);
	} else {
		strbuf_setlen(&what, what.len - strlen(key) - 1);
		ret = unknown_key(ld, k, key, what.buf);
	}
	strbuf_release(&what);
	return ret;
}

/* The admin URL holds a password: it is named, never written, in the
 * file. */
static int credential_pair(loader *ld, const char *key, yaml_node_t *k,
			   yaml_node_t *v, void *arg)
{
	config_env *env = arg;
	strbuf what = STRBUF_INIT;
	int ret;
	long long x;

	strbuf_addf(&what, "environments.%s.credential", env->name);
	if (!strcmp(key, "admin_url")) {
		strbuf_adds(&what, ".admin_url");
		ret = get_string(ld, v, what.buf, &env->cred_admin_url);
		if (!ret && (!env->cred_admin_url ||
			     strncmp(env->cred_admin_url, "env:", 4) ||
			     !env->cred_admin_url[4]))
			ret = fail(ld, v,
				   "%s must be env:NAME (the variable holding "
				   "the admin's URL: its password does not "
				   "belong in the repository)",
				   what.buf);
	} else if (!strcmp(key, "ttl_minutes")) {
		strbuf_adds(&what, ".ttl_minutes");
		ret = get_int(ld, v, what.buf, 24 * 60, &x);
		if (!ret && x < 1)
			ret = fail(ld, v, "%s must be at least 1", what.buf);
		if (!ret)
			env->cred_ttl_minutes = (int)x;
	} else {
		ret = unknown_key(ld, k, key, what.buf);
	}
	strbuf_release(&what);
	return ret;
}

static int replica_pair(loader *ld, const char *key, yaml_node_t *k,
			yaml_node_t *v, void *arg)
{
	config_env *env = arg;
	long long n = 0;
	strbuf what = STRBUF_INIT;
	int ret = 0;
	char *word = NULL;

	strbuf_addf(&what, "environments.%s.replica.%s", env->name, key);
	if (!strcmp(key, "provision")) {
		ret = get_string(ld, v, what.buf, &word);
		if (!ret && (!word || strcmp(word, "schemig")))
			ret = fail(ld, v, "%s: expected schemig", what.buf);
		env->replica_provision = true;
	} else if (!strcmp(key, "into")) {
		ret = get_string(ld, v, what.buf, &env->replica_into);
	} else if (!strcmp(key, "sample")) {
		ret = get_int(ld, v, what.buf, 100, &n);
		if (!ret && n < 1)
			ret = fail(ld, v, "%s must be 1 to 100 (percent)",
				   what.buf);
		env->replica_sample = (int)n;
	} else if (!strcmp(key, "keep")) {
		ret = get_bool(ld, v, what.buf, &env->replica_keep);
	} else {
		strbuf_setlen(&what, what.len - strlen(key) - 1);
		ret = unknown_key(ld, k, key, what.buf);
	}
	free(word);
	strbuf_release(&what);
	return ret;
}

/* replica: a spec of a copy kept elsewhere, `schemig`, or a mapping
 * whose provision is schemig. */
static int replica_value(loader *ld, yaml_node_t *v, const char *what,
			 config_env *env)
{
	env->replica_sample = 100;
	if (v->type == YAML_MAPPING_NODE) {
		if (each_pair(ld, v, what, replica_pair, env) < 0)
			return -1;
		if (!env->replica_provision)
			return fail(ld, v, "%s: provision: schemig is missing",
				    what);
		return 0;
	}
	if (get_string(ld, v, what, &env->replica) < 0)
		return -1;
	if (env->replica && !strcmp(env->replica, "schemig")) {
		free(env->replica);
		env->replica = NULL;
		env->replica_provision = true;
	}
	return 0;
}

static int env_pair(loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
		    void *arg)
{
	config_env *env = arg;
	strbuf what = STRBUF_INIT;
	int ret;

	strbuf_addf(&what, "environments.%s", env->name);
	if (!strcmp(key, "url")) {
		strbuf_adds(&what, ".url");
		ret = get_string(ld, v, what.buf, &env->url);
	} else if (!strcmp(key, "replica")) {
		strbuf_adds(&what, ".replica");
		ret = replica_value(ld, v, what.buf, env);
	} else if (!strcmp(key, "protected")) {
		strbuf_adds(&what, ".protected");
		ret = get_bool(ld, v, what.buf, &env->is_protected);
	} else if (!strcmp(key, "credential")) {
		strbuf_adds(&what, ".credential");
		ret = expect_mapping(ld, v, what.buf);
		if (!ret)
			ret = each_pair(ld, v, what.buf, credential_pair, env);
		if (!ret && !env->cred_admin_url)
			ret = fail(ld, v, "%s: admin_url is missing", what.buf);
	} else if (!strcmp(key, "policy")) {
		strbuf_adds(&what, ".policy");
		env->has_policy = true;
		ret = expect_mapping(ld, v, what.buf);
		if (!ret)
			ret = each_pair(ld, v, what.buf, policy_pair, env);
	} else {
		ret = unknown_key(ld, k, key, what.buf);
	}
	strbuf_release(&what);
	return ret;
}

static int environments_pair(loader *ld, const char *key, yaml_node_t *k,
			     yaml_node_t *v, void *arg)
{
	config *c = ld->c;
	(void)arg;
	c->envs = xrealloc(c->envs, (size_t)(c->nenvs + 1) * sizeof(*c->envs));
	config_env *env = &c->envs[c->nenvs++];
	memset(env, 0, sizeof(*env));
	env->name = xstrdup(key);
	env->line = (int)k->start_mark.line + 1;
	env->policy.max_lock_ms = -1;
	env->policy.max_rows = -1;
	env->policy.max_duration_s = -1;
	env->policy.batch_ms = -1;
	env->policy.approvals = -1;
	env->cred_ttl_minutes = 60;
	/* The names people give the database that must never be
	 * rehearsed on; `protected: false` may still turn it off (the
	 * identity check of a dry run applies to every environment). */
	env->is_protected = !strcmp(key, "production") ||
			    !strcmp(key, "prod") || !strcmp(key, "live");

	strbuf what = STRBUF_INIT;
	strbuf_addf(&what, "environments.%s", key);
	int ret = expect_mapping(ld, v, what.buf);
	if (!ret)
		ret = each_pair(ld, v, what.buf, env_pair, env);
	if (!ret && !env->url)
		ret = fail(ld, v, "%s has no url", what.buf);
	strbuf_release(&what);
	return ret;
}

static int migrations_pair(loader *ld, const char *key, yaml_node_t *k,
			   yaml_node_t *v, void *arg)
{
	config *c = ld->c;
	(void)arg;
	if (!strcmp(key, "dir"))
		return get_string(ld, v, "migrations.dir", &c->migrations_dir);
	if (strcmp(key, "format"))
		return unknown_key(ld, k, key, "migrations");
	if (get_string(ld, v, "migrations.format", &c->migrations_format) < 0)
		return -1;
	for (int i = 0; migration_formats[i]; i++)
		if (c->migrations_format &&
		    !strcmp(c->migrations_format, migration_formats[i]))
			return 0;
	return fail(ld, v,
		    "unknown migrations.format '%s' (use sql, knex, flyway "
		    "or alembic)",
		    c->migrations_format ? c->migrations_format : "");
}

static int get_temperature(loader *ld, const yaml_node_t *n, double *out)
{
	const char *v = n->type == YAML_SCALAR_NODE
			    ? (const char *)n->data.scalar.value
			    : "";
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (!*v || *end || errno || !(x >= 0 && x <= 2))
		return fail(ld, n,
			    "llm.temperature must be a number from 0 to 2, not "
			    "'%s'",
			    v);
	*out = x;
	return 0;
}

static int llm_pair(loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
		    void *arg)
{
	config *c = ld->c;
	(void)arg;
	if (!strcmp(key, "provider")) {
		if (get_string(ld, v, "llm.provider", &c->llm_provider) < 0)
			return -1;
		if (!c->llm_provider || (strcmp(c->llm_provider, "anthropic") &&
					 strcmp(c->llm_provider, "openai")))
			return fail(ld, v,
				    "unknown llm.provider '%s' (use anthropic "
				    "or openai; openai also covers Ollama, "
				    "llama.cpp, vLLM and gateways)",
				    c->llm_provider ? c->llm_provider : "");
		return 0;
	}
	if (!strcmp(key, "model"))
		return get_string(ld, v, "llm.model", &c->llm_model);
	if (!strcmp(key, "base_url"))
		return get_string(ld, v, "llm.base_url", &c->llm_base_url);
	if (!strcmp(key, "enabled"))
		return get_bool(ld, v, "llm.enabled", &c->llm_enabled);
	if (!strcmp(key, "temperature"))
		return get_temperature(ld, v, &c->llm_temperature);
	if (!strcmp(key, "timeout_s") || !strcmp(key, "max_tokens")) {
		bool t = key[0] == 't';
		long long *x = t ? &c->llm_timeout_s : &c->llm_max_tokens;
		if (get_int(ld, v, t ? "llm.timeout_s" : "llm.max_tokens",
			    t ? 3600 : 1000000, x) < 0)
			return -1;
		if (*x < 1)
			return fail(ld, v, "llm.%s must be at least 1", key);
		return 0;
	}
	/* `prompt: FILE` (the first spelling) is a list of one. */
	if (!strcmp(key, "prompt") || !strcmp(key, "prompts")) {
		if (key[6] == 's')
			return get_string_list(ld, v, "llm.prompts",
					       &c->llm_prompts,
					       &c->llm_nprompts);
		char *one = NULL;
		if (get_string(ld, v, "llm.prompt", &one) < 0)
			return -1;
		if (!one)
			return 0;
		c->llm_prompts =
		    xrealloc(c->llm_prompts, (size_t)(c->llm_nprompts + 1) *
						 sizeof(*c->llm_prompts));
		c->llm_prompts[c->llm_nprompts++] = one;
		return 0;
	}
	if (strcmp(key, "api_key"))
		return unknown_key(ld, k, key, "llm");
	if (get_string(ld, v, "llm.api_key", &c->llm_api_key) < 0)
		return -1;
	/* Secrets never live in the repository: only a reference to the
	 * environment is accepted, and the value is not echoed back. */
	if (c->llm_api_key &&
	    (strncmp(c->llm_api_key, "env:", 4) || !c->llm_api_key[4]))
		return fail(ld, v,
			    "llm.api_key must be env:NAME (a key does not "
			    "belong in " CONFIG_FILENAME ")");
	return 0;
}

static int dev_pair(loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
		    void *arg)
{
	(void)arg;
	if (strcmp(key, "url"))
		return unknown_key(ld, k, key, "dev");
	return get_string(ld, v, "dev.url", &ld->c->dev_url);
}

/* audit.webhook carries its secret in its URL: it is read from the
 * environment, never written in the file. */
static int audit_pair(loader *ld, const char *key, yaml_node_t *k,
		      yaml_node_t *v, void *arg)
{
	config *c = ld->c;
	(void)arg;
	if (!strcmp(key, "file"))
		return get_string(ld, v, "audit.file", &c->audit_file);
	if (strcmp(key, "webhook"))
		return unknown_key(ld, k, key, "audit");
	if (get_string(ld, v, "audit.webhook", &c->audit_webhook) < 0)
		return -1;
	if (c->audit_webhook && strncmp(c->audit_webhook, "env:", 4))
		return fail(ld, v,
			    "audit.webhook must be env:NAME (its URL is a "
			    "secret that does not belong in " CONFIG_FILENAME
			    ")");
	return 0;
}

/*
 * search_path: a list of schema names, or one string of them separated
 * by commas (as SET search_path spells it, without quotes). The file
 * comes from the branch under review: a name is only ever a name, so
 * what PostgreSQL would take as something else ("$user", a quote, an
 * over-long name) is refused here rather than guessed at.
 */
static int add_schema_name(loader *ld, const yaml_node_t *at, char *name)
{
	config *c = ld->c;
	size_t len = strlen(name);
	int ret = 0;
	if (!len)
		ret = fail(ld, at, "empty schema name in search_path");
	else if (len > 63)
		ret = fail(ld, at,
			   "search_path: schema name '%.63s...' is longer than "
			   "63 bytes",
			   name);
	else if (name[0] == '$')
		ret = fail(ld, at,
			   "search_path: '%s' is not a schema name (name the "
			   "schema itself)",
			   name);
	else if (strchr(name, '"'))
		ret = fail(ld, at,
			   "search_path: schema names are written without "
			   "quotes: '%s'",
			   name);
	for (int i = 0; !ret && i < c->nsearch_path; i++)
		if (!strcmp(c->search_path[i], name))
			ret =
			    fail(ld, at, "search_path names '%s' twice", name);
	if (ret < 0) {
		free(name);
		return -1;
	}
	c->search_path =
	    xrealloc(c->search_path,
		     (size_t)(c->nsearch_path + 2) * sizeof(*c->search_path));
	c->search_path[c->nsearch_path++] = name;
	c->search_path[c->nsearch_path] = NULL;
	return 0;
}

static int search_path_value(loader *ld, yaml_node_t *v)
{
	if (v->type == YAML_SEQUENCE_NODE) {
		char **items = NULL;
		int n = 0,
		    ret = get_string_list(ld, v, "search_path", &items, &n);
		for (int i = 0; i < n; i++) {
			if (!ret)
				ret = add_schema_name(
				    ld,
				    node(ld, v->data.sequence.items.start[i]),
				    items[i]);
			else
				free(items[i]);
		}
		free(items);
		return ret;
	}
	char *text = NULL;
	if (get_string(ld, v, "search_path", &text) < 0)
		return -1;
	if (!text)
		return 0;
	/* Split by hand: strtok would pass over an empty entry ("a,,b"). */
	int ret = 0;
	for (char *tok = text; tok && !ret;) {
		char *comma = strchr(tok, ',');
		if (comma)
			*comma = '\0';
		while (*tok == ' ' || *tok == '\t')
			tok++;
		size_t len = strlen(tok);
		while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
			tok[--len] = '\0';
		ret = add_schema_name(ld, v, xstrdup(tok));
		tok = comma ? comma + 1 : NULL;
	}
	free(text);
	return ret;
}

static int check_dialect(loader *ld, const yaml_node_t *v)
{
	const char *name = ld->c->dialect;
	if (!name)
		return fail(ld, v, "dialect must not be empty");
	if (dialect_planned(name))
		return fail(ld, v, "dialect %s is not supported yet", name);
	if (!dialect_find(name))
		return fail(ld, v, "unknown dialect '%s'", name);
	return 0;
}

/* mask: {"schema.table.column": rule}. Whether the column exists is
 * known only against a schema (replica/). */
static int mask_pair(loader *ld, const char *key, yaml_node_t *k,
		     yaml_node_t *v, void *arg)
{
	config *c = ld->c;
	char *rule = NULL;
	(void)arg;
	int dots = 0;
	for (const char *p = key; *p; p++)
		dots += *p == '.';
	if (dots < 1 || dots > 2 || *key == '.' ||
	    key[strlen(key) - 1] == '.' || strstr(key, ".."))
		return fail(ld, k,
			    "mask: '%s' is not a column: expected "
			    "schema.table.column or table.column",
			    key);
	if (is_null(v))
		rule = xstrdup("null");
	else if (get_string(ld, v, "a mask rule", &rule) < 0)
		return -1;
	int i = 0;
	while (config_mask_rules[i] && strcmp(config_mask_rules[i], rule))
		i++;
	if (!config_mask_rules[i]) {
		strbuf known = STRBUF_INIT;
		for (int j = 0; config_mask_rules[j]; j++)
			strbuf_addf(&known, "%s%s", j ? ", " : "",
				    config_mask_rules[j]);
		fail(ld, v, "mask: %s: unknown rule '%s' (known: %s)", key,
		     rule, known.buf);
		strbuf_release(&known);
		free(rule);
		return -1;
	}
	c->masks =
	    xrealloc(c->masks, (size_t)(c->nmasks + 1) * sizeof(*c->masks));
	c->masks[c->nmasks++] =
	    (config_mask){xstrdup(key), rule, (int)k->start_mark.line + 1};
	return 0;
}

static int top_pair(loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
		    void *arg)
{
	config *c = ld->c;
	(void)arg;
	if (!strcmp(key, "dialect")) {
		if (get_string(ld, v, "dialect", &c->dialect) < 0)
			return -1;
		return check_dialect(ld, v);
	}
	if (!strcmp(key, "schema")) {
		if (get_string(ld, v, "schema", &c->schema) < 0)
			return -1;
		if (!c->schema)
			return fail(ld, v, "schema must not be empty");
		return 0;
	}
	if (!strcmp(key, "search_path"))
		return search_path_value(ld, v);

	static const struct {
		const char *key;
		pair_fn fn;
	} sections[] = {
	    {"migrations", migrations_pair},
	    {"environments", environments_pair},
	    {"llm", llm_pair},
	    {"dev", dev_pair},
	    {"audit", audit_pair},
	    {"mask", mask_pair},
	};
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (strcmp(key, sections[i].key))
			continue;
		if (is_null(v))
			return 0;
		if (expect_mapping(ld, v, key) < 0)
			return -1;
		return each_pair(ld, v, key, sections[i].fn, NULL);
	}
	return unknown_key(ld, k, key, "the configuration");
}

static int parse_error(const char *path, yaml_parser_t *p, error *e)
{
	return error_set(e, EXIT_USAGE, "%s:%zu:%zu: %s%s%s", path,
			 p->problem_mark.line + 1, p->problem_mark.column + 1,
			 p->problem ? p->problem : "malformed YAML",
			 p->context ? " " : "", p->context ? p->context : "");
}

int config_load(const char *path, config **out, error *e)
{
	strbuf text = STRBUF_INIT;
	*out = NULL;
	if (strbuf_read_file(&text, path) < 0) {
		int err = errno;
		strbuf_release(&text);
		return error_set(e, EXIT_USAGE, "cannot read '%s': %s", path,
				 strerror(err));
	}

	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text.buf,
				     text.len);
	if (!yaml_parser_load(&parser, &doc)) {
		parse_error(path, &parser, e);
		yaml_parser_delete(&parser);
		strbuf_release(&text);
		return -1;
	}

	config *c = config_new_defaults();
	c->path = xstrdup(path);
	loader ld = {path, &doc, c, e};
	int ret = 0;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	/* An empty file is a valid configuration of defaults. */
	if (root && !is_null(root)) {
		ret = expect_mapping(&ld, root, "the configuration");
		if (!ret)
			ret = each_pair(&ld, root, "the configuration",
					top_pair, NULL);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	strbuf_release(&text);
	if (ret < 0) {
		config_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

int config_load_dir(const char *dir, config **out, error *e)
{
	strbuf path = STRBUF_INIT;
	struct stat st;
	int ret;

	strbuf_addf(&path, "%s/%s", dir, CONFIG_FILENAME);
	if (stat(path.buf, &st) < 0 && errno == ENOENT) {
		*out = config_new_defaults();
		ret = 0;
	} else {
		ret = config_load(path.buf, out, e);
	}
	strbuf_release(&path);
	return ret;
}
