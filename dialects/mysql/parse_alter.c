/*
 * ALTER TABLE, CREATE INDEX, DROP and RENAME TABLE for the MySQL/MariaDB
 * parser: each changes the tables gathered so far, as the server would
 * (a dropped column leaves the keys it was part of, a key left with no
 * column goes).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mysql.h"
#include "parse_internal.h"

static my_table *need_table(my_ctx *c, const my_tok *at, const char *schema,
			    const char *name)
{
	my_table *t = my_find_table(c, schema, name);
	if (!t)
		my_fail(c, at,
			"table \"%s\" is not created before this "
			"statement",
			name);
	return t;
}

static int find_column(const my_table *t, const char *name)
{
	for (int i = 0; i < t->ncolumns; i++)
		if (strcasecmp(t->columns[i].name, name) == 0)
			return i;
	return -1;
}

static int find_key(const my_table *t, const char *name)
{
	for (int i = 0; i < t->nkeys; i++)
		if (t->keys[i].name && strcasecmp(t->keys[i].name, name) == 0)
			return i;
	return -1;
}

/* Remove item i. The freed last slot is zeroed: ARENA_PUSH hands it
 * out again as it is. */
#define REMOVE_AT(arr, n, i)                                                   \
	do {                                                                   \
		memmove(&(arr)[(i)], &(arr)[(i) + 1],                          \
			sizeof(*(arr)) * (size_t)((n) - (i)-1));               \
		(n)--;                                                         \
		memset(&(arr)[(n)], 0, sizeof(*(arr)));                        \
	} while (0)

void my_drop_column_refs(my_ctx *c, my_table *t, const char *col)
{
	(void)c;
	for (int i = 0; i < t->nkeys; i++) {
		my_key *k = &t->keys[i];
		for (int j = 0; j < k->nparts; j++)
			if (k->parts[j].column &&
			    strcasecmp(k->parts[j].column, col) == 0) {
				REMOVE_AT(k->parts, k->nparts, j);
				j--;
			}
		if (k->nparts == 0) {
			REMOVE_AT(t->keys, t->nkeys, i);
			i--;
		}
	}
	for (int i = 0; i < t->nchecks; i++)
		if (t->checks[i].column &&
		    strcasecmp(t->checks[i].column, col) == 0) {
			REMOVE_AT(t->checks, t->nchecks, i);
			i--;
		}
}

/* FIRST | AFTER col: move column `i` there. */
static int position(my_ctx *c, my_table *t, int i)
{
	int to;
	if (my_accept(c, "FIRST"))
		to = 0;
	else if (my_accept(c, "AFTER")) {
		my_tok *at = my_peek(c, 0);
		char *after = my_ident(c, "a column name");
		if (!after)
			return -1;
		int a = find_column(t, after);
		if (a < 0 || a == i)
			return my_fail(c, at,
				       "no column \"%s\" in table \"%s\"",
				       after, t->name);
		to = a < i ? a + 1 : a;
	} else
		return 0;
	m_column moved = t->columns[i];
	REMOVE_AT(t->columns, t->ncolumns, i);
	memmove(&t->columns[to + 1], &t->columns[to],
		sizeof(m_column) * (size_t)(t->ncolumns - to));
	t->columns[to] = moved;
	t->ncolumns++;
	return 0;
}

/* ADD [COLUMN] def | ADD [COLUMN] (def, ...) | ADD key/constraint */
static int alter_add(my_ctx *c, my_table *t)
{
	bool column = my_accept(c, "COLUMN");
	bool if_not = my_accept(c, "IF") && !my_expect(c, "NOT") &&
		      !my_expect(c, "EXISTS");
	if (c->e->msg)
		return -1;
	if (!column) {
		int r = my_table_constraint(c, t);
		if (r <= 0)
			return r;
	}
	bool list = my_accept_op(c, "(");
	do {
		my_tok *at = my_peek(c, 0);
		char *name = my_ident(c, "a column name");
		if (!name)
			return -1;
		if (find_column(t, name) >= 0) {
			if (!if_not)
				return my_fail(c, at,
					       "column \"%s\" of table \"%s\" "
					       "is added twice",
					       name, t->name);
			/* ADD COLUMN IF NOT EXISTS (MariaDB): read the
			 * definition into a table nobody keeps. */
			my_table scratch = {.name = t->name,
					    .schema = t->schema};
			m_column col = {.name = name};
			if (my_column_def(c, &scratch, &col, &col.charset,
					  &col.collation))
				return -1;
			if (!my_accept(c, "FIRST") && my_accept(c, "AFTER") &&
			    !my_ident(c, "a column name"))
				return -1;
			continue;
		}
		m_column *col = ARENA_PUSH(&c->m->arena, t->columns,
					   t->ncolumns, t->ccolumns);
		col->name = name;
		if (my_column_def(c, t, col, &col->charset, &col->collation) ||
		    position(c, t, t->ncolumns - 1))
			return -1;
	} while (list && my_accept_op(c, ","));
	return list ? my_expect_op(c, ")") : 0;
}

/* Keys and foreign keys follow a renamed column. */
static void rename_in_keys(my_table *t, const char *old, char *name)
{
	for (int k = 0; k < t->nkeys; k++)
		for (int j = 0; j < t->keys[k].nparts; j++)
			if (t->keys[k].parts[j].column &&
			    !strcasecmp(t->keys[k].parts[j].column, old))
				t->keys[k].parts[j].column = name;
	for (int k = 0; k < t->nfkeys; k++)
		for (int j = 0; j < t->fkeys[k].ncolumns; j++)
			if (!strcasecmp(t->fkeys[k].columns[j], old))
				t->fkeys[k].columns[j] = name;
}

/* MODIFY [COLUMN] name def | CHANGE [COLUMN] old new def */
static int alter_modify(my_ctx *c, my_table *t, bool change)
{
	my_accept(c, "COLUMN");
	(void)(my_accept(c, "IF") && my_accept(c, "EXISTS"));
	my_tok *at = my_peek(c, 0);
	char *old = my_ident(c, "a column name");
	if (!old)
		return -1;
	int i = find_column(t, old);
	if (i < 0)
		return my_fail(c, at, "no column \"%s\" in table \"%s\"", old,
			       t->name);
	char *name = old;
	if (change && !(name = my_ident(c, "a column name")))
		return -1;
	m_column col = {.name = name};
	if (my_column_def(c, t, &col, &col.charset, &col.collation))
		return -1;
	if (strcasecmp(old, name) != 0) {
		if (find_column(t, name) >= 0)
			return my_fail(c, at,
				       "column \"%s\" already exists in "
				       "table \"%s\"",
				       name, t->name);
		rename_in_keys(t, old, name);
	}
	t->columns[i] = col;
	return position(c, t, i);
}

static int alter_drop(my_ctx *c, my_table *t)
{
	my_tok *at = my_peek(c, 0);
	if (my_accept(c, "PRIMARY")) {
		if (my_expect(c, "KEY"))
			return -1;
		int k = find_key(t, "PRIMARY");
		if (k < 0)
			return my_fail(c, at, "table \"%s\" has no primary key",
				       t->name);
		REMOVE_AT(t->keys, t->nkeys, k);
		return 0;
	}
	bool fk = false, key = false, check = false;
	if (my_accept(c, "FOREIGN")) {
		if (my_expect(c, "KEY"))
			return -1;
		fk = true;
	} else if (my_accept(c, "INDEX") || my_accept(c, "KEY"))
		key = true;
	else if (my_accept(c, "CHECK"))
		check = true;
	else if (!my_accept(c, "CONSTRAINT"))
		my_accept(c, "COLUMN");
	else
		fk = key = check = true;
	bool column = !fk && !key && !check;
	bool if_exists = my_accept(c, "IF") && !my_expect(c, "EXISTS");
	if (c->e->msg)
		return -1;
	at = my_peek(c, 0);
	char *name = my_ident(c, "a name");
	if (!name)
		return -1;
	if (column) {
		int i = find_column(t, name);
		/* The server refuses to drop a foreign key's column. */
		for (int k = 0; i >= 0 && k < t->nfkeys; k++)
			for (int j = 0; j < t->fkeys[k].ncolumns; j++)
				if (!strcasecmp(t->fkeys[k].columns[j], name))
					return my_fail(
					    c, at,
					    "column \"%s\" of table "
					    "\"%s\" is used by foreign "
					    "key \"%s\"",
					    name, t->name, t->fkeys[k].name);
		if (i >= 0) {
			REMOVE_AT(t->columns, t->ncolumns, i);
			my_drop_column_refs(c, t, name);
			return 0;
		}
	}
	if (fk)
		for (int i = 0; i < t->nfkeys; i++)
			if (t->fkeys[i].name &&
			    !strcasecmp(t->fkeys[i].name, name)) {
				REMOVE_AT(t->fkeys, t->nfkeys, i);
				return 0;
			}
	if (key) {
		int i = find_key(t, name);
		if (i >= 0) {
			REMOVE_AT(t->keys, t->nkeys, i);
			return 0;
		}
	}
	if (check)
		for (int i = 0; i < t->nchecks; i++)
			if (t->checks[i].name &&
			    !strcasecmp(t->checks[i].name, name)) {
				REMOVE_AT(t->checks, t->nchecks, i);
				return 0;
			}
	if (if_exists)
		return 0;
	return my_fail(c, at, "table \"%s\" has no %s \"%s\" to drop", t->name,
		       column ? "column"
		       : fk   ? "foreign key"
			      : "index",
		       name);
}

/* InnoDB renames the foreign keys it named with the table. */
static void set_table_name(my_ctx *c, my_table *t, char *schema, char *name)
{
	size_t ol = strlen(t->name);
	for (int i = 0; i < t->nfkeys; i++) {
		char *n = t->fkeys[i].name;
		if (n && strncmp(n, t->name, ol) == 0 &&
		    strncmp(n + ol, "_ibfk_", 6) == 0)
			t->fkeys[i].name =
			    arena_sprintf(&c->m->arena, "%s%s", name, n + ol);
	}
	t->schema = schema;
	t->name = name;
}

static int alter_rename(my_ctx *c, my_table *t)
{
	my_tok *at = my_peek(c, 0);
	if (my_accept(c, "COLUMN")) {
		char *old = my_ident(c, "a column name");
		if (!old)
			return -1;
		int i = find_column(t, old);
		if (i < 0)
			return my_fail(c, at,
				       "no column \"%s\" in table \"%s\"", old,
				       t->name);
		char *name;
		if (my_expect(c, "TO") ||
		    !(name = my_ident(c, "a column name")))
			return -1;
		rename_in_keys(t, old, name);
		t->columns[i].name = name;
		return 0;
	}
	if (my_accept(c, "INDEX") || my_accept(c, "KEY")) {
		char *old = my_ident(c, "an index name"), *name;
		if (!old)
			return -1;
		int k = find_key(t, old);
		if (k < 0)
			return my_fail(c, at, "no index \"%s\" on table \"%s\"",
				       old, t->name);
		if (my_expect(c, "TO") ||
		    !(name = my_ident(c, "an index name")))
			return -1;
		t->keys[k].name = name;
		return 0;
	}
	(void)(my_accept(c, "TO") || my_accept(c, "AS"));
	char *schema, *name;
	at = my_peek(c, 0);
	if (my_qualname(c, &schema, &name, "a table name"))
		return -1;
	if (my_find_table(c, schema, name))
		return my_fail(c, at, "table \"%s\" already exists", name);
	set_table_name(c, t, schema, name);
	return 0;
}

static int alter_column(my_ctx *c, my_table *t)
{
	my_accept(c, "COLUMN");
	my_tok *at = my_peek(c, 0);
	char *name = my_ident(c, "a column name");
	if (!name)
		return -1;
	int i = find_column(t, name);
	if (i < 0)
		return my_fail(c, at, "no column \"%s\" in table \"%s\"", name,
			       t->name);
	m_column *col = &t->columns[i];
	if (my_accept(c, "SET")) {
		if (my_accept(c, "VISIBLE") || my_accept(c, "INVISIBLE")) {
			col->invisible =
			    !strcasecmp(c->toks[c->pos - 1].text, "INVISIBLE");
			return 0;
		}
		if (my_expect(c, "DEFAULT"))
			return -1;
		return my_parse_default(c, col, &col->default_expr);
	}
	if (my_accept(c, "DROP")) {
		if (my_expect(c, "DEFAULT"))
			return -1;
		col->default_expr = NULL;
		return 0;
	}
	return my_fail(c, my_peek(c, 0),
		       "expected SET DEFAULT or DROP "
		       "DEFAULT");
}

int my_alter_table(my_ctx *c)
{
	(void)(my_accept(c, "IF") && my_accept(c, "EXISTS"));
	my_tok *at = my_peek(c, 0);
	char *schema, *name;
	if (my_qualname(c, &schema, &name, "a table name"))
		return -1;
	my_table *t = need_table(c, at, schema, name);
	if (!t)
		return -1;
	/* InnoDB numbers a new unnamed foreign key past the highest
	 * <table>_ibfk_N the table has before the statement. */
	size_t tl = strlen(t->name);
	t->ibfk_next = 1;
	for (int i = 0; i < t->nfkeys; i++) {
		const char *n = t->fkeys[i].name;
		if (n && strncmp(n, t->name, tl) == 0 &&
		    strncmp(n + tl, "_ibfk_", 6) == 0 &&
		    atoi(n + tl + 6) >= t->ibfk_next)
			t->ibfk_next = atoi(n + tl + 6) + 1;
	}
	do {
		int r;
		at = my_peek(c, 0);
		if (my_accept(c, "ADD"))
			r = alter_add(c, t);
		else if (my_accept(c, "MODIFY"))
			r = alter_modify(c, t, false);
		else if (my_accept(c, "CHANGE"))
			r = alter_modify(c, t, true);
		else if (my_accept(c, "DROP"))
			r = alter_drop(c, t);
		else if (my_accept(c, "RENAME"))
			r = alter_rename(c, t);
		else if (my_accept(c, "ALTER"))
			r = alter_column(c, t);
		else if ((my_is(c, 0, "ALGORITHM") || my_is(c, 0, "LOCK")) &&
			 my_next(c)) {
			my_accept_op(c, "=");
			r = my_ident(c, "a value") ? 0 : -1;
		} else if (my_accept(c, "FORCE"))
			r = 0;
		else if (my_accept(c, "CONVERT")) {
			r = my_expect(c, "TO");
			my_skip_to_comma(c);
			if (!r)
				my_warn(c, at,
					"CONVERT TO CHARACTER SET does not "
					"retype the columns here: load "
					"the file for the exact result");
		} else if (my_is(c, 0, "ENABLE") || my_is(c, 0, "DISABLE") ||
			   my_is(c, 0, "ORDER")) {
			my_skip_to_comma(c);
			r = 0;
		} else {
			/* Table options, up to the next comma. */
			int from = c->pos;
			my_skip_to_comma(c);
			int end = c->pos;
			if (end == from)
				return my_fail(c, at,
					       "expected an ALTER TABLE "
					       "action");
			c->pos = from;
			/* my_table_options stops at the statement's end:
			 * parse a copy bounded by the comma. */
			my_tok saved = c->toks[end];
			c->toks[end].kind = MT_DELIM;
			r = my_table_options(c, t);
			c->toks[end] = saved;
		}
		if (r)
			return -1;
	} while (my_accept_op(c, ","));
	my_settle_table(c, t);
	return 0;
}

/* CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name [USING x] ON tbl (parts) */
int my_create_index(my_ctx *c, char kind)
{
	bool if_not = my_accept(c, "IF") && !my_expect(c, "NOT") &&
		      !my_expect(c, "EXISTS");
	if (c->e->msg)
		return -1;
	char *iname = my_ident(c, "an index name");
	if (!iname)
		return -1;
	if (my_accept(c, "USING") && !my_ident(c, "an index type"))
		return -1;
	if (my_expect(c, "ON"))
		return -1;
	my_tok *at = my_peek(c, 0);
	char *schema, *name;
	if (my_qualname(c, &schema, &name, "a table name"))
		return -1;
	my_table *t = need_table(c, at, schema, name);
	if (!t)
		return -1;
	if (find_key(t, iname) >= 0 && if_not) {
		my_skip_statement(c);
		return 0;
	}
	if (find_key(t, iname) >= 0)
		return my_fail(c, at,
			       "index \"%s\" already exists on table "
			       "\"%s\"",
			       iname, name);
	my_key *k = ARENA_PUSH(&c->m->arena, t->keys, t->nkeys, t->ckeys);
	k->kind = kind;
	k->name = iname;
	if (my_key_parts(c, k))
		return -1;
	/* Options and ALGORITHM= / LOCK=: nothing for the schema. */
	while (!my_at_end(c)) {
		if (my_accept(c, "COMMENT")) {
			my_tok *s = my_next(c);
			k->comment = *s->text ? s->text : NULL;
		} else
			my_next(c);
	}
	my_settle_table(c, t);
	return 0;
}

int my_rename_table(my_ctx *c)
{
	do {
		my_tok *at = my_peek(c, 0);
		char *schema, *name, *ns, *nn;
		if (my_qualname(c, &schema, &name, "a table name"))
			return -1;
		my_table *t = need_table(c, at, schema, name);
		if (!t || my_expect(c, "TO"))
			return -1;
		at = my_peek(c, 0);
		if (my_qualname(c, &ns, &nn, "a table name"))
			return -1;
		if (my_find_table(c, ns, nn))
			return my_fail(c, at, "table \"%s\" already exists",
				       nn);
		set_table_name(c, t, ns, nn);
	} while (my_accept_op(c, ","));
	return 0;
}

/* DROP INDEX name ON tbl */
static int drop_index(my_ctx *c)
{
	(void)(my_accept(c, "IF") && my_accept(c, "EXISTS"));
	my_tok *nt = my_peek(c, 0);
	char *iname = my_ident(c, "an index name");
	if (!iname || my_expect(c, "ON"))
		return -1;
	my_tok *at = my_peek(c, 0);
	char *schema, *name;
	if (my_qualname(c, &schema, &name, "a table name"))
		return -1;
	my_table *t = need_table(c, at, schema, name);
	if (!t)
		return -1;
	int k = find_key(t, iname);
	if (k < 0)
		return my_fail(c, nt, "no index \"%s\" on table \"%s\"", iname,
			       name);
	REMOVE_AT(t->keys, t->nkeys, k);
	my_skip_statement(c);
	return 0;
}

int my_drop(my_ctx *c)
{
	my_accept(c, "TEMPORARY");
	if (my_accept(c, "INDEX"))
		return drop_index(c);
	if (my_accept(c, "DATABASE") || my_accept(c, "SCHEMA")) {
		my_skip_statement(c);
		return 0;
	}
	const char *kind = NULL;
	if (my_accept(c, "TABLE") || my_accept(c, "TABLES"))
		kind = "TABLE";
	else if (my_accept(c, "VIEW"))
		kind = "VIEW";
	else if (my_accept(c, "TRIGGER"))
		kind = "TRIGGER";
	else if (my_accept(c, "PROCEDURE"))
		kind = "PROCEDURE";
	else if (my_accept(c, "FUNCTION"))
		kind = "FUNCTION";
	else
		return 1;
	bool if_exists = my_accept(c, "IF") && !my_expect(c, "EXISTS");
	if (c->e->msg)
		return -1;
	do {
		my_tok *at = my_peek(c, 0);
		char *schema, *name;
		if (my_qualname(c, &schema, &name, "a name"))
			return -1;
		int found = 0;
		if (!strcmp(kind, "TABLE")) {
			my_table *t = my_find_table(c, schema, name);
			if (t) {
				t->dropped = true;
				found = 1;
			}
		} else
			found = my_drop_object(c, kind, schema, name);
		if (!found && !if_exists)
			return my_fail(c, at,
				       "DROP %s \"%s\": the file does not "
				       "create it before",
				       kind, name);
	} while (my_accept_op(c, ","));
	(void)(my_accept(c, "RESTRICT") || my_accept(c, "CASCADE"));
	return 0;
}
