/*
 * DDL text from the model for MySQL and MariaDB: a name, a column's
 * definition, a whole CREATE TABLE. One spelling, used by the differ
 * for every statement it writes, so that what it creates reads back
 * (parsed or introspected) as the model it came from.
 */
#include <string.h>

#include "mysql.h"

void my_qname(strbuf *sb, const char *schema, const char *name)
{
	/* The URL's own database is "" (mysql.h): unqualified. */
	if (schema && *schema) {
		my_quote_ident(sb, schema);
		strbuf_addch(sb, '.');
	}
	my_quote_ident(sb, name);
}

bool my_type_has_collation(const char *type)
{
	static const char *const textual[] = {
	    "char",	  "varchar",  "tinytext", "text",
	    "mediumtext", "longtext", "enum",	  "set",
	};
	size_t n = strcspn(type, "( ");
	for (size_t i = 0; i < sizeof(textual) / sizeof(*textual); i++)
		if (strlen(textual[i]) == n && !strncmp(type, textual[i], n))
			return true;
	return false;
}

void my_column_sql_in(strbuf *sb, const m_column *c, const char *charset,
		      const char *collation)
{
	my_quote_ident(sb, c->name);
	strbuf_addf(sb, " %s", c->type);
	if (!c->charset && !c->collation && my_type_has_collation(c->type)) {
		if (charset)
			strbuf_addf(sb, " CHARACTER SET %s", charset);
		if (collation)
			strbuf_addf(sb, " COLLATE %s", collation);
	}
	if (c->charset)
		strbuf_addf(sb, " CHARACTER SET %s", c->charset);
	if (c->collation)
		strbuf_addf(sb, " COLLATE %s", c->collation);
	if (c->generated_expr)
		strbuf_addf(sb, " GENERATED ALWAYS AS (%s) %s",
			    c->generated_expr,
			    c->gen_virtual ? "VIRTUAL" : "STORED");
	/* NULL said outright: a TIMESTAMP column is NOT NULL by default on
	 * servers with explicit_defaults_for_timestamp off. MariaDB takes
	 * neither after a generated column's expression. */
	if (c->not_null)
		strbuf_adds(sb, " NOT NULL");
	else if (!c->generated_expr)
		strbuf_adds(sb, " NULL");
	if (c->default_expr && !c->generated_expr)
		strbuf_addf(sb, " DEFAULT %s", c->default_expr);
	if (c->on_update)
		strbuf_addf(sb, " ON UPDATE %s", c->on_update);
	if (c->auto_increment)
		strbuf_adds(sb, " AUTO_INCREMENT");
	if (c->invisible)
		strbuf_adds(sb, " INVISIBLE");
	if (c->comment) {
		strbuf_adds(sb, " COMMENT ");
		my_quote_text(sb, c->comment);
	}
}

const m_constraint *my_column_check(const m_table *t, const char *col)
{
	for (int i = 0; t && i < t->nconstraints; i++) {
		const m_constraint *k = &t->constraints[i];
		if (k->kind == M_CON_CHECK && k->ncolumns == 1 &&
		    !strcmp(k->columns[0], col))
			return k;
	}
	return NULL;
}

void my_column_sql(strbuf *sb, const m_column *c)
{
	my_column_sql_in(sb, c, NULL, NULL);
}

/* "PRIMARY KEY (`a`)" and the like, after ADD or in CREATE TABLE. */
void my_constraint_sql(strbuf *sb, const m_constraint *k)
{
	if (k->kind != M_CON_PRIMARY) {
		strbuf_adds(sb, "CONSTRAINT ");
		my_quote_ident(sb, k->name);
		strbuf_addch(sb, ' ');
	}
	strbuf_adds(sb, k->definition);
}

/* An index as a CREATE TABLE element: "KEY `i` (`a`)", from its
 * definition "CREATE [UNIQUE |FULLTEXT |SPATIAL ]INDEX `i` ON `t` (...)". */
static void index_element(strbuf *sb, const m_index *x)
{
	const char *d = x->definition;
	const char *kind = "";
	if (!strncmp(d, "CREATE UNIQUE ", 14))
		kind = "UNIQUE ";
	else if (!strncmp(d, "CREATE FULLTEXT ", 16))
		kind = "FULLTEXT ";
	else if (!strncmp(d, "CREATE SPATIAL ", 15))
		kind = "SPATIAL ";
	const char *parts = strstr(d, " (");
	strbuf_addf(sb, "%sKEY ", kind);
	my_quote_ident(sb, x->name);
	strbuf_adds(sb, parts ? parts : " ()");
}

void my_index_element_sql(strbuf *sb, const m_index *x)
{
	index_element(sb, x);
}

static void table_options(strbuf *sb, const m_table *t)
{
	if (t->engine)
		strbuf_addf(sb, " ENGINE=%s", t->engine);
	if (t->charset)
		strbuf_addf(sb, " DEFAULT CHARSET=%s", t->charset);
	if (t->collation)
		strbuf_addf(sb, " COLLATE=%s", t->collation);
	if (t->row_format)
		strbuf_addf(sb, " ROW_FORMAT=%s", t->row_format);
	if (t->key_block_size)
		strbuf_addf(sb, " KEY_BLOCK_SIZE=%s", t->key_block_size);
	if (t->comment) {
		strbuf_adds(sb, " COMMENT=");
		my_quote_text(sb, t->comment);
	}
}

void my_table_options_sql(strbuf *sb, const m_table *t)
{
	table_options(sb, t);
}

/*
 * CREATE TABLE with its columns, primary key, checks and indexes; its
 * foreign keys are added on their own (they may name tables made
 * later), and so is its partitioning (after the keys it needs).
 */
void my_table_create_sql(strbuf *sb, const model *m, const m_table *t)
{
	strbuf_adds(sb, "CREATE TABLE ");
	my_qname(sb, t->schema, t->name);
	strbuf_adds(sb, " (");
	const char *sep = "\n  ";
	for (int i = 0; i < t->ncolumns; i++) {
		strbuf_adds(sb, sep);
		my_column_sql(sb, &t->columns[i]);
		const m_constraint *ck = my_column_check(t, t->columns[i].name);
		if (ck)
			strbuf_addf(sb, " %s", ck->definition);
		sep = ",\n  ";
	}
	for (int i = 0; i < t->nconstraints; i++) {
		const m_constraint *k = &t->constraints[i];
		if (k->kind == M_CON_FOREIGN ||
		    (k->kind == M_CON_CHECK && k->ncolumns == 1))
			continue;
		strbuf_adds(sb, sep);
		my_constraint_sql(sb, k);
	}
	for (int i = 0; i < m->nindexes; i++) {
		const m_index *x = &m->indexes[i];
		if (strcmp(x->schema, t->schema) || strcmp(x->table, t->name))
			continue;
		strbuf_adds(sb, sep);
		index_element(sb, x);
	}
	strbuf_adds(sb, "\n)");
	table_options(sb, t);
	if (t->partitioning)
		strbuf_addf(sb, " %s", t->partitioning);
}

/* "CREATE [OR REPLACE ][options ]VIEW `v` AS query[ WITH .. CHECK
 * OPTION]". */
void my_view_create_sql(strbuf *sb, const m_view *v, bool replace)
{
	strbuf_adds(sb, replace ? "CREATE OR REPLACE " : "CREATE ");
	if (v->options)
		strbuf_addf(sb, "%s ", v->options);
	strbuf_adds(sb, "VIEW ");
	my_qname(sb, v->schema, v->name);
	/* The parser keeps a column list as "(`a`,`b`) AS query". */
	strbuf_addf(sb, !strncmp(v->definition, "(`", 2) ? " %s" : " AS %s",
		    v->definition);
	if (v->check_option)
		strbuf_addf(sb, " WITH %s CHECK OPTION", v->check_option);
}

/* "DROP TRIGGER `tr`", "DROP FUNCTION `f`", "DROP PROCEDURE `p`". */
void my_routine_drop_sql(strbuf *sb, const m_function *f)
{
	strbuf_addf(sb, "DROP %s ", f->kind == 'f' ? "FUNCTION" : "PROCEDURE");
	my_qname(sb, f->schema, f->name);
}

void my_trigger_drop_sql(strbuf *sb, const m_trigger *t)
{
	strbuf_adds(sb, "DROP TRIGGER ");
	my_qname(sb, t->schema, t->name);
}
