/*
 * .schemig.yml: the per-repository configuration (README,
 * "Configuration"). Loaded once by the command context; every other
 * module receives the values it needs, never the file.
 *
 * Unknown keys, values of the wrong kind and bad values are errors that
 * name "file:line:column", so a typo never silently falls back to a
 * default.
 */
#ifndef SCHEMIG_CONFIG_H
#define SCHEMIG_CONFIG_H

#include <stdbool.h>

#include "../util/error.h"

#define CONFIG_FILENAME ".schemig.yml"

/* The policy envelope of one environment; -1 means "not set". */
typedef struct config_policy {
	long long max_lock_ms;
	long long max_rows;
	int approvals;
	char **deny; /* change kinds that are refused, e.g. "drop_table" */
	int ndeny;
} config_policy;

typedef struct config_env {
	char *name;
	char *url;     /* a source spec, usually "env:NAME" */
	char *replica; /* NULL when none */
	/* protected: a dry run refuses this environment's URL even when
	 * its server cannot be reached to compare identities (exec/dryrun.h,
	 * dryrun_guard). Defaults to true for production, prod and live. */
	bool is_protected;
	bool has_policy;
	config_policy policy;
	int line; /* where it is defined, for messages */
} config_env;

typedef struct config {
	char *path; /* the file it came from; NULL for the defaults */
	char *dialect;
	char *schema; /* relative to the repository root */
	char *migrations_format;
	char *migrations_dir;
	config_env *envs; /* in file order */
	int nenvs;
	char *llm_provider, *llm_model, *llm_api_key, *llm_prompt;
	char *dev_url; /* dev: {url: ...}, a scratch server; NULL if unset */
	/* audit: {file: PATH, webhook: env:NAME}: where apply appends its
	 * JSON lines (NULL: .schemig/audit.jsonl in the working directory)
	 * and the variable holding the URL escalations are posted to. */
	char *audit_file, *audit_webhook;
} config;

/* A configuration holding only the defaults (dialect postgres, schema
 * db/schema.sql, migrations sql in migrations/). */
config *config_new_defaults(void);

/* Read and check `path`. A missing or unreadable file is an error. */
int config_load(const char *path, config **out, error *e);

/* Look for CONFIG_FILENAME in `dir`: load it when present, else return
 * the defaults. */
int config_load_dir(const char *dir, config **out, error *e);

/* The environment called `name`, or NULL. */
const config_env *config_find_env(const config *c, const char *name);

void config_free(config *c);

#endif
