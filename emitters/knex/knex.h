/*
 * The Knex emitter's private interface: what the project around the
 * migrations directory tells about the file to write (knex_project.c),
 * used by the renderer (knex.c).
 */
#ifndef SCHEMIG_KNEX_H
#define SCHEMIG_KNEX_H

#include "../emit.h"

enum knex_module {
	KNEX_COMMONJS, /* exports.up = ... (require()d) */
	KNEX_ESM,      /* export async function up (import()ed) */
	KNEX_TYPESCRIPT,
};

typedef struct knex_project {
	enum knex_module module;
	const char *ext;  /* ".js", ".mjs", ".cjs" or ".ts" (static) */
	char version[15]; /* YYYYMMDDHHMMSS, sorting after every existing
			     migration of the directory */
} knex_project;

/*
 * Look at c->root (package.json, knexfile.*) and c->dir (the existing
 * migrations) to choose the module syntax, the extension Knex will load
 * and the version prefix. Fails when the knexfile's
 * migrations.loadExtensions allows no extension the syntax can use.
 */
int knex_project_detect(const emit_ctx *c, knex_project *out, error *e);

#endif
