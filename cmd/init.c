/*
 * git schemig init: write .schemig.yml, with the migrations' format and
 * directory taken from the framework the project already uses.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char init_usage[] =
    "git schemig init [--schema <file>] [--format sql|flyway|knex|alembic]\n"
    "                        [--dir <dir>] [--force]";

typedef struct detected {
	const char *format;
	char *dir;	     /* malloc'd */
	const char *because; /* the file that told */
} detected;

static bool exists(const char *root, const char *name)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", root, name);
	bool ok = access(p.buf, F_OK) == 0;
	strbuf_release(&p);
	return ok;
}

/* The value of `key = value` (or `key: value`) in an ini-like file, with
 * blanks and quotes trimmed; NULL when absent. */
static char *ini_value(const char *root, const char *file, const char *key)
{
	strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	char *out = NULL;
	strbuf_addf(&p, "%s/%s", root, file);
	if (strbuf_read_file(&text, p.buf) == 0 && text.buf) {
		size_t kl = strlen(key);
		for (char *line = text.buf; line && *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			while (*line == ' ' || *line == '\t')
				line++;
			if (!strncmp(line, key, kl) &&
			    (line[kl] == ' ' || line[kl] == '=' ||
			     line[kl] == ':' || line[kl] == '\t')) {
				char *v = line + kl;
				while (*v == ' ' || *v == '\t' || *v == '=' ||
				       *v == ':')
					v++;
				size_t n = strlen(v);
				while (n && isspace((unsigned char)v[n - 1]))
					n--;
				if (n >= 2 && (*v == '"' || *v == '\'') &&
				    v[n - 1] == *v) {
					v++;
					n -= 2;
				}
				out = xstrndup(v, n);
				break;
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	strbuf_release(&p);
	strbuf_release(&text);
	return out;
}

/* Knex: migrations.directory in the knexfile, when it is a plain string
 * literal; otherwise Knex's default, "migrations". */
static char *knex_dir(const char *root, const char *knexfile)
{
	strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	char *out = NULL;
	strbuf_addf(&p, "%s/%s", root, knexfile);
	if (strbuf_read_file(&text, p.buf) == 0 && text.buf) {
		const char *d = strstr(text.buf, "directory");
		if (d) {
			d += strlen("directory");
			while (*d == ' ' || *d == ':' || *d == '\t')
				d++;
			if (*d == '\'' || *d == '"' || *d == '`') {
				const char *end = strchr(d + 1, *d);
				if (end &&
				    !memchr(d + 1, '$', (size_t)(end - d - 1)))
					out = xstrndup(d + 1,
						       (size_t)(end - d - 1));
			}
		}
	}
	strbuf_release(&p);
	strbuf_release(&text);
	return out ? out : xstrdup("migrations");
}

/* Flyway: the first filesystem: location of flyway.locations, else its
 * default, "db/migration"; a classpath: location has no directory. */
static char *flyway_dir(const char *root, const char *conf)
{
	char *loc = ini_value(root, conf, "flyway.locations");
	char *out = NULL;
	if (loc) {
		char *first = strtok(loc, ",");
		if (first && !strncmp(first, "filesystem:", 11))
			out = xstrdup(first + 11);
		free(loc);
	}
	return out ? out : xstrdup("db/migration");
}

static void detect(const char *root, detected *d)
{
	memset(d, 0, sizeof(*d));
	static const char *const knexfiles[] = {"knexfile.js", "knexfile.ts",
						"knexfile.cjs", "knexfile.mjs"};
	for (size_t i = 0; i < sizeof(knexfiles) / sizeof(knexfiles[0]); i++)
		if (exists(root, knexfiles[i])) {
			d->format = "knex";
			d->dir = knex_dir(root, knexfiles[i]);
			d->because = knexfiles[i];
			return;
		}
	if (exists(root, "alembic.ini")) {
		d->format = "alembic";
		d->dir = ini_value(root, "alembic.ini", "script_location");
		if (!d->dir || strchr(d->dir, '%') || strchr(d->dir, ':')) {
			free(d->dir);
			d->dir = xstrdup("alembic");
		}
		d->because = "alembic.ini";
		return;
	}
	static const char *const confs[] = {"flyway.conf", "conf/flyway.conf",
					    "flyway.toml"};
	for (size_t i = 0; i < sizeof(confs) / sizeof(confs[0]); i++)
		if (exists(root, confs[i])) {
			d->format = "flyway";
			d->dir = flyway_dir(root, confs[i]);
			d->because = confs[i];
			return;
		}
	d->format = "sql";
	d->dir = xstrdup("migrations");
}

/* A YAML scalar that stays one: double-quoted with escapes. */
static void yaml_string(strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(sb, '\\');
		if (*s == '\n')
			strbuf_adds(sb, "\\n");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

int cmd_init(cmd_ctx *ctx, int argc, const char **argv)
{
	const char *schema = "db/schema.sql", *format = NULL, *dir = NULL;
	bool force = false;
	const cmd_option opts[] = {
	    OPT_STRING(0, "schema", &schema, "<file>",
		       "the schema file, relative to the root (default "
		       "db/schema.sql)"),
	    OPT_STRING(0, "format", &format, "<name>",
		       "migrations format (default: detected)"),
	    OPT_STRING(0, "dir", &dir, "<dir>",
		       "migrations directory (default: detected)"),
	    OPT_BOOL(0, "force", &force, "replace an existing .schemig.yml"),
	    OPT_END(),
	};
	argc = cmd_parse_options(argc, argv, opts, init_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], init_usage, opts);
	if (format && strcmp(format, "sql") && strcmp(format, "flyway") &&
	    strcmp(format, "knex") && strcmp(format, "alembic")) {
		fprintf(stderr,
			"error: unknown format '%s' (use sql, flyway, "
			"knex or alembic)\n",
			format);
		return EXIT_USAGE;
	}
	error e = ERROR_INIT;
	/* The root only: an existing configuration may be the broken one
	 * that init is meant to replace. */
	if (cmd_ctx_find_root(ctx, &e) < 0)
		return cmd_error(&e);
	char *root = xstrdup(ctx->root);
	strbuf path = STRBUF_INIT, yml = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", root, CONFIG_FILENAME);
	detected d;
	detect(root, &d);
	int ret = EXIT_OK;
	if (!force && access(path.buf, F_OK) == 0) {
		error_set(&e, EXIT_USAGE,
			  "%s exists already (use --force to replace it)",
			  path.buf);
		ret = cmd_error(&e);
		goto out;
	}
	strbuf_addf(&yml,
		    "# written by git schemig init\ndialect: %s\nschema: ",
		    dialect_find(NULL)->name);
	yaml_string(&yml, schema);
	strbuf_adds(&yml, "\nmigrations: { format: ");
	strbuf_adds(&yml, format ? format : d.format);
	strbuf_adds(&yml, ", dir: ");
	yaml_string(&yml, dir ? dir : d.dir);
	strbuf_adds(
	    &yml,
	    " }\n# environments:\n#   production: { url: env:DATABASE_URL }\n");
	FILE *f = fopen(path.buf, "w");
	if (!f || fputs(yml.buf, f) < 0 || fclose(f) != 0) {
		error_set(&e, EXIT_USAGE, "cannot write %s: %s", path.buf,
			  strerror(errno));
		ret = cmd_error(&e);
		goto out;
	}
	printf("wrote %s: migrations in %s format in %s%s%s%s\n", path.buf,
	       format ? format : d.format, dir ? dir : d.dir,
	       d.because && !format ? " (found " : "",
	       d.because && !format ? d.because : "",
	       d.because && !format ? ")" : "");
out:
	free(d.dir);
	free(root);
	strbuf_release(&path);
	strbuf_release(&yml);
	return ret;
}
