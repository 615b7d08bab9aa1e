/*
 * The dialect-neutral half of lint: findings and their renderings.
 */
#include "lint.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../plan/plan.h"
#include "../util/xalloc.h"

void lint_result_init(lint_result *r)
{
	memset(r, 0, sizeof(*r));
	r->min_version = 15;
}

void lint_result_release(lint_result *r)
{
	for (int i = 0; i < r->n; i++) {
		free(r->items[i].file);
		free(r->items[i].message);
		free(r->items[i].suggestion);
	}
	free(r->items);
	for (int i = 0; i < r->nrules_off; i++)
		free(r->rules_off[i]);
	free(r->rules_off);
	if (r->state && r->state_free)
		r->state_free(r->state);
	memset(r, 0, sizeof(*r));
}

bool lint_disable_rule(lint_result *r, const lint_rule *catalogue,
		       const char *name)
{
	bool known = false;
	for (const lint_rule *k = catalogue; k && k->name; k++)
		if (!strcmp(k->name, name))
			known = true;
	if (!known)
		return false;
	r->rules_off = xrealloc(r->rules_off,
				sizeof(char *) * (size_t)(r->nrules_off + 1));
	r->rules_off[r->nrules_off++] = xstrdup(name);
	return true;
}

bool lint_rule_enabled(const lint_result *r, const char *name)
{
	for (int i = 0; i < r->nrules_off; i++)
		if (!strcmp(r->rules_off[i], name))
			return false;
	return true;
}

void lint_add(lint_result *r, const lint_rule *rule, enum lint_level level,
	      const char *file, int line, int column, const char *suggestion,
	      const char *fmt, ...)
{
	if (!lint_rule_enabled(r, rule->name))
		return;
	ALLOC_GROW(r->items, r->n + 1, r->cap);
	lint_finding *f = &r->items[r->n++];
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f->file = xstrdup(file);
	f->line = line;
	f->column = column;
	f->rule = rule->name;
	f->level = level;
	f->hazards = rule->hazards;
	f->message = strbuf_detach(&sb);
	f->suggestion = suggestion && *suggestion ? xstrdup(suggestion) : NULL;
}

int lint_count(const lint_result *r, enum lint_level level)
{
	int n = 0;
	for (int i = 0; i < r->n; i++)
		n += r->items[i].level == level;
	return n;
}

static const char *level_name(enum lint_level l)
{
	return l == LINT_ERROR ? "error" : "warning";
}

/* A suggestion may span lines (several statements): indent the
 * continuation lines under the first so the block reads as one. */
static void add_indented(strbuf *out, const char *s)
{
	for (; *s; s++) {
		strbuf_addch(out, *s);
		if (*s == '\n' && s[1])
			strbuf_adds(out, "              ");
	}
}

void lint_format_text(const lint_result *r, strbuf *out)
{
	for (int i = 0; i < r->n; i++) {
		const lint_finding *f = &r->items[i];
		strbuf_addf(out, "%s:%d:%d: %s[%s]: %s\n", f->file, f->line,
			    f->column, level_name(f->level), f->rule,
			    f->message);
		if (f->suggestion) {
			strbuf_adds(out, "  suggestion: ");
			add_indented(out, f->suggestion);
			strbuf_addch(out, '\n');
		}
	}
	int ne = lint_count(r, LINT_ERROR), nw = lint_count(r, LINT_WARNING);
	strbuf_addf(out, "%d error%s, %d warning%s in %d file%s\n", ne,
		    ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", r->nfiles,
		    r->nfiles == 1 ? "" : "s");
}

int lint_format_json(const lint_result *r, strbuf *out, error *e)
{
	json_t *root = json_object(), *arr = json_array();
	for (int i = 0; i < r->n; i++) {
		const lint_finding *f = &r->items[i];
		json_t *o = json_object(), *hz = json_array();
		for (int b = 0; b < PLAN_HAZARD_COUNT; b++)
			if (f->hazards & (1u << b))
				json_array_append_new(
				    hz, json_string(plan_hazard_name(b)));
		json_object_set_new(o, "file", json_string(f->file));
		json_object_set_new(o, "line", json_integer(f->line));
		json_object_set_new(o, "column", json_integer(f->column));
		json_object_set_new(o, "rule", json_string(f->rule));
		json_object_set_new(o, "level",
				    json_string(level_name(f->level)));
		json_object_set_new(o, "hazards", hz);
		json_object_set_new(o, "message", json_string(f->message));
		json_object_set_new(o, "suggestion",
				    f->suggestion ? json_string(f->suggestion)
						  : json_null());
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "findings", arr);
	json_object_set_new(root, "errors",
			    json_integer(lint_count(r, LINT_ERROR)));
	json_object_set_new(root, "warnings",
			    json_integer(lint_count(r, LINT_WARNING)));
	char *txt = json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(root);
	/* json_string refuses invalid UTF-8 (a file name, an identifier
	 * from a file in another encoding): say so rather than print
	 * half an object. */
	if (!txt)
		return error_set(e, EXIT_USAGE,
				 "cannot encode the findings "
				 "as JSON (invalid UTF-8?)");
	strbuf_adds(out, txt);
	strbuf_addch(out, '\n');
	free(txt);
	return 0;
}
