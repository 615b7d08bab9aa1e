/*
 * A dialect is a table of functions: everything above dialects/ speaks
 * only the schema model and this interface, so adding a database means
 * adding a folder, not editing the differ or the commands.
 */
#ifndef SCHEMIG_DIALECT_H
#define SCHEMIG_DIALECT_H

#include <stdbool.h>

#include "../schema/diff.h"
#include "../schema/model.h"
#include "../lint/lint.h"
#include "../plan/plan.h"
#include "../util/error.h"
#include "../util/strbuf.h"

/* A scratch database about to be loaded with a schema file. */
typedef struct scratch_target {
	const char *url;    /* the database, as its (privileged) creator */
	const char *loader; /* the role the file is loaded as, in a session
			       of its own; NULL: the creator itself */
	bool own_server;    /* a throwaway cluster of schemig's own */
} scratch_target;

typedef struct dialect {
	const char *name; /* "postgres" */

	/* Parse DDL text into `m` (appending). `filename` is used in
	 * messages: malformed SQL fails with "file:line:column: message";
	 * statements the model does not hold become model warnings naming
	 * file:line and the statement kind. */
	int (*parse)(model *m, const char *sql, const char *filename, error *e);

	/* Read the live schema behind a connection URL into `m`. */
	int (*introspect)(model *m, const char *url, error *e);

	/* Run a script (many statements) on a server, e.g. to load a DDL
	 * file into a throwaway database. */
	int (*exec_script)(const char *url, const char *sql,
			   const char *filename, error *e);

	/* Optional: exec_script for the user's own DDL file, where a
	 * statement the server rejects is an input error (EXIT_USAGE). */
	int (*load_script)(const char *url, const char *sql,
			   const char *filename, error *e);

	/* Optional: prepare a scratch database for loading one script as
	 * t->loader: create the cluster-wide roles it names (own server
	 * only), the extensions only a superuser may create and that are
	 * safe to have. Sets *load_sql (caller frees; NULL: load `sql` as
	 * it is) to the text to load, with the statements that preparing
	 * already did blanked. A statement that cannot be loaded safely
	 * fails with "file:line: ...". */
	int (*prepare_scratch)(const scratch_target *t, const char *sql,
			       const char *filename, char **load_sql, error *e);

	/* Turn the differences between two models into an ordered list of
	 * statements that turns `from` into `to`. */
	int (*diff)(const model *from, const model *to, diff_result *out,
		    error *e);

	/* Append `ident` quoted by the dialect's rules (only when needed). */
	void (*quote_ident)(strbuf *sb, const char *ident);

	/* A copy of a connection URL with its password masked (malloc'd). */
	char *(*redact_url)(const char *url);

	/* Optional: the safe plan for turning `from` into `to`. `p` comes
	 * with its settings and declared renames filled in; the dialect
	 * appends steps, reasons and data checks. Declared renames are
	 * applied to `from` first, as the server would apply them. `from_url`
	 * is the live source (table statistics, server version), NULL for DDL
	 * text. */
	int (*plan)(model *from, const model *to, const char *from_url, plan *p,
		    error *e);

	/* Optional: run the plan's data checks against the live source,
	 * read-only, filling each check's result. */
	int (*plan_check_data)(const char *url, plan *p, error *e);

	/* Optional: report the hazards of hand-written migration SQL,
	 * appending findings to `out` (one call per file: what one file
	 * creates is remembered in out->state for the next). A syntax
	 * error fails with "file:line:column: message". */
	int (*lint)(const char *sql, const char *filename, lint_result *out,
		    error *e);
	/* The rules `lint` knows, ending with a NULL name. */
	const lint_rule *lint_rules;

	/* --- Changes --- */
	/* The stable name ("add_column", ...) of a change kind `diff`
	 * puts in diff_stmt.change: a neutral change_kind or one of the
	 * dialect's own (from CHANGE_DIALECT_BASE). A static string; NULL
	 * for a kind the dialect does not make. */
	const char *(*change_kind_name)(int kind);
} dialect;

/* NULL when unknown. */
const dialect *dialect_find(const char *name);

extern const dialect dialect_postgres;

#endif
