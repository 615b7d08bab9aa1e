#include "diff.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void diff_result_init(diff_result *r)
{
	memset(r, 0, sizeof(*r));
}

void diff_result_release(diff_result *r)
{
	arena_free(&r->arena);
	memset(r, 0, sizeof(*r));
}

diff_stmt *diff_result_add(diff_result *r, const char *kind, const char *object,
			   const char *sql)
{
	diff_stmt *s = ARENA_PUSH(&r->arena, r->stmts, r->nstmts, r->cstmts);
	s->kind = arena_strdup(&r->arena, kind);
	s->object = arena_strdup(&r->arena, object);
	s->sql = arena_strdup(&r->arena, sql);
	s->transactional = true;
	return s;
}

void diff_result_add_uncompared(diff_result *r, const char *what)
{
	/* The same file on both sides says the same thing twice. */
	for (int i = 0; i < r->nuncompared; i++)
		if (!strcmp(r->uncompared[i], what))
			return;
	*ARENA_PUSH(&r->arena, r->uncompared, r->nuncompared, r->cuncompared) =
	    arena_strdup(&r->arena, what);
}

void diff_result_add_unsettled(diff_result *r, int kind, const char *schema,
			       const char *name, const char *sub)
{
	change_object *o =
	    ARENA_PUSH(&r->arena, r->unsettled, r->nunsettled, r->cunsettled);
	o->kind = kind;
	o->schema = arena_strdup(&r->arena, schema);
	o->name = arena_strdup(&r->arena, name);
	o->sub = arena_strdup(&r->arena, sub);
}

bool diff_result_differs(const diff_result *r)
{
	return r->nstmts || r->nuncompared;
}

void diff_result_format_sql(const diff_result *r, strbuf *out)
{
	for (int i = 0; i < r->nstmts; i++) {
		/* The mysql client ends a statement at the first ';' it
		 * sees outside quotes, even inside BEGIN ... END. */
		if (r->stmts[i].compound)
			strbuf_addf(out, "DELIMITER ;;\n%s;;\nDELIMITER ;\n",
				    r->stmts[i].sql);
		else
			strbuf_addf(out, "%s;\n", r->stmts[i].sql);
	}
}

void diff_result_format_text(const diff_result *r, strbuf *out)
{
	for (int i = 0; i < r->nstmts; i++)
		strbuf_addf(out, "%-24s %s%s\n", r->stmts[i].kind,
			    r->stmts[i].object ? r->stmts[i].object : "",
			    r->stmts[i].destructive ? "  (destructive)" : "");
	for (int i = 0; i < r->nuncompared; i++)
		strbuf_addf(out, "not compared: %s\n", r->uncompared[i]);
	if (r->nstmts)
		strbuf_addf(out, "%d change%s.\n", r->nstmts,
			    r->nstmts == 1 ? "" : "s");
	else if (!r->nuncompared)
		strbuf_adds(out, "No differences.\n");
	if (r->nuncompared)
		strbuf_addf(out,
			    "%d statement%s or object%s not compared: the "
			    "schemas may differ.\n",
			    r->nuncompared, r->nuncompared == 1 ? "" : "s",
			    r->nuncompared == 1 ? "" : "s");
}

int diff_result_format_json(const diff_result *r, strbuf *out, error *e)
{
	json_t *arr = json_array();
	for (int i = 0; i < r->nstmts; i++) {
		const diff_stmt *s = &r->stmts[i];
		json_t *o = json_pack("{s:s, s:s?, s:s, s:b, s:b}", "kind",
				      s->kind, "object", s->object, "sql",
				      s->sql, "transactional", s->transactional,
				      "destructive", s->destructive);
		if (!o) {
			json_decref(arr);
			return error_set(e, EXIT_USAGE,
					 "cannot encode statement %d as JSON",
					 i + 1);
		}
		json_array_append_new(arr, o);
	}
	json_t *unc = json_array();
	for (int i = 0; i < r->nuncompared; i++)
		json_array_append_new(unc, json_string(r->uncompared[i]));
	json_t *root =
	    json_pack("{s:o, s:o}", "changes", arr, "not_compared", unc);
	char *txt = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(root);
	if (!txt)
		return error_set(e, EXIT_USAGE, "cannot encode diff as JSON");
	strbuf_adds(out, txt);
	strbuf_addch(out, '\n');
	free(txt);
	return 0;
}

/* The neutral kinds' rows, by kind. */
static const struct {
	const char *name;
	int verb, undo;
} neutral_kinds[] = {
#define CHANGE_ROW_(id, nm, vb, un) [id] = {nm, vb, un},
    CHANGE_KINDS(CHANGE_ROW_)
#undef CHANGE_ROW_
};

static bool is_neutral(int kind)
{
	return kind > CHANGE_NONE &&
	       kind < (int)(sizeof(neutral_kinds) / sizeof(neutral_kinds[0]));
}

const char *change_kind_name(int kind)
{
	return is_neutral(kind) ? neutral_kinds[kind].name : NULL;
}

int change_kind_verb(int kind)
{
	return is_neutral(kind) ? neutral_kinds[kind].verb : CHANGE_VERB_ALTER;
}

int change_kind_undo(int kind)
{
	return is_neutral(kind) ? neutral_kinds[kind].undo : CHANGE_NONE;
}
