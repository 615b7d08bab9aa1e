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
#include "../util/error.h"
#include "../util/strbuf.h"

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

	/* Optional: prepare a fresh throwaway cluster for a script, e.g. by
	 * creating the cluster-wide roles it names. */
	int (*prepare_scratch)(const char *url, const char *sql, error *e);

	/* Turn the differences between two models into an ordered list of
	 * statements that turns `from` into `to`. */
	int (*diff)(const model *from, const model *to, diff_result *out,
		    error *e);

	/* Append `ident` quoted by the dialect's rules (only when needed). */
	void (*quote_ident)(strbuf *sb, const char *ident);
} dialect;

/* NULL when unknown. */
const dialect *dialect_find(const char *name);

extern const dialect dialect_postgres;

#endif
