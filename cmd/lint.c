/*
 * git schemig lint: hazards in hand-written migration SQL files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dialects/dialect.h"
#include "../lint/lint.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char lint_usage[] =
    "git schemig lint [--format text|json] [--dialect <name>]\n"
    "                        [--min-version <major>] [--rule-off <rule>...]\n"
    "                        [--one-migration] <file>... | -";

/* --rule-off may be given many times, which the shared option parser
 * (one value per option) cannot hold: take those out of argv first. */
static int take_rule_offs(int argc, const char **argv, strbuf *names)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strncmp(a, "--rule-off=", 11)) {
			v = a + 11;
		} else if (!strcmp(a, "--rule-off")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "error: option 'rule-off' "
						"needs a value\n");
				return -1;
			}
			v = argv[++i];
		} else {
			argv[out++] = a;
			continue;
		}
		strbuf_addf(names, "%s%s", names->len ? "," : "", v);
	}
	argv[out] = NULL;
	return out;
}

static int disable_rules(lint_result *r, const dialect *d, const char *list,
			 error *e)
{
	char *copy = xstrdup(list), *save = NULL;
	int ret = 0;
	for (char *tok = strtok_r(copy, ", ", &save); tok && !ret;
	     tok = strtok_r(NULL, ", ", &save))
		if (!lint_disable_rule(r, d->lint_rules, tok))
			ret = error_set(e, EXIT_USAGE,
					"unknown rule '%s' for --rule-off (see "
					"'git schemig lint -h')",
					tok);
	free(copy);
	return ret;
}

static int read_input(const char *path, strbuf *sb, error *e)
{
	if (!strcmp(path, "-")) {
		char buf[8192];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			strbuf_add(sb, buf, n);
		if (ferror(stdin))
			return error_set(e, EXIT_USAGE,
					 "cannot read standard input");
		return 0;
	}
	if (strbuf_read_file(sb, path) < 0)
		return error_set(e, EXIT_USAGE, "cannot read %s: %s", path,
				 strerror(errno));
	/* libpg_query reads up to the first NUL. */
	if (memchr(strbuf_str(sb), 0, sb->len))
		return error_set(e, EXIT_USAGE,
				 "%s: not a text file (NUL byte)", path);
	return 0;
}

/* The rules of the dialect `lint -h` is about: --dialect when given
 * before -h, else the configured one (when a configuration loads), else
 * the default. Nothing for a dialect without a linter. */
static void list_rules(cmd_ctx *ctx, const char *name)
{
	error e = ERROR_INIT;
	if (!name && cmd_ctx_load_config(ctx, &e) == 0)
		name = ctx->cfg->dialect;
	error_clear(&e);
	const dialect *d = dialect_find(name);
	if (!d || !d->lint)
		return;
	printf("\nrules (%s):\n", d->name);
	for (const lint_rule *k = d->lint_rules; k && k->name; k++)
		printf("    %-36s %s\n", k->name,
		       k->level == LINT_ERROR ? "error" : "warning");
}

typedef struct lint_opts {
	const char *format, *dialect, *min_version;
	bool one_migration;
	strbuf rule_offs;
} lint_opts;

static int run_lint(cmd_ctx *ctx, lint_opts *o, int nfiles, const char **files)
{
	error e = ERROR_INIT;
	const char *dname = o->dialect;
	if (!dname) {
		if (cmd_ctx_load_config(ctx, &e) < 0)
			return cmd_error(&e);
		dname = ctx->cfg->dialect; /* NULL: the default */
	}
	const dialect *d = dialect_find(dname);
	if (!d || !d->lint) {
		fprintf(stderr, "error: dialect '%s' has no linter\n", dname);
		return EXIT_USAGE;
	}

	lint_result r;
	lint_result_init(&r);
	if (o->min_version) {
		char *end;
		long v = strtol(o->min_version, &end, 10);
		/* Any dialect's major versions: PostgreSQL's 9 to 18,
		 * MySQL's 8, MariaDB's 10 and 11. */
		if (*end || v < 1 || v > 99) {
			fprintf(stderr,
				"error: --min-version wants a major version "
				"such as 15 or 8, not '%s'\n",
				o->min_version);
			lint_result_release(&r);
			return EXIT_USAGE;
		}
		r.min_version = (int)v;
	}
	r.one_migration = o->one_migration;
	if (o->rule_offs.len &&
	    disable_rules(&r, d, o->rule_offs.buf, &e) < 0) {
		lint_result_release(&r);
		return cmd_error(&e);
	}

	/* Every file is linted even after a bad one, so one run reports
	 * everything; a file that cannot be read or parsed still makes
	 * the exit code 2. */
	int code = EXIT_OK;
	for (int i = 0; i < nfiles; i++) {
		strbuf sql = STRBUF_INIT;
		const char *name = strcmp(files[i], "-") ? files[i] : "<stdin>";
		if (read_input(files[i], &sql, &e) < 0 ||
		    d->lint(strbuf_str(&sql), name, &r, &e) < 0) {
			cmd_error(&e);
			code = EXIT_USAGE;
		}
		strbuf_release(&sql);
	}

	strbuf out = STRBUF_INIT;
	if (!strcmp(o->format, "json")) {
		if (lint_format_json(&r, &out, &e) < 0)
			code = cmd_error(&e);
	} else {
		lint_format_text(&r, &out);
	}
	fwrite(strbuf_str(&out), 1, out.len, stdout);
	strbuf_release(&out);
	if (code == EXIT_OK && lint_count(&r, LINT_ERROR))
		code = EXIT_FOUND;
	lint_result_release(&r);
	return code;
}

int cmd_lint(cmd_ctx *ctx, int argc, const char **argv)
{
	lint_opts o = {.format = "text", .rule_offs = STRBUF_INIT};
	const char *unused = NULL;
	const cmd_option opts[] = {
	    OPT_STRING('f', "format", &o.format, "<fmt>",
		       "text (default) or json"),
	    OPT_STRING(0, "dialect", &o.dialect, "<name>",
		       "database dialect (default: from config, else "
		       "postgres)"),
	    OPT_STRING(0, "min-version", &o.min_version, "<major>",
		       "oldest server major version the SQL runs on (15)"),
	    OPT_STRING(0, "rule-off", &unused, "<rule>[,<rule>]",
		       "disable rules (repeatable)"),
	    OPT_BOOL(0, "one-migration", &o.one_migration,
		     "tables created in earlier files count as new too"),
	    OPT_END(),
	};

	argc = take_rule_offs(argc, argv, &o.rule_offs);
	if (argc < 0) {
		cmd_usage(lint_usage, opts, true);
		strbuf_release(&o.rule_offs);
		return EXIT_USAGE;
	}
	argc = cmd_parse_options(argc, argv, opts, lint_usage);
	if (argc == CMD_PARSE_HELP)
		list_rules(ctx, o.dialect);
	if (argc < 0) {
		strbuf_release(&o.rule_offs);
		return cmd_parse_exit(argc);
	}
	int code;
	if (!argc) {
		fprintf(stderr, "error: no files to lint (use - for standard "
				"input)\n");
		cmd_usage(lint_usage, opts, true);
		code = EXIT_USAGE;
	} else if (strcmp(o.format, "text") && strcmp(o.format, "json")) {
		fprintf(stderr,
			"error: unknown format '%s' (use text or json)\n",
			o.format);
		code = EXIT_USAGE;
	} else {
		code = run_lint(ctx, &o, argc, argv);
	}
	strbuf_release(&o.rule_offs);
	return code;
}
