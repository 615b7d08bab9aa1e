/*
 * Lint: hazards in hand-written migration SQL (`git schemig lint`).
 *
 * The dialect reads the SQL and decides what is dangerous
 * (dialect->lint); this module owns what every dialect shares: the
 * settings, the list of findings, and their text and JSON renderings.
 * Hazard names are the plan's (plan_hazard_name), so a lint finding and
 * a plan step speak of the same risk with the same word.
 */
#ifndef SCHEMIG_LINT_H
#define SCHEMIG_LINT_H

#include <stdbool.h>

#include "../util/error.h"
#include "../util/strbuf.h"

enum lint_level {
	LINT_WARNING,
	LINT_ERROR,
};

/* One rule of a dialect's catalogue: its stable name, the level of its
 * findings (a rule may downgrade one) and a one-line summary. */
typedef struct lint_rule {
	const char *name; /* snake_case */
	enum lint_level level;
	unsigned hazards; /* enum plan_hazard bits */
	const char *summary;
} lint_rule;

typedef struct lint_finding {
	char *file; /* as given on the command line; "-" is "<stdin>" */
	int line, column;
	const char *rule; /* static: the catalogue's name */
	enum lint_level level;
	unsigned hazards;
	char *message;
	char *suggestion; /* the safe form, or NULL */
} lint_finding;

typedef struct lint_result {
	/* Settings, filled before the first file. */
	int min_version; /* server major version the SQL targets (15) */
	/* Tables created in earlier files count as new (empty) too, as
	 * if all files were one migration; by default only those created
	 * earlier in the same file do. */
	bool one_migration;
	char **rules_off; /* owned; names of disabled rules */
	int nrules_off;

	/* Findings, in the order of the files and of their text. */
	lint_finding *items;
	int n, cap;
	int nfiles;

	/* What the dialect remembers from one file to the next (tables
	 * created, column types); freed through state_free. */
	void *state;
	void (*state_free)(void *state);
} lint_result;

void lint_result_init(lint_result *r);
void lint_result_release(lint_result *r);

/* Disable a rule; false when it is not in `catalogue` (NULL-terminated
 * by a NULL name). */
bool lint_disable_rule(lint_result *r, const lint_rule *catalogue,
		       const char *name);
bool lint_rule_enabled(const lint_result *r, const char *name);

/* Append a finding (strings copied) unless its rule is disabled. */
void lint_add(lint_result *r, const lint_rule *rule, enum lint_level level,
	      const char *file, int line, int column, const char *suggestion,
	      const char *fmt, ...) __attribute__((format(printf, 8, 9)));

int lint_count(const lint_result *r, enum lint_level level);

/* "file:line:col: error[rule]: message\n  suggestion: ...\n" per finding,
 * then "N errors, M warnings in K files". */
void lint_format_text(const lint_result *r, strbuf *out);
/* {"findings":[...],"errors":N,"warnings":M}, one line. */
int lint_format_json(const lint_result *r, strbuf *out, error *e);

#endif
