/*
 * my_parse: MySQL/MariaDB DDL text -> schema model, hand-written (no
 * parser library for MySQL is packaged). This file holds the token
 * helpers, error positions, names and the statement loop; the lexer is
 * lex.c, statements live in parse_*.c and parse_emit.c writes the model.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mysql.h"
#include "parse_internal.h"

my_tok *my_peek(my_ctx *c, int ahead)
{
	int i = c->pos + ahead;
	if (i >= c->ntoks)
		i = c->ntoks - 1;
	/* Never look past the statement's delimiter. */
	for (int j = c->pos; j < i; j++)
		if (c->toks[j].kind == MT_DELIM || c->toks[j].kind == MT_EOF)
			return &c->toks[j];
	return &c->toks[i];
}

my_tok *my_next(my_ctx *c)
{
	my_tok *t = &c->toks[c->pos];
	if (t->kind != MT_EOF && t->kind != MT_DELIM)
		c->pos++;
	return t;
}

bool my_is(my_ctx *c, int ahead, const char *word)
{
	my_tok *t = my_peek(c, ahead);
	return t->kind == MT_WORD && strcasecmp(t->text, word) == 0;
}

bool my_is_op(my_ctx *c, int ahead, const char *op)
{
	my_tok *t = my_peek(c, ahead);
	return t->kind == MT_OP && strcmp(t->text, op) == 0;
}

bool my_accept(my_ctx *c, const char *word)
{
	if (!my_is(c, 0, word))
		return false;
	my_next(c);
	return true;
}

bool my_accept_op(my_ctx *c, const char *op)
{
	if (!my_is_op(c, 0, op))
		return false;
	my_next(c);
	return true;
}

bool my_at_end(my_ctx *c)
{
	int k = c->toks[c->pos].kind;
	return k == MT_DELIM || k == MT_EOF;
}

/* How a token reads in a message: the statement's end has no text. */
static const char *tok_desc(const my_tok *t, char *buf, size_t n)
{
	if (t->kind == MT_EOF)
		return "end of file";
	if (t->kind == MT_DELIM)
		return "end of statement";
	snprintf(buf, n, "\"%.40s\"", t->text);
	return buf;
}

int my_fail(my_ctx *c, const my_tok *t, const char *fmt, ...)
{
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error_set(c->e, EXIT_USAGE, "%s:%d:%d: %s", c->filename, t->line,
		  t->col, strbuf_str(&sb));
	strbuf_release(&sb);
	return -1;
}

void my_warn(my_ctx *c, const my_tok *t, const char *fmt, ...)
{
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	model_add_warning(c->m, "%s:%d:%d: %s", c->filename, t->line, t->col,
			  strbuf_str(&sb));
	strbuf_release(&sb);
}

int my_expect(my_ctx *c, const char *word)
{
	if (my_accept(c, word))
		return 0;
	char buf[64];
	my_tok *t = my_peek(c, 0);
	return my_fail(c, t, "expected %s, found %s", word,
		       tok_desc(t, buf, sizeof(buf)));
}

int my_expect_op(my_ctx *c, const char *op)
{
	if (my_accept_op(c, op))
		return 0;
	char buf[64];
	my_tok *t = my_peek(c, 0);
	return my_fail(c, t, "expected \"%s\", found %s", op,
		       tok_desc(t, buf, sizeof(buf)));
}

char *my_str(my_ctx *c, const char *s)
{
	return model_str(c->m, s);
}

char *my_ident(my_ctx *c, const char *what)
{
	my_tok *t = my_peek(c, 0);
	if ((t->kind == MT_WORD || t->kind == MT_QIDENT) && *t->text) {
		my_next(c);
		return t->text;
	}
	/* A string is accepted where a name is (the server does so for
	 * aliases and some names; dumps never need it, people write it). */
	if (t->kind == MT_STRING && *t->text) {
		my_next(c);
		return t->text;
	}
	char buf[64];
	my_fail(c, t, "expected %s, found %s", what,
		tok_desc(t, buf, sizeof(buf)));
	return NULL;
}

/* The schema a database name stands for: "" for the file's own. */
static char *schema_of(my_ctx *c, const char *db)
{
	if (c->home_db && strcmp(db, c->home_db) == 0)
		return "";
	return my_str(c, db);
}

int my_qualname(my_ctx *c, char **schema, char **name, const char *what)
{
	char *first = my_ident(c, what);
	if (!first)
		return -1;
	/* db.name: the lexer reads ".5" after a name as punctuation. */
	if (my_is_op(c, 0, ".")) {
		my_next(c);
		char *second = my_ident(c, what);
		if (!second)
			return -1;
		*schema = schema_of(c, first);
		*name = second;
		return 0;
	}
	*schema = c->cur_db;
	*name = first;
	return 0;
}

void my_skip_statement(my_ctx *c)
{
	while (!my_at_end(c))
		my_next(c);
}

void my_skip_to_comma(my_ctx *c)
{
	int depth = 0;
	while (!my_at_end(c)) {
		if (depth == 0 && (my_is_op(c, 0, ",") || my_is_op(c, 0, ")")))
			return;
		if (my_is_op(c, 0, "("))
			depth++;
		else if (my_is_op(c, 0, ")"))
			depth--;
		my_next(c);
	}
}

/* Table names compare case-sensitively, as on a Linux server with the
 * default lower_case_table_names=0. */
my_table *my_find_table(my_ctx *c, const char *schema, const char *name)
{
	for (int i = 0; i < c->ntables; i++) {
		my_table *t = &c->tables[i];
		if (!t->dropped && strcmp(t->schema, schema) == 0 &&
		    strcmp(t->name, name) == 0)
			return t;
	}
	return NULL;
}

my_table *my_add_table(my_ctx *c, const char *schema, const char *name)
{
	my_table *t =
	    ARENA_PUSH(&c->m->arena, c->tables, c->ntables, c->ctables);
	t->schema = my_str(c, schema);
	t->name = my_str(c, name);
	t->ibfk_next = 1;
	t->check_next = 1;
	return t;
}

/* CREATE DATABASE / SCHEMA: the first database a file names is the one
 * it is about (a dump's `CREATE DATABASE shop; USE shop;`), so its
 * objects get the schema "". Later ones are only noted. */
static int create_database(my_ctx *c)
{
	(void)(my_accept(c, "IF") && my_accept(c, "NOT") &&
	       my_accept(c, "EXISTS"));
	char *name = my_ident(c, "a database name");
	if (!name)
		return -1;
	bool home = !c->home_db || strcmp(c->home_db, name) == 0;
	if (!c->home_db)
		c->home_db = name;
	while (!my_at_end(c)) {
		char **into = NULL;
		my_accept(c, "DEFAULT");
		if (my_accept(c, "CHARSET") ||
		    (my_accept(c, "CHARACTER") && my_accept(c, "SET")))
			into = &c->db_charset;
		else if (my_accept(c, "COLLATE"))
			into = &c->db_collation;
		else {
			my_next(c);
			continue;
		}
		my_accept_op(c, "=");
		my_tok *v = my_next(c);
		if (home && (v->kind == MT_WORD || v->kind == MT_QIDENT ||
			     v->kind == MT_STRING))
			*into = v->text;
	}
	return 0;
}

static int use_database(my_ctx *c)
{
	char *name = my_ident(c, "a database name");
	if (!name)
		return -1;
	if (!c->home_db)
		c->home_db = name;
	c->cur_db = strcmp(name, c->home_db) == 0 ? "" : name;
	return 0;
}

/* An identifier upper-cased (a keyword's value: MERGE, INVOKER). */
static char *my_upper_ident(my_ctx *c, const char *what)
{
	char *w = my_ident(c, what);
	if (!w)
		return NULL;
	w = my_str(c, w);
	for (char *p = w; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return w;
}

/* DEFINER = user@host | CURRENT_USER[()]: environment, not schema. */
static int skip_definer(my_ctx *c)
{
	if (my_expect_op(c, "="))
		return -1;
	if (my_accept(c, "CURRENT_USER")) {
		if (my_accept_op(c, "("))
			return my_expect_op(c, ")");
		return 0;
	}
	if (!my_ident(c, "a user name"))
		return -1;
	if (my_accept_op(c, "@")) {
		if (!my_ident(c, "a host name"))
			return -1;
	} else if (my_peek(c, 0)->kind == MT_WORD &&
		   my_peek(c, 0)->text[0] == '@') {
		my_next(c);
	}
	return 0;
}

/* The statements a dump holds that say nothing about the schema. */
static const char *const skipped[] = {
    "SET",	"LOCK",	 "UNLOCK", "INSERT",   "REPLACE",
    "COMMIT",	"BEGIN", "START",  "ROLLBACK", "ANALYZE",
    "OPTIMIZE", "FLUSH", "GRANT",  "REVOKE",   NULL};

static int create_stmt(my_ctx *c, int start)
{
	char kind = 0;
	(void)(my_accept(c, "OR") && my_accept(c, "REPLACE"));
	if (my_is(c, 0, "DATABASE") || my_is(c, 0, "SCHEMA")) {
		my_next(c);
		return create_database(c);
	}
	if (my_is(c, 0, "TABLE") || my_is(c, 0, "TEMPORARY")) {
		c->pos = start + 1;
		return my_create_table(c);
	}
	if (my_accept(c, "UNIQUE"))
		kind = 'u';
	else if (my_accept(c, "FULLTEXT"))
		kind = 'F';
	else if (my_accept(c, "SPATIAL"))
		kind = 'S';
	if (kind || my_is(c, 0, "INDEX")) {
		if (my_expect(c, "INDEX"))
			return -1;
		return my_create_index(c, kind ? kind : 'i');
	}
	/* The view and routine prefixes in any order mysqldump uses. */
	c->view_algorithm = c->view_security = NULL;
	for (;;) {
		if (my_accept(c, "ALGORITHM")) {
			if (my_expect_op(c, "=") ||
			    !(c->view_algorithm =
				  my_upper_ident(c, "an algorithm")))
				return -1;
		} else if (my_accept(c, "DEFINER")) {
			if (skip_definer(c))
				return -1;
		} else if (my_accept(c, "SQL")) {
			if (my_expect(c, "SECURITY") ||
			    !(c->view_security =
				  my_upper_ident(c, "DEFINER or INVOKER")))
				return -1;
		} else
			break;
	}
	if (my_accept(c, "VIEW"))
		return my_create_view(c, start);
	if (my_accept(c, "TRIGGER"))
		return my_create_routine(c, start, "TRIGGER");
	if (my_accept(c, "PROCEDURE"))
		return my_create_routine(c, start, "PROCEDURE");
	if (my_accept(c, "FUNCTION"))
		return my_create_routine(c, start, "FUNCTION");
	return 1;
}

/* The first words of the statement at `start`, for a message. */
static void first_words(my_ctx *c, int start, strbuf *sb)
{
	for (int i = start, n = 0; i < c->ntoks && n < 3; i++, n++) {
		my_tok *t = &c->toks[i];
		if (t->kind == MT_DELIM || t->kind == MT_EOF)
			break;
		if (n)
			strbuf_addch(sb, ' ');
		strbuf_add(sb, c->src + t->start,
			   t->end - t->start > 40 ? 40 : t->end - t->start);
	}
}

static int statement(my_ctx *c)
{
	int start = c->pos;
	my_tok *first = my_peek(c, 0);
	int r = 1;
	if (first->kind == MT_WORD) {
		for (int i = 0; skipped[i]; i++)
			if (strcasecmp(first->text, skipped[i]) == 0) {
				my_skip_statement(c);
				return 0;
			}
		if (my_accept(c, "CREATE"))
			r = create_stmt(c, start);
		else if (my_accept(c, "ALTER")) {
			(void)(my_accept(c, "ONLINE") ||
			       my_accept(c, "IGNORE"));
			if (my_accept(c, "TABLE"))
				r = my_alter_table(c);
			else if (my_is(c, 0, "DATABASE") ||
				 my_is(c, 0, "SCHEMA")) {
				my_skip_statement(c);
				r = 0;
			}
		} else if (my_accept(c, "DROP"))
			r = my_drop(c);
		else if (my_accept(c, "RENAME")) {
			if (my_accept(c, "TABLE"))
				r = my_rename_table(c);
		} else if (my_accept(c, "USE"))
			r = use_database(c);
	}
	if (r < 0)
		return -1;
	if (r > 0) {
		strbuf sb = STRBUF_INIT;
		first_words(c, start, &sb);
		my_fail(c, first, "unsupported statement \"%s\"",
			strbuf_str(&sb));
		strbuf_release(&sb);
		return -1;
	}
	if (!my_at_end(c)) {
		char buf[64];
		my_tok *t = my_peek(c, 0);
		return my_fail(c, t, "unexpected %s",
			       tok_desc(t, buf, sizeof(buf)));
	}
	return 0;
}

int my_parse(model *m, const char *sql, const char *filename, error *e)
{
	my_ctx c = {
	    .m = m, .e = e, .filename = filename, .src = sql, .cur_db = ""};
	if (my_lex(&c))
		return -1;
	while (c.toks[c.pos].kind != MT_EOF) {
		if (c.toks[c.pos].kind == MT_DELIM) {
			c.pos++;
			continue;
		}
		if (statement(&c))
			return -1;
	}
	if (my_emit(&c))
		return -1;
	my_view_deps(m);
	model_sort(m);
	return 0;
}
