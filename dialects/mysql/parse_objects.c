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

/* The options other than the defaults, as the introspection spells
 * them (mysql.h): "ALGORITHM=MERGE SQL SECURITY INVOKER". */
static char *view_options(my_ctx *c)
{
	const char *alg = c->view_algorithm, *sec = c->view_security;
	bool a = alg && strcmp(alg, "UNDEFINED");
	bool s = sec && strcmp(sec, "DEFINER");
	if (!a && !s)
		return NULL;
	return arena_sprintf(&c->m->arena, "%s%s%s%s%s", a ? "ALGORITHM=" : "",
			     a ? alg : "", a && s ? " " : "",
			     s ? "SQL SECURITY " : "", s ? sec : "");
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
	v->options = view_options(c);
	return 0;
}

/* A routine's characteristics, as mysql.h orders them. */
typedef struct my_traits {
	bool deterministic;
	const char *access; /* "READS SQL DATA"...; NULL: CONTAINS SQL */
	bool invoker;
	char *comment;
} my_traits;

/* The characteristics between a routine's signature and its body. */
static int characteristics(my_ctx *c, my_traits *t)
{
	for (;;) {
		if (my_accept(c, "COMMENT")) {
			t->comment = my_next(c)->text;
		} else if (my_accept(c, "LANGUAGE"))
			my_next(c);
		else if (my_accept(c, "NOT")) {
			if (my_expect(c, "DETERMINISTIC"))
				return -1;
			t->deterministic = false;
		} else if (my_accept(c, "DETERMINISTIC"))
			t->deterministic = true;
		else if (my_is(c, 0, "CONTAINS") && my_is(c, 1, "SQL")) {
			my_next(c);
			my_next(c);
			t->access = NULL;
		} else if (my_is(c, 0, "NO") && my_is(c, 1, "SQL")) {
			my_next(c);
			my_next(c);
			t->access = "NO SQL";
		} else if ((my_is(c, 0, "READS") || my_is(c, 0, "MODIFIES")) &&
			   my_is(c, 1, "SQL")) {
			t->access = my_is(c, 0, "READS") ? "READS SQL DATA"
							 : "MODIFIES SQL DATA";
			my_next(c);
			my_next(c);
			if (my_expect(c, "DATA"))
				return -1;
		} else if (my_is(c, 0, "SQL") && my_is(c, 1, "SECURITY")) {
			my_next(c);
			my_next(c);
			t->invoker = my_is(c, 0, "INVOKER");
			my_next(c);
		} else
			return 0;
	}
}

/* The attributes in mysql.h's form: "DETERMINISTIC READS SQL DATA SQL
 * SECURITY INVOKER COMMENT 'text'"; NULL for none. */
static char *traits_text(my_ctx *c, const my_traits *t)
{
	strbuf sb = STRBUF_INIT;
	if (t->deterministic)
		strbuf_adds(&sb, "DETERMINISTIC");
	if (t->access)
		strbuf_addf(&sb, "%s%s", sb.len ? " " : "", t->access);
	if (t->invoker)
		strbuf_addf(&sb, "%sSQL SECURITY INVOKER", sb.len ? " " : "");
	if (t->comment && *t->comment) {
		strbuf_adds(&sb, sb.len ? " COMMENT " : "COMMENT ");
		my_canon_string(&sb, t->comment);
	}
	char *r = sb.len ? my_str(c, strbuf_str(&sb)) : NULL;
	strbuf_release(&sb);
	return r;
}

/*
 * The parameter list between the parentheses at c->pos, as the
 * introspection spells it: "`a` int, `b` varchar(5)" for a function,
 * "IN `a` int, OUT `b` int" for a procedure (IN said outright).
 */
static int routine_params(my_ctx *c, bool fn, char **out)
{
	strbuf sb = STRBUF_INIT;
	int r = my_expect_op(c, "(");
	while (!r && !my_at_end(c) && !my_is_op(c, 0, ")")) {
		if (sb.len)
			strbuf_adds(&sb, ", ");
		if (!fn) {
			const char *mode = "IN";
			if (my_accept(c, "OUT"))
				mode = "OUT";
			else if (my_accept(c, "INOUT"))
				mode = "INOUT";
			else
				(void)my_accept(c, "IN");
			strbuf_addf(&sb, "%s ", mode);
		}
		char *name = my_ident(c, "a parameter name");
		if (!name) {
			r = -1;
			break;
		}
		m_column pc = {.name = name};
		char *cs = NULL, *co = NULL;
		if (my_parse_type(c, &pc, &cs, &co)) {
			r = -1;
			break;
		}
		my_quote_ident(&sb, name);
		strbuf_addf(&sb, " %s", pc.type);
		if (!my_accept_op(c, ",") && !my_is_op(c, 0, ")"))
			r = my_fail(c, my_peek(c, 0),
				    "expected , or ) after parameter \"%s\"",
				    name);
	}
	if (!r)
		r = my_expect_op(c, ")");
	*out = r ? NULL : my_str(c, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
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
	char *follows = NULL;
	if (my_accept(c, "FOLLOWS")) {
		if (!(follows = my_ident(c, "a trigger name")))
			return -1;
	} else if (my_accept(c, "PRECEDES") && !my_ident(c, "a trigger name"))
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
	/* Triggers of one table, timing and event fire in the order they
	 * were made; the server reads that order back as FOLLOWS the one
	 * before (introspect_objects.c), and so does the file. */
	char *when = arena_sprintf(&c->m->arena, " %s %s ON %s FOR", s1, s2,
				   qualified(c, ts, tn));
	for (int i = c->m->ntriggers - 2; i >= 0 && !follows; i--) {
		const m_trigger *o = &c->m->triggers[i];
		if (!strcmp(o->schema, ts) && strstr(o->definition, when))
			follows = o->name;
	}
	strbuf fl = STRBUF_INIT;
	if (follows) {
		strbuf_adds(&fl, "FOLLOWS ");
		my_quote_ident(&fl, follows);
		strbuf_addch(&fl, ' ');
	}
	tr->definition = arena_sprintf(
	    &c->m->arena, "CREATE TRIGGER %s %s %s ON %s FOR EACH ROW %s%s",
	    qualified(c, "", name), s1, s2, qualified(c, ts, tn),
	    strbuf_str(&fl), my_render_body(c, from, c->pos));
	strbuf_release(&fl);
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
	char *params;
	if (routine_params(c, fn, &params))
		return -1;
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
	my_traits traits = {0};
	if (characteristics(c, &traits))
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
	f->signature = params;
	f->result = result;
	f->attributes = traits_text(c, &traits);
	f->comment = traits.comment && *traits.comment ? traits.comment : NULL;
	f->body = my_render_body(c, body_from, c->pos);
	/* The introspection's form (introspect_objects.c), so that the
	 * same routine reads the same from a file and from a server. */
	f->definition = arena_sprintf(
	    &c->m->arena, "CREATE %s %s(%s)%s%s%s%s %s", kind,
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
