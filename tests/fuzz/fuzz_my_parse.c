/*
 * libFuzzer target for the MySQL/MariaDB dialect's parser: each input
 * is one SQL file given to my_parse, as `diff` would read it. Any
 * crash, leak, sanitizer report or broken invariant is a finding:
 *
 *  - a file that parses has a canonical serialisation, and parsing it
 *    again gives the same one (the parser keeps no state between runs);
 *  - a file that fails says where: "fuzz.sql:LINE:COLUMN: ...";
 *  - the statement splitter (split.c, the sessions' and the loader's)
 *    gives spans in order, inside the text, each non-empty.
 *
 * Build and run: `make fuzz-mysql` (long run), tests/suites/fuzz.sh
 * (short).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/mysql/mysql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int parse_canon(const char *sql, strbuf *out)
{
	model *m = model_new();
	error e = ERROR_INIT;
	int r = my_parse(m, sql, "fuzz.sql", &e);
	if (r == 0)
		model_canonical(m, out);
	else if (!e.msg || strncmp(e.msg, "fuzz.sql:", 9) != 0)
		abort(); /* an error that does not say where */
	error_clear(&e);
	model_free(m);
	return r;
}

static void split_spans(const char *sql, size_t size)
{
	my_span *sp = NULL;
	int n = 0;
	error e = ERROR_INIT;
	if (my_split(sql, "fuzz.sql", &sp, &n, &e) == 0) {
		size_t at = 0;
		for (int i = 0; i < n; i++) {
			if (sp[i].start < at || sp[i].end <= sp[i].start ||
			    sp[i].end > size)
				abort(); /* spans out of order or outside */
			at = sp[i].end;
		}
	} else if (!e.msg || strncmp(e.msg, "fuzz.sql:", 9) != 0) {
		abort();
	}
	error_clear(&e);
	free(sp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The commands read files as NUL-terminated text. */
	char *sql = malloc(size + 1);
	if (!sql)
		return 0;
	memcpy(sql, data, size);
	sql[size] = '\0';

	split_spans(sql, size);
	strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	if (parse_canon(sql, &a) == 0) {
		if (parse_canon(sql, &b) != 0 || strcmp(strbuf_str(&a),
							 strbuf_str(&b)) != 0)
			abort(); /* the same text, two models */
	}
	strbuf_release(&a);
	strbuf_release(&b);
	free(sql);
	return 0;
}
