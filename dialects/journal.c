/*
 * The journal's shared pieces (journal.h).
 */
#include "journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const jcol *journal_find_col(const jtable *t, const char *name)
{
	for (const jcol *c = t->cols; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int journal_check_keys(const jtable *t, const json_t *f, error *e)
{
	if (!json_is_object(f))
		return error_set(e, EXIT_USAGE,
				 "journal %s: the values are not a JSON object",
				 t->title);
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)f, key, v)
	{
		const jcol *c = journal_find_col(t, key);
		if (!c || (c->flags & JC_SERVER))
			return error_set(e, EXIT_USAGE,
					 "journal %s: unknown column '%s'",
					 t->title, key);
	}
	for (const jcol *c = t->cols; c->name; c++)
		if ((c->flags & JC_KEY) && !json_object_get(f, c->name))
			return error_set(e, EXIT_USAGE,
					 "journal %s: '%s' is missing",
					 t->title, c->name);
	return 0;
}

void journal_add_value(strbuf *sql, const json_t *v,
		       void (*quote)(strbuf *sb, const char *s))
{
	char num[64];
	switch (json_typeof(v)) {
	case JSON_NULL:
		strbuf_adds(sql, "NULL");
		return;
	case JSON_STRING:
		quote(sql, json_string_value(v));
		return;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(v));
		quote(sql, num);
		return;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		quote(sql, num);
		return;
	case JSON_TRUE:
	case JSON_FALSE:
		quote(sql, json_is_true(v) ? "true" : "false");
		return;
	default: {
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		quote(sql, text ? text : "");
		free(text);
	}
	}
}
