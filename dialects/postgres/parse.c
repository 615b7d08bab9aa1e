/*
 * pg_parse: DDL text -> schema model, through libpg_query's protobuf parse
 * tree. This file holds the statement loop, positions and messages, and
 * the implicit-name rules; the statement handlers live in parse_*.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "parse_tree.h"
#include "pg.h"

#define NAMEDATALEN 64

int pp_fail(pp_ctx *c, const char *fmt, ...)
{
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error_set(c->e, EXIT_USAGE, "%s:%d: %s", c->filename, c->line,
		  strbuf_str(&sb));
	strbuf_release(&sb);
	return -1;
}

void pp_warn(pp_ctx *c, const char *fmt, ...)
{
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	model_add_warning(c->m, "%s:%d: %s", c->filename, c->line,
			  strbuf_str(&sb));
	strbuf_release(&sb);
}

const char *pp_sval(const pnode *n)
{
	if (n && n->node_case == NC(STRING))
		return n->string->sval;
	return NULL;
}

const char *pp_rv_schema(const PgQuery__RangeVar *rv)
{
	return rv->schemaname && *rv->schemaname ? rv->schemaname : "public";
}

int pp_qualname(pnode **items, size_t n, const char **schema, const char **name)
{
	if (n == 1 && pp_sval(items[0])) {
		*schema = "public";
		*name = pp_sval(items[0]);
		return 0;
	}
	if (n >= 2 && pp_sval(items[n - 2]) && pp_sval(items[n - 1])) {
		*schema = pp_sval(items[n - 2]);
		*name = pp_sval(items[n - 1]);
		return 0;
	}
	return -1;
}

/* makeObjectName(): name1_name2_label, with name1 and name2 cut (the
 * longer first) so the whole fits in NAMEDATALEN-1 bytes. */
static char *make_object_name(const char *name1, const char *name2,
			      const char *label)
{
	int n1 = (int)strlen(name1), n2 = name2 ? (int)strlen(name2) : 0;
	int overhead = (name2 ? 1 : 0) + (label ? (int)strlen(label) + 1 : 0);
	int avail = NAMEDATALEN - 1 - overhead;
	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	/* Never cut a UTF-8 sequence in half (pg_mbcliplen). */
	while (n1 > 0 && ((unsigned char)name1[n1] & 0xC0) == 0x80)
		n1--;
	while (n2 > 0 && ((unsigned char)name2[n2] & 0xC0) == 0x80)
		n2--;
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, name1, (size_t)n1);
	if (name2) {
		strbuf_addch(&sb, '_');
		strbuf_add(&sb, name2, (size_t)n2);
	}
	if (label)
		strbuf_addf(&sb, "_%s", label);
	return strbuf_detach(&sb);
}

char *pp_choose_name(pp_ctx *c, const char *schema, const char *name1,
		     const char *name2, const char *label, bool relation)
{
	/* The server tries the plain label first, then label1, label2...
	 * (ChooseRelationName also refuses a name an existing constraint
	 * holds when the new relation is a constraint's index). */
	char modlabel[NAMEDATALEN + 16];
	snprintf(modlabel, sizeof(modlabel), "%s", label);
	for (int pass = 1;; pass++) {
		char *n = make_object_name(name1, name2, modlabel);
		bool taken = relation ? pp_relation_taken(c, schema, n) ||
					    pp_constraint_taken(c, schema, n)
				      : pp_constraint_taken(c, schema, n);
		if (!taken) {
			char *r = model_str(c->m, n);
			free(n);
			return r;
		}
		free(n);
		snprintf(modlabel, sizeof(modlabel), "%s%d", label, pass);
	}
}

char *pp_name_addition(char **cols, int ncols)
{
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < ncols; i++) {
		if (sb.len)
			strbuf_addch(&sb, '_');
		size_t l = strlen(cols[i]);
		strbuf_add(&sb, cols[i],
			   l < NAMEDATALEN - 1 ? l : NAMEDATALEN - 1);
		if (sb.len >= NAMEDATALEN)
			break;
	}
	return strbuf_detach(&sb);
}

/* A place in the text: byte offset, 1-based line and column (columns in
 * characters like the server's cursor position). */
typedef struct text_pos {
	int off, line, col;
} text_pos;

#define TEXT_POS_INIT                                                          \
	{                                                                      \
		0, 1, 1                                                        \
	}

/* Move `p` forward to byte offset `off`. Statements come in text order,
 * so walking on from the previous one keeps the whole parse linear;
 * an offset behind `p` starts again from the top. */
static void advance_to(const char *sql, text_pos *p, int off)
{
	if (off < p->off) {
		p->off = 0;
		p->line = 1;
		p->col = 1;
	}
	int i = p->off;
	for (; i < off && sql[i]; i++) {
		if (sql[i] == '\n') {
			p->line++;
			p->col = 1;
		} else if (((unsigned char)sql[i] & 0xC0) != 0x80) {
			p->col++;
		}
	}
	/* Never past the end of the text. */
	p->off = i;
}

/* A statement's location may point at the whitespace and comments that
 * precede it; the line we report is that of its first token. */
int pp_skip_space(const char *sql, int off)
{
	for (;;) {
		while (sql[off] == ' ' || sql[off] == '\t' ||
		       sql[off] == '\n' || sql[off] == '\r' || sql[off] == '\f')
			off++;
		if (sql[off] == '-' && sql[off + 1] == '-') {
			while (sql[off] && sql[off] != '\n')
				off++;
		} else if (sql[off] == '/' && sql[off + 1] == '*') {
			const char *end = strstr(sql + off + 2, "*/");
			off = end ? (int)(end - sql) + 2 : (int)strlen(sql);
		} else {
			return off;
		}
	}
}

/* Statement names longer than a verb and one word: "CREATE ROLE" is
 * the verb and its object, but "ALTER DEFAULT PRIVILEGES" is not "ALTER
 * DEFAULT", nor "CREATE FOREIGN DATA WRAPPER" "CREATE FOREIGN". The
 * longest phrase that starts the statement (after CREATE, ALTER or
 * DROP and OR REPLACE, or at its start) names it. */
static const char *const kind_phrases[] = {
    "DEFAULT PRIVILEGES",
    "EVENT TRIGGER",
    "FOREIGN DATA WRAPPER",
    "FOREIGN TABLE",
    "TEXT SEARCH CONFIGURATION",
    "TEXT SEARCH DICTIONARY",
    "TEXT SEARCH PARSER",
    "TEXT SEARCH TEMPLATE",
    "OPERATOR CLASS",
    "OPERATOR FAMILY",
    "USER MAPPING",
    "ACCESS METHOD",
    "LARGE OBJECT",
    "MATERIALIZED VIEW",
    "CONSTRAINT TRIGGER",
    "PROCEDURAL LANGUAGE",
    "TRUSTED PROCEDURAL LANGUAGE",
    "TRUSTED LANGUAGE",
    "SECURITY LABEL",
    "IMPORT FOREIGN SCHEMA",
    "REFRESH MATERIALIZED VIEW",
    NULL,
};

/* Up to `max` words of the statement at `p`, upper-cased and separated
 * by one space, into `sb`. */
static void leading_words(strbuf *sb, const char *p, int max)
{
	for (int words = 0; *p && words < max; words++) {
		const char *w = p;
		while (*p && ((*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') || *p == '_'))
			p++;
		if (p == w)
			break;
		if (sb->len)
			strbuf_addch(sb, ' ');
		for (const char *q = w; q < p; q++)
			strbuf_addch(sb,
				     (*q >= 'a' && *q <= 'z') ? *q - 32 : *q);
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
	}
}

/* The length of the longest phrase that starts `s` on a word boundary,
 * else of its first word. */
static size_t kind_len(const char *s)
{
	size_t best = strcspn(s, " ");
	for (int i = 0; kind_phrases[i]; i++) {
		size_t n = strlen(kind_phrases[i]);
		if (n > best && !strncmp(s, kind_phrases[i], n) &&
		    (!s[n] || s[n] == ' '))
			best = n;
	}
	return best;
}

/* "CREATE ROLE" for warnings: the statement's name. */
static void statement_kind(strbuf *sb, const char *sql, int off)
{
	strbuf w = STRBUF_INIT;
	leading_words(&w, sql + off, 6);
	const char *s = strbuf_str(&w);
	size_t verb = strcspn(s, " ");
	if (s[verb] && (!strncmp(s, "CREATE ", 7) || !strncmp(s, "ALTER ", 6) ||
			!strncmp(s, "DROP ", 5))) {
		strbuf_addf(sb, "%.*s ", (int)verb, s);
		s += verb + 1;
		if (!strncmp(s, "OR REPLACE ", 11))
			s += 11;
	}
	strbuf_addf(sb, "%.*s", (int)kind_len(s), s);
	if (!sb->len)
		strbuf_adds(sb, "statement");
	strbuf_release(&w);
}

static bool search_path_is_default(const PgQuery__VariableSetStmt *v)
{
	for (size_t i = 0; i < v->n_args; i++) {
		const pnode *a = v->args[i];
		const char *val = NULL;
		if (a->node_case == NC(A_CONST) &&
		    a->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
			val = a->a_const->sval->sval;
		if (!val || (*val && strcmp(val, "public") &&
			     strcmp(val, "pg_catalog") && strcmp(val, "$user")))
			return false;
	}
	return true;
}

/* pg_dump boilerplate that carries no schema: stay quiet about it. */
static bool is_boilerplate(const pnode *n)
{
	/* The settings pg_dump writes at the top of every dump; any other
	 * SET is worth a warning, since the schema may rely on it. */
	static const char *const dump_settings[] = {
	    "statement_timeout",
	    "lock_timeout",
	    "idle_in_transaction_session_timeout",
	    "client_encoding",
	    "standard_conforming_strings",
	    "check_function_bodies",
	    "xmloption",
	    "client_min_messages",
	    "row_security",
	    "default_tablespace",
	    "default_table_access_method",
	    "default_with_oids",
	    "search_path",
	    "transaction_timeout",
	    NULL};
	switch (n->node_case) {
	case NC(VARIABLE_SET_STMT): {
		const char *name = n->variable_set_stmt->name;
		/* Only the search_path pg_dump sets ('' or public) leaves
		 * unqualified names where the parser puts them (public);
		 * any other must be reported, as the parser ignores it. */
		if (name && !strcmp(name, "search_path"))
			return search_path_is_default(n->variable_set_stmt);
		for (int i = 0; name && dump_settings[i]; i++)
			if (!strcmp(name, dump_settings[i]))
				return true;
		return false;
	}
	case NC(ALTER_OWNER_STMT):
		return true;
	case NC(SELECT_STMT): {
		/* SELECT pg_catalog.set_config('search_path', '', false); */
		const PgQuery__SelectStmt *s = n->select_stmt;
		if (s->n_target_list != 1 || s->n_from_clause)
			return false;
		const pnode *t = s->target_list[0];
		if (t->node_case != NC(RES_TARGET) || !t->res_target->val ||
		    t->res_target->val->node_case != NC(FUNC_CALL))
			return false;
		const PgQuery__FuncCall *f = t->res_target->val->func_call;
		const char *fn = pp_sval(f->funcname[f->n_funcname - 1]);
		return fn && !strcmp(fn, "set_config");
	}
	case NC(COMMENT_STMT):
		return n->comment_stmt->objtype ==
		       PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION;
	default:
		return false;
	}
}

static int dispatch(pp_ctx *c, const pnode *n, int off)
{
	switch (n->node_case) {
	case NC(CREATE_STMT):
		return pp_create_table(c, n->create_stmt);
	case NC(ALTER_TABLE_STMT):
		return pp_alter_table(c, n->alter_table_stmt);
	case NC(INDEX_STMT):
		return pp_create_index(c, n->index_stmt);
	case NC(CREATE_STATS_STMT):
		return pp_create_stats(c, n->create_stats_stmt);
	case NC(ALTER_STATS_STMT):
		return pp_alter_stats(c, n->alter_stats_stmt);
	case NC(CREATE_SEQ_STMT):
		return pp_create_seq(c, n->create_seq_stmt);
	case NC(ALTER_SEQ_STMT):
		return pp_alter_seq(c, n->alter_seq_stmt);
	case NC(CREATE_SCHEMA_STMT):
		return pp_create_schema(c, n->create_schema_stmt);
	case NC(CREATE_EXTENSION_STMT):
		return pp_create_extension(c, n->create_extension_stmt);
	case NC(CREATE_ENUM_STMT):
		return pp_create_enum(c, n->create_enum_stmt);
	case NC(COMPOSITE_TYPE_STMT):
		return pp_create_composite(c, n->composite_type_stmt);
	case NC(CREATE_RANGE_STMT):
		return pp_create_range(c, n->create_range_stmt);
	case NC(CREATE_DOMAIN_STMT):
		return pp_create_domain(c, n->create_domain_stmt);
	case NC(VIEW_STMT):
		return pp_create_view(c, n->view_stmt);
	case NC(CREATE_TABLE_AS_STMT):
		if (n->create_table_as_stmt->objtype ==
		    PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW)
			return pp_create_matview(c, n->create_table_as_stmt);
		break;
	case NC(CREATE_FUNCTION_STMT):
		return pp_create_function(c, n);
	case NC(DEFINE_STMT):
		if (n->define_stmt->kind ==
		    PG_QUERY__OBJECT_TYPE__OBJECT_AGGREGATE)
			return pp_create_aggregate(c, n->define_stmt);
		if (n->define_stmt->kind ==
		    PG_QUERY__OBJECT_TYPE__OBJECT_COLLATION)
			return pp_create_collation(c, n->define_stmt);
		if (n->define_stmt->kind ==
			PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY ||
		    n->define_stmt->kind ==
			PG_QUERY__OBJECT_TYPE__OBJECT_TSCONFIGURATION)
			return pp_create_ts(c, n->define_stmt);
		if (n->define_stmt->kind ==
		    PG_QUERY__OBJECT_TYPE__OBJECT_OPERATOR)
			return pp_create_operator(c, n->define_stmt);
		break;
	case NC(CREATE_CAST_STMT):
		return pp_create_cast(c, n->create_cast_stmt);
	case NC(ALTER_TSDICTIONARY_STMT):
		return pp_alter_ts_dict(c, n->alter_tsdictionary_stmt);
	case NC(ALTER_TSCONFIGURATION_STMT):
		return pp_alter_ts_config(c, n->alter_tsconfiguration_stmt);
	case NC(CREATE_OP_CLASS_STMT):
		return pp_create_opclass(c, n->create_op_class_stmt);
	case NC(CREATE_OP_FAMILY_STMT):
		return pp_create_opfamily(c, n->create_op_family_stmt);
	case NC(ALTER_OP_FAMILY_STMT):
		return pp_alter_opfamily(c, n->alter_op_family_stmt);
	case NC(ALTER_OPERATOR_STMT):
		return pp_alter_operator(c, n->alter_operator_stmt);
	case NC(CREATE_TRIG_STMT):
		return pp_create_trigger(c, n->create_trig_stmt);
	case NC(CREATE_POLICY_STMT):
		return pp_create_policy(c, n->create_policy_stmt);
	case NC(GRANT_STMT):
		return pp_grant(c, n->grant_stmt);
	case NC(DROP_STMT):
		return pp_drop(c, n->drop_stmt);
	case NC(ALTER_ENUM_STMT):
		return pp_alter_enum(c, n->alter_enum_stmt);
	case NC(COMMENT_STMT):
		if (!is_boilerplate(n))
			return pp_comment(c, n->comment_stmt);
		return 0;
	default:
		break;
	}
	if (is_boilerplate(n))
		return 0;
	strbuf kind = STRBUF_INIT;
	statement_kind(&kind, c->sql, off);
	pp_warn(c, "%s is not part of the schema model; ignored",
		strbuf_str(&kind));
	strbuf_release(&kind);
	return 0;
}

typedef struct parse_job {
	model *m;
	const char *sql, *filename;
} parse_job;

/*
 * Runs on pg_parse_list's thread: every walk over a tree must. One
 * statement's tree at a time (unpacked, read, freed): a big file's
 * whole tree would take about twenty times the file, while the model
 * keeps copies of what it needs.
 */
static int parse_stmts(const pg_stmt_list *l, void *arg, error *e)
{
	parse_job *j = arg;
	const char *sql = j->sql;
	pp_ctx c = {
	    .m = j->m, .sql = sql, .filename = j->filename, .line = 1, .e = e};
	int ret = 0;
	text_pos at = TEXT_POS_INIT;
	/* A schema file is declarative: its statements are read in
	 * dependency order (load_order.c), as the scratch load runs them. */
	bool cycle;
	int *order = pg_load_order_list(l, &cycle);
	j->m->load_cycle |= cycle;
	size_t n = pg_stmt_list_count(l);
	for (size_t k = 0; k < n && !ret; k++) {
		size_t i = order ? (size_t)order[k] : k;
		arena tree = ARENA_INIT;
		c.tree = &tree;
		const PgQuery__RawStmt *rs = pg_stmt_list_get(l, i, &tree);
		if (!rs)
			ret = error_set(e, EXIT_USAGE,
					"%s: cannot read the parse tree",
					j->filename);
		if (rs && rs->stmt) {
			int off = pp_skip_space(sql, rs->stmt_location);
			advance_to(sql, &at, off);
			c.line = at.line;
			ret = dispatch(&c, rs->stmt, off);
			pp_names_end_statement(&c);
		}
		arena_free(&tree);
		c.tree = NULL;
	}
	free(order);
	if (!ret)
		pp_names_only_finish(&c);
	pp_names_release(&c);
	return ret;
}

static int parse_text(model *m, const char *sql, const char *filename, error *e)
{
	parse_job j = {m, sql, filename ? filename : "<input>"};
	int ret = pg_parse_list(sql, j.filename, parse_stmts, &j, e);
	if (!ret)
		model_sort(m);
	return ret;
}

int pg_parse(model *m, const char *input, const char *filename, error *e)
{
	char *sql = pg_blank_meta_commands(input);
	int ret = parse_text(m, sql, filename, e);
	free(sql);
	return ret;
}
