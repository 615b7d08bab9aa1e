/*
 * What the project tells the Knex emitter: which module syntax its
 * migrations need, which extension Knex will load, and a version that
 * sorts after every existing migration.
 *
 * Knex picks migration files by extension (migrations.loadExtensions,
 * whose default lacks ".mjs": such a file would be ignored without a
 * word), sorts them by file name only, and loads a ".js" file as an ES
 * module when package.json says "type": "module" (require() of it would
 * fail). The knexfile is a program: a text scan of its usual literal form
 * is what we can do, and it is enough for the common cases.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "knex.h"

/* Knex's loadExtensions when the knexfile sets none (3.x). */
static const char *const default_extensions[] = {
    ".co",  ".coffee",	  ".eg", ".iced", ".js",
    ".cjs", ".litcoffee", ".ls", ".ts",	  NULL};

/* The knexfile names Knex looks for, in its order. */
static const char *const knexfiles[] = {"knexfile.js", "knexfile.ts",
					"knexfile.mjs", "knexfile.cjs", NULL};

static bool root_has(const emit_ctx *c, const char *name)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", c->root ? c->root : ".", name);
	bool has = access(p.buf, F_OK) == 0;
	strbuf_release(&p);
	return has;
}

/* Does the project's package.json say "type": "module"? A file that
 * does not parse counts as CommonJS, Node's default. */
static bool package_is_module(const emit_ctx *c)
{
	strbuf p = STRBUF_INIT;
	json_error_t jerr;
	strbuf_addf(&p, "%s/package.json", c->root ? c->root : ".");
	json_t *j = json_load_file(p.buf, 0, &jerr);
	strbuf_release(&p);
	if (!j)
		return false;
	const char *type = json_string_value(json_object_get(j, "type"));
	bool module = type && !strcmp(type, "module");
	json_decref(j);
	return module;
}

/*
 * Is `ext` in the literal array after the loadExtensions key that starts
 * at `at`? Sets *literal false when no array literal follows (a variable:
 * we cannot know).
 */
static bool list_has(const char *at, const char *ext, bool *literal)
{
	const char *p = at + strlen("loadExtensions");
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	       *p == '"' || *p == '\'' || *p == ':')
		p++;
	*literal = *p == '[';
	if (!*literal)
		return false;
	size_t n = strlen(ext);
	for (p++; *p && *p != ']'; p++) {
		if (*p != '"' && *p != '\'' && *p != '`')
			continue;
		char q = *p++;
		const char *end = strchr(p, q);
		if (!end)
			return false;
		if ((size_t)(end - p) == n && !strncmp(p, ext, n))
			return true;
		p = end;
	}
	return false;
}

/* Will Knex load a migration ending in `ext`? Every loadExtensions of
 * the knexfile (one per environment, often) must list it; without one,
 * Knex's default list decides. */
static bool knexfile_allows(const char *text, const char *ext)
{
	bool seen = false;
	for (const char *at = text ? strstr(text, "loadExtensions") : NULL; at;
	     at = strstr(at + 1, "loadExtensions")) {
		bool literal;
		bool has = list_has(at, ext, &literal);
		if (!literal)
			continue;
		seen = true;
		if (!has)
			return false;
	}
	if (seen)
		return true;
	for (int i = 0; default_extensions[i]; i++)
		if (!strcmp(default_extensions[i], ext))
			return true;
	return false;
}

/* Does c->dir already hold a migration ending in `ext`? */
static bool dir_has_ext(const emit_ctx *c, const char *ext)
{
	DIR *d = opendir(c->dir);
	if (!d)
		return false;
	bool found = false;
	size_t n = strlen(ext);
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		found = de->d_name[0] != '.' && len > n &&
			!strcmp(de->d_name + len - n, ext) &&
			!(c->regenerate &&
			  emit_file_is_plan(c->dir, de->d_name, c->regenerate));
	}
	closedir(d);
	return found;
}

static bool is_version(const char *name)
{
	for (int i = 0; i < 14; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

/*
 * Knex runs pending files in file-name order: a version that does not
 * sort after an existing migration (a clock behind a colleague's, a fixed
 * SOURCE_DATE_EPOCH) would run ours before a migration it builds on, on
 * a fresh database. One second after the greatest existing version then
 * (the plan's own files do not count when re-rendering it).
 */
static void next_version(const emit_ctx *c, char out[15])
{
	char max[15] = "";
	emit_timestamp(c->now, out);
	DIR *d = opendir(c->dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)))
		if (is_version(de->d_name) &&
		    strncmp(de->d_name, max, 14) > 0 &&
		    !(c->regenerate &&
		      emit_file_is_plan(c->dir, de->d_name, c->regenerate))) {
			memcpy(max, de->d_name, 14);
			max[14] = '\0';
		}
	closedir(d);
	if (!*max || strcmp(max, out) < 0)
		return;

	struct tm tm = {0};
	if (sscanf(max, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		emit_timestamp((long long)timegm(&tm) + 1, out);
	}
	/* Not a real time (month 13...): count on in decimal. */
	if (strcmp(out, max) <= 0) {
		memcpy(out, max, 15);
		for (int i = 13; i >= 0; i--) {
			if (out[i] != '9') {
				out[i]++;
				break;
			}
			out[i] = '0';
		}
	}
}

int knex_project_detect(const emit_ctx *c, knex_project *out, error *e)
{
	const char *knexfile = NULL;
	strbuf text = STRBUF_INIT;
	const char *cand[3] = {NULL, NULL, NULL};

	for (int i = 0; knexfiles[i] && !knexfile; i++)
		if (root_has(c, knexfiles[i]))
			knexfile = knexfiles[i];
	if (knexfile) {
		strbuf path = STRBUF_INIT;
		strbuf_addf(&path, "%s/%s", c->root ? c->root : ".", knexfile);
		if (strbuf_read_file(&text, path.buf) < 0)
			strbuf_reset(&text);
		strbuf_release(&path);
	}

	/* A TypeScript knexfile means Knex runs under ts-node or tsx, and
	 * the team writes its migrations in TypeScript. */
	if (knexfile && !strcmp(knexfile, "knexfile.ts")) {
		out->module = KNEX_TYPESCRIPT;
		cand[0] = ".ts";
	} else if (package_is_module(c)) {
		/* ".js" is an ES module here; ".mjs" only where the team
		 * already uses it (and the knexfile lets Knex load it). */
		out->module = KNEX_ESM;
		bool mjs = dir_has_ext(c, ".mjs");
		cand[0] = mjs ? ".mjs" : ".js";
		cand[1] = mjs ? ".js" : ".mjs";
	} else {
		out->module = KNEX_COMMONJS;
		cand[0] = ".js";
		cand[1] = ".cjs";
	}

	out->ext = NULL;
	for (int i = 0; cand[i] && !out->ext; i++)
		if (knexfile_allows(text.buf, cand[i]))
			out->ext = cand[i];
	strbuf_release(&text);
	if (!out->ext)
		return error_set(
		    e, EXIT_USAGE,
		    "%s: migrations.loadExtensions lists none of %s%s%s: Knex "
		    "would ignore the generated migration",
		    knexfile ? knexfile : "knexfile", cand[0],
		    cand[1] ? ", " : "", cand[1] ? cand[1] : "");

	next_version(c, out->version);
	return 0;
}
