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
	/* The whole apply's wall time, in seconds (apply cancels and
	 * remediates past it). */
	long long max_duration_s;
	/* The time a backfill batch aims at, in ms: its row locks are held
	 * that long (exec/apply_pace.c; -1: the default, 30). */
	long long batch_ms;
	int approvals;
	char **deny; /* step kinds or hazards that are refused, e.g.
			"drop_table", "table_rewrite" */
	int ndeny;
	/* Environments whose journal must hold a successful apply of the
	 * same change first (e.g. "staging"). */
	char **require_before;
	int nrequire_before;
	char *window; /* "Mon-Fri 09:00-16:00 Europe/Berlin", or NULL */
} config_policy;

/* When applies may start (config/window.c): days of the week, a time
 * span and a time zone. */
typedef struct config_window {
	unsigned days;	/* bit 0 Sunday ... bit 6 Saturday */
	int start, end; /* minutes after midnight; end may be 1440 */
	char zone[64];	/* an IANA zone name; "UTC" by default */
} config_window;

/* Parse "Mon-Fri 09:00-16:00 Europe/Berlin": days ("Mon-Fri",
 * "Mon,Wed,Fri", "daily"), "HH:MM-HH:MM" (start before end; 24:00 ends
 * a day), an optional zone known to the system's zoneinfo. */
int config_window_parse(const char *text, config_window *w, error *e);
/* Is `now` inside the window? When not, *next (may be NULL) gets the
 * next opening time. */
bool config_window_open(const config_window *w, long long now, long long *next);

typedef struct config_env {
	char *name;
	char *url; /* a source spec, usually "env:NAME" */
	/* replica: the copy dry runs go to. A source spec (env:NAME, a
	 * URL) of a copy someone else keeps; or `schemig`, a copy that
	 * schemig makes itself (replica/replica.h), either the plain word
	 * or {provision: schemig, into, sample, keep}. NULL when none. */
	char *replica;
	bool replica_provision; /* `schemig`: replica is then NULL */
	char *replica_into;	/* where the copy goes: a spec or "dev";
				   NULL: dev */
	int replica_sample;	/* percent of each table's rows, 1..100 */
	bool replica_keep;	/* ci pr keeps the copy after its dry run */
	/* protected: a dry run refuses this environment's URL even when
	 * its server cannot be reached to compare identities (exec/dryrun.h,
	 * dryrun_guard). Defaults to true for production, prod and live. */
	bool is_protected;
	bool has_policy;
	config_policy policy;
	/* credential: {admin_url: env:NAME, ttl_minutes: 60}: apply runs
	 * the steps as a login made for it by that admin (exec/apply.h).
	 * admin_url is NULL when the block is absent. */
	char *cred_admin_url;
	int cred_ttl_minutes;
	int line; /* where it is defined, for messages */
} config_env;

/* The masking rules a replica applies (mask: in the file). */
typedef struct config_mask {
	char *column; /* "schema.table.column" or "table.column" */
	char *rule;   /* one of config_mask_rules */
	int line;     /* where it is written, for messages */
} config_mask;

/* The rules a mask may name, NULL-terminated: keep, null, hash, email,
 * fake_name, phone, redact (README, "Replicas"). */
extern const char *const config_mask_rules[];

typedef struct config {
	char *path; /* the file it came from; NULL for the defaults */
	char *dialect;
	char *schema; /* relative to the repository root */
	char *migrations_format;
	char *migrations_dir;
	config_env *envs; /* in file order */
	int nenvs;
	/* llm: the model provider (llm/llm.h). api_key is "env:NAME";
	 * timeout_s and max_tokens 0 and temperature < 0 when unset;
	 * prompts are the team's prompt files (the old single `prompt`
	 * key is a one-element list). */
	char *llm_provider, *llm_model, *llm_base_url, *llm_api_key;
	long long llm_timeout_s, llm_max_tokens;
	double llm_temperature;
	char **llm_prompts;
	int llm_nprompts;
	bool llm_enabled;
	char *dev_url; /* dev: {url: ...}, a scratch server; NULL if unset */
	/* audit: {file: PATH, webhook: env:NAME}: where apply appends its
	 * JSON lines (NULL: .schemig/audit.jsonl in the working directory)
	 * and the variable holding the URL escalations are posted to. */
	char *audit_file, *audit_webhook;
	/* search_path: the schemas unqualified names in the schema file
	 * resolve through, first to last, NULL-terminated (NULL: unset,
	 * the target's own path or the server's default). Only names: each
	 * is quoted as an identifier wherever it is used. */
	char **search_path;
	int nsearch_path;
	config_mask *masks; /* in file order */
	int nmasks;
} config;

/* A configuration holding only the defaults (dialect postgres, schema
 * db/schema.sql, migrations sql in migrations/). */
config *config_new_defaults(void);

/* Read and check `path`. A missing or unreadable file is an error. */
int config_load(const char *path, config **out, error *e);

/* Look for CONFIG_FILENAME in `dir`: load it when present, else return
 * the defaults. */
int config_load_dir(const char *dir, config **out, error *e);

/* Where `env`'s replica lives as a database spec, NULL when nowhere: its
 * `replica` URL, or the `into` of a copy schemig makes (not dev, which
 * goes when its command ends). */
const char *config_env_replica_spec(const config_env *env);

/* The environment called `name`, or NULL. */
const config_env *config_find_env(const config *c, const char *name);

void config_free(config *c);

#endif
