/*
 * CREATE TABLE for the MySQL/MariaDB parser: column definitions with
 * every attribute, keys, foreign keys and CHECKs (inline and as table
 * elements), and the table options. What the server names itself (an
 * unnamed key, foreign key or CHECK) is named later, in parse_emit.c,
 * once the whole table is known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mysql.h"
#include "parse_internal.h"

static my_key *add_key(my_ctx *c, my_table *t, char kind, char *name)
{
	my_key *k = ARENA_PUSH(&c->m->arena, t->keys, t->nkeys, t->ckeys);
	k->kind = kind;
	k->name = name;
	return k;
}

static void add_part(my_ctx *c, my_key *k, char *column)
{
	my_keypart *p =
	    ARENA_PUSH(&c->m->arena, k->parts, k->nparts, k->cparts);
	p->column = column;
}

/* ( col [(len)] [ASC|DESC] | (expr) [ASC|DESC], ... ) */
int my_key_parts(my_ctx *c, my_key *k)
{
	if (my_expect_op(c, "("))
		return -1;
	do {
		my_keypart *p =
		    ARENA_PUSH(&c->m->arena, k->parts, k->nparts, k->cparts);
		if (my_is_op(c, 0, "(")) {
			if (!(p->expr = my_paren_expr(c)))
				return -1;
		} else {
			if (!(p->column = my_ident(c, "a column name")))
				return -1;
			if (my_accept_op(c, "(")) {
				my_tok *n = my_next(c);
				if (n->kind != MT_NUMBER)
					return my_fail(
					    c, n, "expected a prefix length");
				p->prefix = atoi(n->text);
				if (my_expect_op(c, ")"))
					return -1;
			}
		}
		if (my_accept(c, "DESC"))
			p->desc = true;
		else
			my_accept(c, "ASC");
	} while (my_accept_op(c, ","));
	return my_expect_op(c, ")");
}

/* Index options; COMMENT and IGNORED / INVISIBLE are kept (the rest
 * is storage detail). */
static int key_options(my_ctx *c, my_key *k)
{
	for (;;) {
		if (my_accept(c, "USING")) {
			if (!my_ident(c, "an index type"))
				return -1;
		} else if (my_accept(c, "COMMENT")) {
			my_accept_op(c, "=");
			my_tok *s = my_next(c);
			if (s->kind != MT_STRING)
				return my_fail(c, s,
					       "expected a quoted comment");
			k->comment = *s->text ? s->text : NULL;
		} else if (my_accept(c, "KEY_BLOCK_SIZE") ||
			   my_accept(c, "CLUSTERING") ||
			   my_accept(c, "ENGINE_ATTRIBUTE") ||
			   my_accept(c, "SECONDARY_ENGINE_ATTRIBUTE")) {
			my_accept_op(c, "=");
			my_next(c);
		} else if (my_accept(c, "WITH")) {
			if (my_expect(c, "PARSER") || !my_ident(c, "a parser"))
				return -1;
		} else if (my_accept(c, "NOT")) {
			if (my_expect(c, "IGNORED"))
				return -1;
			k->hidden = NULL;
		} else if (my_accept(c, "VISIBLE")) {
			k->hidden = NULL;
		} else if (my_accept(c, "INVISIBLE")) {
			k->hidden = "INVISIBLE";
		} else if (my_accept(c, "IGNORED")) {
			k->hidden = "IGNORED";
		} else
			return 0;
	}
}

static const char *fk_action(my_ctx *c)
{
	if (my_accept(c, "CASCADE"))
		return "CASCADE";
	if (my_accept(c, "RESTRICT"))
		return "";
	if (my_accept(c, "SET")) {
		if (my_accept(c, "NULL"))
			return "SET NULL";
		if (my_accept(c, "DEFAULT"))
			return "SET DEFAULT";
		return NULL;
	}
	if (my_accept(c, "NO") && my_accept(c, "ACTION"))
		return "";
	return NULL;
}

/* REFERENCES tbl (cols) [MATCH x] [ON DELETE a] [ON UPDATE a] */
static int references(my_ctx *c, my_fkey *f)
{
	if (my_expect(c, "REFERENCES") ||
	    my_qualname(c, &f->ref_schema, &f->ref_table, "a table name"))
		return -1;
	if (my_expect_op(c, "("))
		return -1;
	do {
		char *col = my_ident(c, "a column name");
		if (!col)
			return -1;
		*ARENA_PUSH(&c->m->arena, f->ref_columns, f->nref_columns,
			    f->cref_columns) = col;
	} while (my_accept_op(c, ","));
	if (my_expect_op(c, ")"))
		return -1;
	if (my_accept(c, "MATCH") && !my_ident(c, "FULL, PARTIAL or SIMPLE"))
		return -1;
	while (my_is(c, 0, "ON")) {
		my_tok *on = my_next(c);
		bool del = my_accept(c, "DELETE");
		if (!del && my_expect(c, "UPDATE"))
			return -1;
		const char *a = fk_action(c);
		if (!a)
			return my_fail(c, on, "expected a foreign key action");
		char *v = *a ? (char *)a : NULL;
		if (del)
			f->on_delete = v;
		else
			f->on_update = v;
	}
	return 0;
}

static my_fkey *add_fkey(my_ctx *c, my_table *t, char *name)
{
	my_fkey *f = ARENA_PUSH(&c->m->arena, t->fkeys, t->nfkeys, t->cfkeys);
	f->name = name;
	return f;
}

static my_check *add_check(my_ctx *c, my_table *t, char *name, char *column)
{
	my_check *k =
	    ARENA_PUSH(&c->m->arena, t->checks, t->nchecks, t->cchecks);
	k->name = name;
	k->column = column;
	return k;
}

/* CHECK (expr) [[NOT] ENFORCED] */
static int check_body(my_ctx *c, my_check *k)
{
	if (!(k->expr = my_paren_expr(c)))
		return -1;
	if (my_accept(c, "NOT")) {
		if (my_expect(c, "ENFORCED"))
			return -1;
		my_warn(c, my_peek(c, 0),
			"CHECK NOT ENFORCED is kept as an enforced CHECK");
	} else
		my_accept(c, "ENFORCED");
	return 0;
}

int my_column_def(my_ctx *c, my_table *t, m_column *col, char **charset,
		  char **collation)
{
	bool serial = my_is(c, 0, "SERIAL");
	if (my_parse_type(c, col, charset, collation))
		return -1;
	if (serial)
		add_part(c, add_key(c, t, 'u', NULL), col->name);
	for (;;) {
		int k = my_charset_attr(c, charset, collation);
		if (k < 0)
			return -1;
		if (k == 0)
			continue;
		my_tok *at = my_peek(c, 0);
		if (my_accept(c, "NOT")) {
			if (my_expect(c, "NULL"))
				return -1;
			col->not_null = true;
		} else if (my_accept(c, "NULL"))
			col->not_null = false;
		else if (my_accept(c, "DEFAULT")) {
			if (my_parse_default(c, col, &col->default_expr))
				return -1;
		} else if (my_accept(c, "AUTO_INCREMENT")) {
			col->auto_increment = col->not_null = true;
		} else if (my_accept(c, "ON")) {
			if (my_expect(c, "UPDATE"))
				return -1;
			if (!(col->on_update = my_now(c)))
				return c->e->msg ? -1
						 : my_fail(c, my_peek(c, 0),
							   "ON UPDATE takes "
							   "CURRENT_TIMESTAMP");
		} else if (my_accept(c, "COMMENT")) {
			my_tok *s = my_next(c);
			if (s->kind != MT_STRING)
				return my_fail(c, s,
					       "expected a quoted comment");
			col->comment = *s->text ? s->text : NULL;
		} else if (my_accept(c, "INVISIBLE"))
			col->invisible = true;
		else if (my_accept(c, "VISIBLE"))
			col->invisible = false;
		else if (my_is(c, 0, "GENERATED") || my_is(c, 0, "AS")) {
			if (my_accept(c, "GENERATED") && my_expect(c, "ALWAYS"))
				return -1;
			if (my_expect(c, "AS") ||
			    !(col->generated_expr = my_paren_expr(c)))
				return -1;
			col->gen_virtual = true;
			if (my_accept(c, "STORED") ||
			    my_accept(c, "PERSISTENT"))
				col->gen_virtual = false;
			else
				my_accept(c, "VIRTUAL");
		} else if (my_is(c, 0, "PRIMARY") || my_is(c, 0, "KEY")) {
			my_accept(c, "PRIMARY");
			if (my_expect(c, "KEY"))
				return -1;
			add_part(c, add_key(c, t, 'p', "PRIMARY"), col->name);
			col->not_null = true;
		} else if (my_accept(c, "UNIQUE")) {
			my_accept(c, "KEY");
			add_part(c, add_key(c, t, 'u', NULL), col->name);
		} else if (my_is(c, 0, "CHECK") || my_is(c, 0, "CONSTRAINT")) {
			char *name = NULL;
			if (my_accept(c, "CONSTRAINT") &&
			    !my_is(c, 0, "CHECK") &&
			    !(name = my_ident(c, "a constraint name")))
				return -1;
			if (my_expect(c, "CHECK") ||
			    check_body(c, add_check(c, t, name, col->name)))
				return -1;
		} else if (my_is(c, 0, "REFERENCES")) {
			my_fkey *f = add_fkey(c, t, NULL);
			*ARENA_PUSH(&c->m->arena, f->columns, f->ncolumns,
				    f->ccolumns) = col->name;
			if (references(c, f))
				return -1;
		} else if (my_accept(c, "COLUMN_FORMAT") ||
			   my_accept(c, "STORAGE") || my_accept(c, "SRID")) {
			my_next(c);
		} else if (my_accept(c, "SERIAL")) {
			if (my_expect(c, "DEFAULT") || my_expect(c, "VALUE"))
				return -1;
			col->auto_increment = col->not_null = true;
			add_part(c, add_key(c, t, 'u', NULL), col->name);
		} else if (my_is_op(c, 0, ",") || my_is_op(c, 0, ")") ||
			   my_at_end(c) || my_is(c, 0, "FIRST") ||
			   my_is(c, 0, "AFTER"))
			return 0;
		else {
			char buf[48];
			snprintf(buf, sizeof(buf), "%.40s", at->text);
			return my_fail(c, at,
				       "unexpected \"%s\" in the definition of "
				       "column \"%s\"",
				       buf, col->name);
		}
	}
}

/* An optional key name: absent before "(" and USING. */
static char *opt_key_name(my_ctx *c)
{
	my_tok *t = my_peek(c, 0);
	if (t->kind == MT_QIDENT ||
	    (t->kind == MT_WORD && strcasecmp(t->text, "USING") != 0)) {
		my_next(c);
		return t->text;
	}
	return NULL;
}

int my_table_constraint(my_ctx *c, my_table *t)
{
	char *sym = NULL;
	bool has_sym = false;
	if (my_accept(c, "CONSTRAINT")) {
		has_sym = true;
		if (!my_is(c, 0, "PRIMARY") && !my_is(c, 0, "UNIQUE") &&
		    !my_is(c, 0, "FOREIGN") && !my_is(c, 0, "CHECK") &&
		    !(sym = my_ident(c, "a constraint name")))
			return -1;
	}
	my_key *k = NULL;
	if (my_accept(c, "PRIMARY")) {
		if (my_expect(c, "KEY"))
			return -1;
		k = add_key(c, t, 'p', "PRIMARY");
		if (my_accept(c, "USING"))
			my_next(c);
	} else if (my_accept(c, "UNIQUE")) {
		(void)(my_accept(c, "KEY") || my_accept(c, "INDEX"));
		char *name = opt_key_name(c);
		k = add_key(c, t, 'u', name ? name : sym);
	} else if (!has_sym && (my_accept(c, "KEY") || my_accept(c, "INDEX"))) {
		k = add_key(c, t, 'i', opt_key_name(c));
	} else if (!has_sym &&
		   (my_is(c, 0, "FULLTEXT") || my_is(c, 0, "SPATIAL"))) {
		char kind = my_is(c, 0, "FULLTEXT") ? 'F' : 'S';
		my_next(c);
		(void)(my_accept(c, "KEY") || my_accept(c, "INDEX"));
		k = add_key(c, t, kind, opt_key_name(c));
	} else if (my_accept(c, "FOREIGN")) {
		if (my_expect(c, "KEY"))
			return -1;
		my_fkey *f = add_fkey(c, t, sym);
		if (!my_is_op(c, 0, "("))
			f->index = opt_key_name(c);
		if (my_expect_op(c, "("))
			return -1;
		do {
			char *col = my_ident(c, "a column name");
			if (!col)
				return -1;
			*ARENA_PUSH(&c->m->arena, f->columns, f->ncolumns,
				    f->ccolumns) = col;
		} while (my_accept_op(c, ","));
		if (my_expect_op(c, ")"))
			return -1;
		return references(c, f);
	} else if (my_accept(c, "CHECK")) {
		return check_body(c, add_check(c, t, sym, NULL));
	} else if (has_sym)
		return my_fail(c, my_peek(c, 0),
			       "expected PRIMARY KEY, UNIQUE, FOREIGN KEY or "
			       "CHECK after CONSTRAINT");
	else
		return 1;
	if (my_accept(c, "USING") && !my_ident(c, "an index type"))
		return -1;
	if (my_key_parts(c, k) || key_options(c, k))
		return -1;
	return 0;
}

/* ENGINE names as SHOW CREATE TABLE spells them. */
static char *engine_name(my_ctx *c, const char *e)
{
	static const char *const known[] = {
	    "InnoDB",	 "MyISAM",  "MEMORY",	 "Aria",
	    "CSV",	 "ARCHIVE", "BLACKHOLE", "MRG_MyISAM",
	    "FEDERATED", "ROCKSDB", "SEQUENCE",	 NULL};
	for (int i = 0; known[i]; i++)
		if (strcasecmp(e, known[i]) == 0)
			return (char *)known[i];
	if (strcasecmp(e, "HEAP") == 0)
		return "MEMORY";
	if (strcasecmp(e, "MERGE") == 0 || strcasecmp(e, "MRG_MYISAM") == 0)
		return "MRG_MyISAM";
	return my_str(c, e);
}

static char *option_value(my_ctx *c)
{
	my_accept_op(c, "=");
	my_tok *v = my_next(c);
	if (v->kind == MT_DELIM || v->kind == MT_EOF || v->kind == MT_OP) {
		my_fail(c, v, "expected a table option's value");
		return NULL;
	}
	return v->text;
}

int my_table_options(my_ctx *c, my_table *t)
{
	while (!my_at_end(c)) {
		my_tok *at = my_peek(c, 0);
		char *v = NULL;
		if (my_accept_op(c, ","))
			continue;
		if (my_is(c, 0, "PARTITION") && my_is(c, 1, "BY")) {
			int from = c->pos;
			my_skip_statement(c);
			t->partitioning = my_render_upper(c, from, c->pos);
			return 0;
		}
		bool dflt = my_accept(c, "DEFAULT");
		if (my_accept(c, "ENGINE") || my_accept(c, "TYPE")) {
			if (!(v = option_value(c)))
				return -1;
			t->engine = engine_name(c, v);
		} else if (my_accept(c, "CHARSET") ||
			   (my_accept(c, "CHARACTER") &&
			    !my_expect(c, "SET"))) {
			if (!(v = option_value(c)))
				return -1;
			t->charset = v;
		} else if (my_accept(c, "COLLATE")) {
			if (!(v = option_value(c)))
				return -1;
			t->collation = v;
		} else if (c->e->msg)
			return -1;
		else if (dflt)
			return my_fail(c, my_peek(c, 0),
				       "expected CHARSET or COLLATE after "
				       "DEFAULT");
		else if (my_accept(c, "ROW_FORMAT")) {
			if (!(v = option_value(c)))
				return -1;
			t->row_format =
			    strcasecmp(v, "DEFAULT") == 0 ? NULL : my_str(c, v);
			for (char *p = t->row_format; p && *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 32);
		} else if (my_accept(c, "COMMENT")) {
			my_accept_op(c, "=");
			my_tok *s = my_next(c);
			if (s->kind != MT_STRING)
				return my_fail(c, s,
					       "expected a quoted comment");
			t->comment = *s->text ? s->text : NULL;
		} else if (my_accept(c, "KEY_BLOCK_SIZE")) {
			if (!(v = option_value(c)))
				return -1;
			t->key_block_size = strcmp(v, "0") ? v : NULL;
		} else if (my_accept(c, "UNION")) {
			my_accept_op(c, "=");
			my_skip_to_comma(c);
			if (my_accept_op(c, "(")) {
				my_skip_to_comma(c);
				my_expect_op(c, ")");
			}
		} else if (at->kind == MT_WORD) {
			/* Storage details (AUTO_INCREMENT, KEY_BLOCK_SIZE,
			 * STATS_*, PAGE_CHECKSUM...): not schema. */
			my_next(c);
			if (!option_value(c))
				return -1;
		} else
			return my_fail(c, at,
				       "unexpected \"%.40s\" in table "
				       "options",
				       at->text);
	}
	return 0;
}

static int table_body(my_ctx *c, my_table *t)
{
	do {
		int r = my_table_constraint(c, t);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		char *name = my_ident(c, "a column name");
		if (!name)
			return -1;
		for (int i = 0; i < t->ncolumns; i++)
			if (strcasecmp(t->columns[i].name, name) == 0)
				return my_fail(
				    c, &c->toks[c->pos - 1],
				    "duplicate column \"%s\" in table "
				    "\"%s\"",
				    name, t->name);
		m_column *col = ARENA_PUSH(&c->m->arena, t->columns,
					   t->ncolumns, t->ccolumns);
		col->name = name;
		if (my_column_def(c, t, col, &col->charset, &col->collation))
			return -1;
	} while (my_accept_op(c, ","));
	return my_expect_op(c, ")");
}

/* CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] name
 * { (elements) [options] | LIKE other } */
int my_create_table(my_ctx *c)
{
	bool replace = my_accept(c, "OR") && !my_expect(c, "REPLACE");
	if (c->e->msg)
		return -1;
	if (my_accept(c, "TEMPORARY")) {
		my_warn(c, my_peek(c, 0),
			"a TEMPORARY table is not schema: "
			"skipped");
		my_skip_statement(c);
		return 0;
	}
	if (my_expect(c, "TABLE"))
		return -1;
	bool if_not = my_accept(c, "IF") && !my_expect(c, "NOT") &&
		      !my_expect(c, "EXISTS");
	if (c->e->msg)
		return -1;
	my_tok *at = my_peek(c, 0);
	char *schema, *name;
	if (my_qualname(c, &schema, &name, "a table name"))
		return -1;
	my_table *old = my_find_table(c, schema, name);
	if (old && if_not) {
		my_skip_statement(c);
		return 0;
	}
	if (old && !replace)
		return my_fail(c, at, "table \"%s\" is created twice", name);
	if (old)
		old->dropped = true;
	if (my_accept(c, "LIKE") ||
	    (my_is_op(c, 0, "(") && my_is(c, 1, "LIKE") && my_next(c) &&
	     my_next(c))) {
		char *ls, *ln;
		my_tok *lt = my_peek(c, 0);
		if (my_qualname(c, &ls, &ln, "a table name"))
			return -1;
		my_accept_op(c, ")");
		my_table *src = my_find_table(c, ls, ln);
		if (!src)
			return my_fail(c, lt,
				       "CREATE TABLE LIKE names \"%s\", "
				       "which the file does not create "
				       "before",
				       ln);
		/* A copy: the arrays are shared until one side changes,
		 * so give the new table its own. */
		my_table copy = *src;
		my_table *t = my_add_table(c, schema, name);
		src = my_find_table(c, ls, ln);
		copy.schema = t->schema;
		copy.name = t->name;
		copy.columns = NULL;
		copy.ncolumns = copy.ccolumns = 0;
		for (int i = 0; i < src->ncolumns; i++)
			*ARENA_PUSH(&c->m->arena, copy.columns, copy.ncolumns,
				    copy.ccolumns) = src->columns[i];
		copy.keys = NULL;
		copy.nkeys = copy.ckeys = 0;
		for (int i = 0; i < src->nkeys; i++) {
			my_key *k = ARENA_PUSH(&c->m->arena, copy.keys,
					       copy.nkeys, copy.ckeys);
			*k = src->keys[i];
			/* Parts of its own: an ALTER of one table must not
			 * change the other's. */
			k->parts = NULL;
			k->nparts = k->cparts = 0;
			for (int j = 0; j < src->keys[i].nparts; j++)
				*ARENA_PUSH(&c->m->arena, k->parts, k->nparts,
					    k->cparts) = src->keys[i].parts[j];
		}
		/* LIKE copies CHECKs but not foreign keys. */
		copy.fkeys = NULL;
		copy.nfkeys = copy.cfkeys = 0;
		copy.checks = NULL;
		copy.nchecks = copy.cchecks = 0;
		for (int i = 0; i < src->nchecks; i++)
			*ARENA_PUSH(&c->m->arena, copy.checks, copy.nchecks,
				    copy.cchecks) = src->checks[i];
		*t = copy;
		my_settle_table(c, t);
		return 0;
	}
	if (!my_is_op(c, 0, "("))
		return my_fail(c, my_peek(c, 0),
			       "CREATE TABLE \"%s\" without a column list "
			       "(CREATE TABLE ... SELECT) is not supported",
			       name);
	my_next(c);
	my_table *t = my_add_table(c, schema, name);
	int idx = (int)(t - c->tables);
	if (table_body(c, &c->tables[idx]) ||
	    my_table_options(c, &c->tables[idx]))
		return -1;
	if (c->tables[idx].ncolumns == 0)
		return my_fail(c, at, "table \"%s\" has no columns", name);
	my_settle_table(c, &c->tables[idx]);
	return 0;
}
