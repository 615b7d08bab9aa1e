/*
 * Introspection of views, triggers and stored routines. Their text is
 * kept as the server prints it; only the current database's own
 * qualification is taken out of a view's query (the model's objects of
 * that database have the schema "").
 */
#include <stdlib.h>
#include <string.h>

#include "introspect_internal.h"

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/*
 * A view's options other than the defaults, in mysql.h's form:
 * "ALGORITHM=MERGE SQL SECURITY INVOKER" (ALGORITHM=UNDEFINED and SQL
 * SECURITY DEFINER are left out; MySQL does not show the algorithm in
 * INFORMATION_SCHEMA, so it is never set there).
 */
static char *view_options(model *m, const char *algorithm, const char *security)
{
	strbuf sb = STRBUF_INIT;
	char *out = NULL;
	if (algorithm && *algorithm && strcmp(algorithm, "UNDEFINED"))
		strbuf_addf(&sb, "ALGORITHM=%s", algorithm);
	if (security && *security && strcmp(security, "DEFINER"))
		strbuf_addf(&sb, "%sSQL SECURITY %s", sb.len ? " " : "",
			    security);
	if (sb.len)
		out = model_str(m, strbuf_str(&sb));
	strbuf_release(&sb);
	return out;
}

void my_build_views(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_VIEWS];
	int c_name = my_rows_col(r, "name"), c_def = my_rows_col(r, "def"),
	    c_check = my_rows_col(r, "check_option"),
	    c_sec = my_rows_col(r, "security"),
	    c_alg = my_rows_col(r, "algorithm");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < r->n; i++) {
		const char *def = my_rows_val(r, i, c_def);
		const char *check = my_rows_val(r, i, c_check);
		m_view *v = model_add_view(m);
		v->schema = model_str(m, "");
		v->name = model_str(m, my_rows_val(r, i, c_name));
		strbuf_reset(&sb);
		my_strip_database(&sb, def ? def : "", cat->database);
		v->definition = model_str(m, strbuf_str(&sb));
		if (same(check, "CASCADED"))
			v->check_option = model_str(m, "cascaded");
		else if (same(check, "LOCAL"))
			v->check_option = model_str(m, "local");
		v->options = view_options(m, my_rows_val(r, i, c_alg),
					  my_rows_val(r, i, c_sec));
	}
	strbuf_release(&sb);
}

/*
 * "CREATE TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW body", with
 * "FOLLOWS `other`" when another trigger of the same timing and event
 * fires before it (ACTION_ORDER), so the order survives a re-creation.
 */
void my_build_triggers(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_TRIGGERS];
	int c_name = my_rows_col(r, "name"), c_tbl = my_rows_col(r, "tbl"),
	    c_event = my_rows_col(r, "event"),
	    c_timing = my_rows_col(r, "timing"),
	    c_body = my_rows_col(r, "body");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < r->n; i++) {
		const char *tbl = my_rows_val(r, i, c_tbl);
		const char *event = my_rows_val(r, i, c_event);
		const char *timing = my_rows_val(r, i, c_timing);
		const char *body = my_rows_val(r, i, c_body);
		strbuf_reset(&sb);
		strbuf_adds(&sb, "CREATE TRIGGER ");
		my_quote_ident(&sb, my_rows_val(r, i, c_name));
		strbuf_addf(&sb, " %s %s ON ", timing ? timing : "",
			    event ? event : "");
		my_quote_ident(&sb, tbl ? tbl : "");
		strbuf_adds(&sb, " FOR EACH ROW ");
		/* Rows come ordered by table, timing, event, order. */
		if (i > 0 && same(my_rows_val(r, i - 1, c_tbl), tbl) &&
		    same(my_rows_val(r, i - 1, c_timing), timing) &&
		    same(my_rows_val(r, i - 1, c_event), event)) {
			strbuf_adds(&sb, "FOLLOWS ");
			my_quote_ident(&sb, my_rows_val(r, i - 1, c_name));
			strbuf_addch(&sb, ' ');
		}
		strbuf_adds(&sb, body ? body : "");
		m_trigger *tg = model_add_trigger(m);
		tg->schema = model_str(m, "");
		tg->table = model_str(m, tbl);
		tg->name = model_str(m, my_rows_val(r, i, c_name));
		tg->definition = model_str(m, strbuf_str(&sb));
	}
	strbuf_release(&sb);
}

/* The parameter list of routine NAME of KIND: "`a` int, `b` varchar(5)"
 * for a function, "IN `a` int, OUT `b` int" for a procedure. */
static void routine_params(strbuf *sb, my_rows *p, const char *name,
			   const char *kind)
{
	int c_name = my_rows_col(p, "name"), c_kind = my_rows_col(p, "kind"),
	    c_mode = my_rows_col(p, "mode"), c_pname = my_rows_col(p, "pname"),
	    c_type = my_rows_col(p, "type");
	bool proc = same(kind, "PROCEDURE"), any = false;
	for (int i = 0; i < p->n; i++) {
		if (!same(my_rows_val(p, i, c_name), name) ||
		    !same(my_rows_val(p, i, c_kind), kind))
			continue;
		if (any)
			strbuf_adds(sb, ", ");
		any = true;
		if (proc && my_rows_val(p, i, c_mode))
			strbuf_addf(sb, "%s ", my_rows_val(p, i, c_mode));
		my_quote_ident(sb, my_rows_val(p, i, c_pname)
				       ? my_rows_val(p, i, c_pname)
				       : "");
		strbuf_addch(sb, ' ');
		my_canon_type(sb, my_rows_val(p, i, c_type)
				      ? my_rows_val(p, i, c_type)
				      : "");
	}
}

/*
 * A routine: the key is its name and kind (MySQL has no overloading,
 * identity_args is ""). definition is "CREATE FUNCTION `f`(`a` int)
 * RETURNS int DETERMINISTIC body" / "CREATE PROCEDURE `p`(IN `a` int)
 * body", with the attributes that are not the defaults (DETERMINISTIC,
 * the data access other than CONTAINS SQL, SQL SECURITY INVOKER,
 * COMMENT) also in `attributes`; body is ROUTINE_DEFINITION verbatim.
 */
void my_build_routines(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_ROUTINES];
	my_rows *p = &cat->res[MYQ_PARAMETERS];
	int c_name = my_rows_col(r, "name"), c_kind = my_rows_col(r, "kind"),
	    c_ret = my_rows_col(r, "returns"), c_body = my_rows_col(r, "body"),
	    c_det = my_rows_col(r, "det"), c_access = my_rows_col(r, "access"),
	    c_sec = my_rows_col(r, "security"),
	    c_comment = my_rows_col(r, "comment");
	strbuf params = STRBUF_INIT, attrs = STRBUF_INIT, def = STRBUF_INIT,
	       ret = STRBUF_INIT;
	for (int i = 0; i < r->n; i++) {
		const char *name = my_rows_val(r, i, c_name);
		const char *kind = my_rows_val(r, i, c_kind);
		const char *access = my_rows_val(r, i, c_access);
		const char *sec = my_rows_val(r, i, c_sec);
		const char *comment = my_rows_val(r, i, c_comment);
		const char *body = my_rows_val(r, i, c_body);
		bool func = same(kind, "FUNCTION");
		strbuf_reset(&params);
		strbuf_reset(&attrs);
		strbuf_reset(&def);
		strbuf_reset(&ret);
		routine_params(&params, p, name, kind);
		if (func && my_rows_val(r, i, c_ret))
			my_canon_type(&ret, my_rows_val(r, i, c_ret));
		if (same(my_rows_val(r, i, c_det), "YES"))
			strbuf_adds(&attrs, "DETERMINISTIC");
		if (access && *access && strcmp(access, "CONTAINS SQL"))
			strbuf_addf(&attrs, "%s%s", attrs.len ? " " : "",
				    access);
		if (sec && *sec && strcmp(sec, "DEFINER"))
			strbuf_addf(&attrs, "%sSQL SECURITY %s",
				    attrs.len ? " " : "", sec);
		if (comment && *comment) {
			strbuf_adds(&attrs,
				    attrs.len ? " COMMENT " : "COMMENT ");
			my_canon_string(&attrs, comment);
		}
		strbuf_addf(&def, "CREATE %s ",
			    func ? "FUNCTION" : "PROCEDURE");
		my_quote_ident(&def, name);
		strbuf_addf(&def, "(%s)", strbuf_str(&params));
		if (func)
			strbuf_addf(&def, " RETURNS %s", strbuf_str(&ret));
		if (attrs.len)
			strbuf_addf(&def, " %s", strbuf_str(&attrs));
		strbuf_addf(&def, " %s", body ? body : "");
		m_function *f = model_add_function(m);
		f->schema = model_str(m, "");
		f->name = model_str(m, name);
		f->kind = func ? 'f' : 'p';
		f->identity_args = model_str(m, "");
		f->signature = model_str(m, strbuf_str(&params));
		f->definition = model_str(m, strbuf_str(&def));
		f->result = func ? model_str(m, strbuf_str(&ret)) : NULL;
		f->attributes =
		    attrs.len ? model_str(m, strbuf_str(&attrs)) : NULL;
		f->body = model_str(m, body);
		f->comment = comment && *comment ? model_str(m, comment) : NULL;
	}
	strbuf_release(&params);
	strbuf_release(&attrs);
	strbuf_release(&def);
	strbuf_release(&ret);
}

/* Scheduled events: the model has no place for them yet; said, so that
 * a comparison is not taken for complete. */
void my_build_events(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_EVENTS];
	int c_name = my_rows_col(r, "name");
	for (int i = 0; i < r->n; i++)
		model_add_warning(m,
				  "event `%s` is not supported for "
				  "MySQL/MariaDB and was skipped",
				  my_rows_val(r, i, c_name));
}
