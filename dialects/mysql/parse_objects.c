/*
 * Views, triggers, procedures and functions for the MySQL/MariaDB
 * parser. A view keeps its query rendered with the canonical spacing; a
 * routine or trigger keeps its body as written (the server keeps it so
 * too), its line breaks included, without DEFINER (who created it is
 * the environment's business, not the schema's).
 */
#include <string.h>
#include <strings.h>

#include "mysql.h"
#include "parse_internal.h"

static bool replacing(my_ctx *c, int start)
{
	return start + 1 < c->ntoks && c->toks[start + 1].kind == MT_WORD &&
	       strcasecmp(c->toks[start + 1].text, "OR") == 0;
}

static m_view *find_view(my_ctx *c, const char *schema, const char *name)
{
	for (int i = 0; i < c->m->nviews; i++)
		if (!strcmp(c->m->views[i].schema, schema) &&
		    !strcmp(c->m->views[i].name, name))
			return &c->m->views[i];
	return NULL;
}

int my_create_view(my_ctx *c, int start)
{
	(void)(my_accept(c, "IF") && my_accept(c, "NOT") &&
	       my_accept(c, "EXISTS"));
	my_tok *at = my_peek(c, 0);
	char *schema, *name;
	if (my_qualname(c, &schema, &name, "a view name"))
		return -1;
	m_view *v = find_view(c, schema, name);
	if (v && !replacing(c, start))
		return my_fail(c, at, "view \"%s\" is created twice", name);
	if (my_find_table(c, schema, name))
		return my_fail(c, at, "\"%s\" is already a table", name);
	int cols_from = -1, cols_to = -1;
	if (my_is_op(c, 0, "(")) {
		cols_from = c->pos;
		while (!my_at_end(c) && !my_is_op(c, 0, ")"))
			my_next(c);
		if (my_expect_op(c, ")"))
			return -1;
		cols_to = c->pos;
	}
	if (my_expect(c, "AS"))
		return -1;
	int from = c->pos;
	my_skip_statement(c);
	int to = c->pos;
	char *check = NULL;
	/* WITH [CASCADED|LOCAL] CHECK OPTION ends the query. */
	if (to - from >= 3 && !strcasecmp(c->toks[to - 1].text, "OPTION") &&
	    !strcasecmp(c->toks[to - 2].text, "CHECK")) {
		check = "cascaded";
		to -= 2;
		if (!strcasecmp(c->toks[to - 1].text, "LOCAL") ||
		    !strcasecmp(c->toks[to - 1].text, "CASCADED")) {
			check = !strcasecmp(c->toks[to - 1].text, "LOCAL")
				    ? "local"
				    : "cascaded";
			to--;
		}
		if (to > from && !strcasecmp(c->toks[to - 1].text, "WITH"))
			to--;
	}
	if (to <= from)
		return my_fail(c, at, "view \"%s\" has no query", name);
	if (!v)
		v = model_add_view(c->m);
	memset(v, 0, sizeof(*v));
	v->schema = schema;
	v->name = name;
	char *q = my_render(c, from, to);
	v->definition = cols_from >= 0
			    ? arena_sprintf(&c->m->arena, "%s AS %s",
					    my_render(c, cols_from, cols_to), q)
			    : q;
	v->check_option = check;
	return 0;
}

/* Skip a balanced (...) group. */
static int skip_parens(my_ctx *c)
{
	if (my_expect_op(c, "("))
		return -1;
	int depth = 1;
	while (!my_at_end(c) && depth) {
		if (my_is_op(c, 0, "("))
			depth++;
		else if (my_is_op(c, 0, ")"))
			depth--;
		my_next(c);
	}
	if (depth)
		return my_fail(c, my_peek(c, 0), "unbalanced parentheses");
	return 0;
}

/* The characteristics between a routine's signature and its body. */
static int characteristics(my_ctx *c)
{
	for (;;) {
		if (my_accept(c, "COMMENT"))
			my_next(c);
		else if (my_accept(c, "LANGUAGE"))
			my_next(c);
		else if (my_accept(c, "NOT")) {
			if (my_expect(c, "DETERMINISTIC"))
				return -1;
		} else if (my_accept(c, "DETERMINISTIC"))
			;
		else if (my_is(c, 0, "CONTAINS") && my_is(c, 1, "SQL")) {
			my_next(c);
			my_next(c);
		} else if (my_is(c, 0, "NO") && my_is(c, 1, "SQL")) {
			my_next(c);
			my_next(c);
		} else if ((my_is(c, 0, "READS") || my_is(c, 0, "MODIFIES")) &&
			   my_is(c, 1, "SQL")) {
			my_next(c);
			my_next(c);
			if (my_expect(c, "DATA"))
				return -1;
		} else if (my_is(c, 0, "SQL") && my_is(c, 1, "SECURITY")) {
			my_next(c);
			my_next(c);
			my_next(c);
		} else
			return 0;
	}
}

static char *qualified(my_ctx *c, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	if (*schema) {
		my_quote_ident(&sb, schema);
		strbuf_addch(&sb, '.');
	}
	my_quote_ident(&sb, name);
	char *r = my_str(c, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

static int create_trigger(my_ctx *c, int start)
{
	(void)(my_accept(c, "IF") && my_accept(c, "NOT") &&
	       my_accept(c, "EXISTS"));
	my_tok *at = my_peek(c, 0);
	char *schema, *name, *ts, *tn;
	if (my_qualname(c, &schema, &name, "a trigger name"))
		return -1;
	my_tok *timing = my_next(c), *event = my_next(c);
	if (strcasecmp(timing->text, "BEFORE") &&
	    strcasecmp(timing->text, "AFTER"))
		return my_fail(c, timing, "expected BEFORE or AFTER");
	if (strcasecmp(event->text, "INSERT") &&
	    strcasecmp(event->text, "UPDATE") &&
	    strcasecmp(event->text, "DELETE"))
		return my_fail(c, event, "expected INSERT, UPDATE or DELETE");
	if (my_expect(c, "ON"))
		return -1;
	my_tok *tat = my_peek(c, 0);
	if (my_qualname(c, &ts, &tn, "a table name"))
		return -1;
	if (!my_find_table(c, ts, tn))
		return my_fail(c, tat,
			       "trigger \"%s\" is on table \"%s\", "
			       "which the file does not create before",
			       name, tn);
	if (my_expect(c, "FOR") || my_expect(c, "EACH") || my_expect(c, "ROW"))
		return -1;
	if (my_accept(c, "FOLLOWS") || my_accept(c, "PRECEDES"))
		if (!my_ident(c, "a trigger name"))
			return -1;
	int from = c->pos;
	my_skip_statement(c);
	if (c->pos == from)
		return my_fail(c, at, "trigger \"%s\" has no body", name);
	for (int i = 0; i < c->m->ntriggers; i++)
		if (!strcmp(c->m->triggers[i].schema, ts) &&
		    !strcmp(c->m->triggers[i].name, name))
			return my_fail(c, at, "trigger \"%s\" is created twice",
				       name);
	(void)start;
	m_trigger *tr = model_add_trigger(c->m);
	tr->schema = ts;
	tr->table = tn;
	tr->name = name;
	tr->function.schema = NULL;
	tr->enabled = 'O';
	char *s1 = my_str(c, timing->text), *s2 = my_str(c, event->text);
	for (char *p = s1; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	for (char *p = s2; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	tr->definition = arena_sprintf(
	    &c->m->arena, "CREATE TRIGGER %s %s %s ON %s FOR EACH ROW %s",
	    qualified(c, "", name), s1, s2, qualified(c, ts, tn),
	    my_render_body(c, from, c->pos));
	return 0;
}

int my_create_routine(my_ctx *c, int start, const char *kind)
{
	if (!strcmp(kind, "TRIGGER"))
		return create_trigger(c, start);
	bool fn = !strcmp(kind, "FUNCTION");
	(void)(my_accept(c, "IF") && my_accept(c, "NOT") &&
	       my_accept(c, "EXISTS"));
	my_tok *at = my_peek(c, 0);
	char *schema, *name;
	if (my_qualname(c, &schema, &name, "a routine name"))
		return -1;
	int sig_from = c->pos;
	if (skip_parens(c))
		return -1;
	int sig_to = c->pos;
	char *result = NULL;
	if (fn) {
		if (my_expect(c, "RETURNS"))
			return -1;
		m_column rc = {.name = name};
		char *cs = NULL, *co = NULL;
		if (my_parse_type(c, &rc, &cs, &co))
			return -1;
		result = rc.type;
	}
	int attr_from = c->pos;
	if (characteristics(c))
		return -1;
	int body_from = c->pos;
	my_skip_statement(c);
	if (c->pos == body_from)
		return my_fail(c, at, "%s \"%s\" has no body",
			       fn ? "function" : "procedure", name);
	for (int i = 0; i < c->m->nfunctions; i++) {
		m_function *f = &c->m->functions[i];
		if (!strcmp(f->schema, schema) && !strcmp(f->name, name) &&
		    f->kind == (fn ? 'f' : 'p')) {
			if (!replacing(c, start))
				return my_fail(c, at,
					       "%s \"%s\" is created "
					       "twice",
					       fn ? "function" : "procedure",
					       name);
			memset(f, 0, sizeof(*f));
			c->m->nfunctions--;
			memmove(f, f + 1,
				sizeof(*f) * (size_t)(c->m->nfunctions - i));
			memset(&c->m->functions[c->m->nfunctions], 0,
			       sizeof(*f));
			break;
		}
	}
	m_function *f = model_add_function(c->m);
	f->schema = schema;
	f->name = name;
	f->kind = fn ? 'f' : 'p';
	/* No overloading: the name alone is the key. */
	f->identity_args = "";
	f->signature = my_render_body(c, sig_from, sig_to);
	f->result = result;
	f->attributes = body_from > attr_from
			    ? my_render_body(c, attr_from, body_from)
			    : NULL;
	f->body = my_render_body(c, body_from, c->pos);
	f->definition = arena_sprintf(
	    &c->m->arena, "CREATE %s %s%s%s%s%s%s %s", kind,
	    qualified(c, schema, name), f->signature, result ? " RETURNS " : "",
	    result ? result : "", f->attributes ? " " : "",
	    f->attributes ? f->attributes : "", f->body);
	return 0;
}

int my_drop_object(my_ctx *c, const char *kind, const char *schema,
		   const char *name)
{
	model *m = c->m;
	if (!strcmp(kind, "VIEW")) {
		for (int i = 0; i < m->nviews; i++)
			if (!strcmp(m->views[i].schema, schema) &&
			    !strcmp(m->views[i].name, name)) {
				m->nviews--;
				memmove(&m->views[i], &m->views[i + 1],
					sizeof(m_view) *
					    (size_t)(m->nviews - i));
				memset(&m->views[m->nviews], 0, sizeof(m_view));
				return 1;
			}
		return 0;
	}
	if (!strcmp(kind, "TRIGGER")) {
		for (int i = 0; i < m->ntriggers; i++)
			if (!strcmp(m->triggers[i].schema, schema) &&
			    !strcmp(m->triggers[i].name, name)) {
				m->ntriggers--;
				memmove(&m->triggers[i], &m->triggers[i + 1],
					sizeof(m_trigger) *
					    (size_t)(m->ntriggers - i));
				memset(&m->triggers[m->ntriggers], 0,
				       sizeof(m_trigger));
				return 1;
			}
		return 0;
	}
	char k = !strcmp(kind, "FUNCTION") ? 'f' : 'p';
	for (int i = 0; i < m->nfunctions; i++)
		if (m->functions[i].kind == k &&
		    !strcmp(m->functions[i].schema, schema) &&
		    !strcmp(m->functions[i].name, name)) {
			m->nfunctions--;
			memmove(&m->functions[i], &m->functions[i + 1],
				sizeof(m_function) *
				    (size_t)(m->nfunctions - i));
			memset(&m->functions[m->nfunctions], 0,
			       sizeof(m_function));
			return 1;
		}
	return 0;
}
