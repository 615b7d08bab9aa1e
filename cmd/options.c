#include "cmd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../source/source.h"

void cmd_usage(const char *usage, const cmd_option *opts, bool to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;
	fprintf(f, "usage: %s\n", usage);
	if (opts && opts->type != CMD_OPT_END)
		fputc('\n', f);
	for (const cmd_option *o = opts; o && o->type != CMD_OPT_END; o++) {
		char left[64];
		char shortname[8] = "    ";
		if (o->short_name)
			snprintf(shortname, sizeof(shortname), "-%c, ",
				 o->short_name);
		snprintf(left, sizeof(left), "%s--%s%s%s", shortname,
			 o->long_name, o->argh ? " " : "",
			 o->argh ? o->argh : "");
		fprintf(f, "    %-26s %s\n", left, o->help);
	}
	fprintf(f, "    %-26s %s\n", "-h, --help", "show this help");
}

static const cmd_option *find_long(const cmd_option *opts, const char *name,
				   size_t len)
{
	for (const cmd_option *o = opts; o->type != CMD_OPT_END; o++)
		if (strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const cmd_option *find_short(const cmd_option *opts, char c)
{
	for (const cmd_option *o = opts; o->type != CMD_OPT_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static int usage_error(const char *usage, const cmd_option *opts,
		       const char *fmt, const char *what, size_t len)
{
	fputs("error: ", stderr);
	fprintf(stderr, fmt, (int)len, what);
	fputc('\n', stderr);
	cmd_usage(usage, opts, true);
	return CMD_PARSE_ERROR;
}

int cmd_parse_options(int argc, const char **argv, const cmd_option *opts,
		      const char *usage)
{
	int nargs = 0;
	bool options_done = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (options_done || arg[0] != '-' || !arg[1]) {
			argv[nargs++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			options_done = true;
			continue;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			cmd_usage(usage, opts, false);
			return CMD_PARSE_HELP;
		}

		const cmd_option *o;
		const char *name, *value = NULL;
		size_t len;
		if (arg[1] == '-') {
			name = arg + 2;
			const char *eq = strchr(name, '=');
			len = eq ? (size_t)(eq - name) : strlen(name);
			value = eq ? eq + 1 : NULL;
			o = find_long(opts, name, len);
		} else {
			name = arg + 1;
			len = 1;
			/* "-fVALUE" as well as "-f VALUE". */
			value = arg[2] ? arg + 2 : NULL;
			o = find_short(opts, arg[1]);
		}
		if (!o)
			return usage_error(usage, opts, "unknown option '%.*s'",
					   name, len);
		if (o->type == CMD_OPT_BOOL) {
			if (value)
				return usage_error(usage, opts,
						   "option '%.*s' takes no "
						   "value",
						   name, len);
			*(bool *)o->value = true;
			continue;
		}
		if (!value) {
			if (i + 1 >= argc)
				return usage_error(
				    usage, opts, "option '%.*s' needs a value",
				    name, len);
			value = argv[++i];
		}
		*(const char **)o->value = value;
	}
	argv[nargs] = NULL;
	return nargs;
}

int cmd_unexpected_argument(const char *arg, const char *usage,
			    const cmd_option *opts)
{
	char *shown = source_spec_redact(dialect_find(NULL), arg);
	fprintf(stderr, "error: unexpected argument '%s'\n", shown);
	free(shown);
	cmd_usage(usage, opts, true);
	return EXIT_USAGE;
}

int cmd_parse_env_format(int argc, const char **argv, const char *usage,
			 const char **env, const char **format)
{
	const cmd_option opts[] = {
	    OPT_STRING('e', "env", env, "<name>", "the environment"),
	    OPT_STRING(0, "format", format, "text|json",
		       "text (default) or json"),
	    OPT_END(),
	};
	*env = NULL;
	*format = "text";
	argc = cmd_parse_options(argc, argv, opts, usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], usage, opts);
	if (strcmp(*format, "text") && strcmp(*format, "json")) {
		fprintf(stderr, "error: --format: expected text or json\n");
		return EXIT_USAGE;
	}
	return -1;
}

void cmd_catch_signals(void (*handler)(int), cmd_signals *saved)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &saved->old_int);
	sigaction(SIGTERM, &sa, &saved->old_term);
}

void cmd_restore_signals(const cmd_signals *saved)
{
	sigaction(SIGINT, &saved->old_int, NULL);
	sigaction(SIGTERM, &saved->old_term, NULL);
}
