/*
 * The last steps of the MySQL/MariaDB parser: naming what the server
 * names itself when a statement ends (my_settle_table), and writing the
 * tables gathered into the model in the canonical forms of
 * dialects/mysql/mysql.h (my_emit).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mysql.h"
#include "parse_internal.h"

static bool key_name_taken(const my_table *t, const char *name)
{
	for (int i = 0; i < t->nkeys; i++)
		if (t->keys[i].name && strcasecmp(t->keys[i].name, name) == 0)
			return true;
	return false;
}

/* The server's rule: the first column's name, then name_2, name_3... */
static char *unique_key_name(my_ctx *c, const my_table *t, const char *base)
{
	if (!key_name_taken(t, base) && strcasecmp(base, "PRIMARY") != 0)
		return my_str(c, base);
	for (int n = 2;; n++) {
		char *name = arena_sprintf(&c->m->arena, "%s_%d", base, n);
		if (!key_name_taken(t, name))
			return name;
	}
}

/* Does a key start with exactly these columns, whole (no prefix)? */
static bool key_serves(const my_key *k, char *const *cols, int n)
{
	if (k->kind == 'F' || k->kind == 'S' || k->nparts < n)
		return false;
	for (int i = 0; i < n; i++)
		if (!k->parts[i].column || k->parts[i].prefix ||
		    strcasecmp(k->parts[i].column, cols[i]) != 0)
			return false;
	return true;
}

void my_settle_table(my_ctx *c, my_table *t)
{
	for (int i = 0; i < t->nkeys; i++) {
		my_key *k = &t->keys[i];
		if (k->name)
			continue;
		k->name =
		    unique_key_name(c, t,
				    k->parts[0].column ? k->parts[0].column
						       : "functional_index");
	}
	/* A foreign key needs an index starting with its columns: the
	 * server adds one, named after the FOREIGN KEY's index name, its
	 * CONSTRAINT name or its first column. */
	for (int i = 0; i < t->nfkeys; i++) {
		my_fkey *f = &t->fkeys[i];
		bool served = false;
		for (int j = 0; j < t->nkeys && !served; j++)
			served =
			    key_serves(&t->keys[j], f->columns, f->ncolumns);
		if (served)
			continue;
		const char *base = f->index  ? f->index
				   : f->name ? f->name
					     : f->columns[0];
		char *name = unique_key_name(c, t, base);
		my_key *k =
		    ARENA_PUSH(&c->m->arena, t->keys, t->nkeys, t->ckeys);
		k->kind = 'i';
		k->name = name;
		for (int j = 0; j < f->ncolumns; j++)
			ARENA_PUSH(&c->m->arena, k->parts, k->nparts, k->cparts)
			    ->column = f->columns[j];
	}
	/* Unnamed foreign keys: <table>_ibfk_N, N counting from 1 in CREATE
	 * TABLE and from past the highest before the statement in ALTER
	 * TABLE (my_alter_table sets ibfk_next), as InnoDB does. */
	for (int i = 0; i < t->nfkeys; i++)
		if (!t->fkeys[i].name)
			t->fkeys[i].name =
			    arena_sprintf(&c->m->arena, "%s_ibfk_%d", t->name,
					  t->ibfk_next++);
	/* The server makes the primary key's columns NOT NULL. */
	for (int i = 0; i < t->nkeys; i++)
		if (t->keys[i].kind == 'p')
			for (int j = 0; j < t->keys[i].nparts; j++)
				for (int k = 0; k < t->ncolumns; k++)
					if (t->keys[i].parts[j].column &&
					    !strcasecmp(
						t->columns[k].name,
						t->keys[i].parts[j].column))
						t->columns[k].not_null = true;
	/* CHECKs: MariaDB names a column's after the column and a table's
	 * CONSTRAINT_N (MySQL would say <table>_chk_N). */
	for (int i = 0; i < t->nchecks; i++) {
		my_check *k = &t->checks[i];
		if (k->name)
			continue;
		if (k->column) {
			k->name = k->column;
			continue;
		}
		for (;; t->check_next++) {
			char *n = arena_sprintf(&c->m->arena, "CONSTRAINT_%d",
						t->check_next);
			bool taken = false;
			for (int j = 0; j < t->nchecks; j++)
				taken |= t->checks[j].name &&
					 strcasecmp(t->checks[j].name, n) == 0;
			if (!taken) {
				k->name = n;
				break;
			}
		}
	}
}

/* utf8 is utf8mb3 on every server schemig targets. */
static char *charset_name(my_ctx *c, const char *s)
{
	if (!s)
		return NULL;
	char *r = my_str(c, s);
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strcmp(r, "utf8") == 0)
		return "utf8mb3";
	if (strncmp(r, "utf8_", 5) == 0)
		return arena_sprintf(&c->m->arena, "utf8mb3%s", r + 4);
	return r;
}

/* The default collation of a charset whose default is the same on
 * MySQL 8 and MariaDB; NULL for utf8mb4, whose default differs by
 * server and version (utf8mb4_general_ci, utf8mb4_0900_ai_ci,
 * utf8mb4_uca1400_ai_ci). */
static const char *default_collation(const char *cs)
{
	static const char *const map[] = {
	    "latin1", "latin1_swedish_ci", "utf8mb3", "utf8mb3_general_ci",
	    "ascii",  "ascii_general_ci",  "binary",  "binary",
	    "ucs2",   "ucs2_general_ci",   "utf16",   "utf16_general_ci",
	    "utf32",  "utf32_general_ci",  "latin2",  "latin2_general_ci",
	    "cp1251", "cp1251_general_ci", "greek",   "greek_general_ci",
	    NULL};
	for (int i = 0; map[i]; i += 2)
		if (strcmp(cs, map[i]) == 0)
			return map[i + 1];
	return NULL;
}

static char *charset_of(my_ctx *c, const char *collation)
{
	const char *u = strchr(collation, '_');
	return u ? arena_strndup(&c->m->arena, collation,
				 (size_t)(u - collation))
		 : my_str(c, collation);
}

static bool is_string_type(const char *type)
{
	return strstr(type, "char") || strstr(type, "text") ||
	       !strncmp(type, "enum", 4) || !strncmp(type, "set(", 4);
}

static void resolve_charsets(my_ctx *c, my_table *t)
{
	/* A table without its own takes the database's defaults. */
	if (!t->charset && !t->collation && *t->schema == '\0') {
		t->charset = c->db_charset;
		t->collation = c->db_collation;
	}
	t->charset = charset_name(c, t->charset);
	t->collation = charset_name(c, t->collation);
	if (t->collation && !t->charset)
		t->charset = charset_of(c, t->collation);
	if (t->charset && !t->collation && default_collation(t->charset))
		t->collation = (char *)default_collation(t->charset);
	for (int i = 0; i < t->ncolumns; i++) {
		m_column *col = &t->columns[i];
		char *cs = charset_name(c, col->charset);
		char *co = charset_name(c, col->collation);
		if (!is_string_type(col->type))
			cs = co = NULL;
		if (co && co[0] == '_') {
			/* BINARY after a string type: the _bin collation. */
			const char *base = cs ? cs : t->charset;
			co = base ? arena_sprintf(&c->m->arena, "%s_bin", base)
				  : NULL;
		}
		/* A charset alone has its default collation, when that is
		 * the same on every server. */
		if (cs && !co && default_collation(cs))
			co = (char *)default_collation(cs);
		if (co) {
			cs = NULL;
			const char *dflt = default_collation(charset_of(c, co));
			if (t->collation && strcmp(co, t->collation) == 0) {
				co = NULL;
			} else if (dflt && strcmp(dflt, co) == 0) {
				/* A charset's default collation is kept as the
				 * charset, as the introspection keeps it (what
				 * CHARACTER SET alone gives). */
				cs = charset_of(c, co);
				co = NULL;
			}
		} else if (cs && t->charset && strcmp(cs, t->charset) == 0 &&
			   !t->collation)
			/* Only when the table too has the charset's default
			 * collation: a column's CHARACTER SET alone means the
			 * charset's default, not the table's collation. */
			cs = NULL;
		col->charset = cs;
		col->collation = co;
	}
}

static void add_key_parts(strbuf *sb, const my_key *k)
{
	strbuf_addch(sb, '(');
	for (int i = 0; i < k->nparts; i++) {
		const my_keypart *p = &k->parts[i];
		if (i)
			strbuf_addch(sb, ',');
		if (p->column)
			my_quote_ident(sb, p->column);
		else
			strbuf_addf(sb, "(%s)", p->expr);
		if (p->prefix)
			strbuf_addf(sb, "(%d)", p->prefix);
		if (p->desc)
			strbuf_adds(sb, " DESC");
	}
	strbuf_addch(sb, ')');
}

static void add_table_name(strbuf *sb, const char *schema, const char *name)
{
	if (*schema) {
		my_quote_ident(sb, schema);
		strbuf_addch(sb, '.');
	}
	my_quote_ident(sb, name);
}

static void emit_keys(my_ctx *c, const my_table *t, m_table *mt)
{
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < t->nkeys; i++) {
		const my_key *k = &t->keys[i];
		strbuf_reset(&sb);
		if (k->kind == 'p') {
			m_constraint *con =
			    model_table_add_constraint(c->m, mt);
			con->name = "PRIMARY";
			con->kind = M_CON_PRIMARY;
			strbuf_adds(&sb, "PRIMARY KEY ");
			add_key_parts(&sb, k);
			con->definition = my_str(c, strbuf_str(&sb));
			for (int j = 0; j < k->nparts; j++)
				if (k->parts[j].column)
					*ARENA_PUSH(&c->m->arena, con->columns,
						    con->ncolumns,
						    con->ccolumns) =
					    k->parts[j].column;
			continue;
		}
		m_index *ix = model_add_index(c->m);
		ix->schema = t->schema;
		ix->table = t->name;
		ix->name = k->name;
		ix->unique = k->kind == 'u';
		ix->comment = k->comment;
		strbuf_addf(&sb, "CREATE %sINDEX ",
			    k->kind == 'u'   ? "UNIQUE "
			    : k->kind == 'F' ? "FULLTEXT "
			    : k->kind == 'S' ? "SPATIAL "
					     : "");
		my_quote_ident(&sb, k->name);
		strbuf_adds(&sb, " ON ");
		add_table_name(&sb, t->schema, t->name);
		strbuf_addch(&sb, ' ');
		add_key_parts(&sb, k);
		/* As the introspection writes it (introspect_keys.c). */
		if (k->hidden)
			strbuf_addf(&sb, " %s", k->hidden);
		if (k->comment) {
			strbuf_adds(&sb, " COMMENT ");
			my_canon_string(&sb, k->comment);
		}
		ix->definition = my_str(c, strbuf_str(&sb));
	}
	strbuf_release(&sb);
}

static void emit_fkeys(my_ctx *c, const my_table *t, m_table *mt)
{
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < t->nfkeys; i++) {
		const my_fkey *f = &t->fkeys[i];
		m_constraint *con = model_table_add_constraint(c->m, mt);
		con->name = f->name;
		con->kind = M_CON_FOREIGN;
		con->ref.schema = f->ref_schema;
		con->ref.name = f->ref_table;
		strbuf_reset(&sb);
		strbuf_adds(&sb, "FOREIGN KEY (");
		for (int j = 0; j < f->ncolumns; j++) {
			if (j)
				strbuf_addch(&sb, ',');
			my_quote_ident(&sb, f->columns[j]);
			*ARENA_PUSH(&c->m->arena, con->columns, con->ncolumns,
				    con->ccolumns) = f->columns[j];
		}
		strbuf_adds(&sb, ") REFERENCES ");
		add_table_name(&sb, f->ref_schema, f->ref_table);
		strbuf_adds(&sb, " (");
		for (int j = 0; j < f->nref_columns; j++) {
			if (j)
				strbuf_addch(&sb, ',');
			my_quote_ident(&sb, f->ref_columns[j]);
			*ARENA_PUSH(&c->m->arena, con->ref_columns,
				    con->nref_columns, con->cref_columns) =
			    f->ref_columns[j];
		}
		strbuf_addch(&sb, ')');
		if (f->on_delete)
			strbuf_addf(&sb, " ON DELETE %s", f->on_delete);
		if (f->on_update)
			strbuf_addf(&sb, " ON UPDATE %s", f->on_update);
		con->definition = my_str(c, strbuf_str(&sb));
	}
	for (int i = 0; i < t->nchecks; i++) {
		m_constraint *con = model_table_add_constraint(c->m, mt);
		con->name = t->checks[i].name;
		con->kind = M_CON_CHECK;
		con->definition = arena_sprintf(&c->m->arena, "CHECK (%s)",
						t->checks[i].expr);
		/* A column's own CHECK (mysql.h): its column listed. */
		if (t->checks[i].column)
			*ARENA_PUSH(&c->m->arena, con->columns, con->ncolumns,
				    con->ccolumns) = t->checks[i].column;
	}
	strbuf_release(&sb);
}

int my_emit(my_ctx *c)
{
	bool utf8mb4_noted = false;
	for (int i = 0; i < c->ntables; i++) {
		my_table *t = &c->tables[i];
		if (t->dropped)
			continue;
		resolve_charsets(c, t);
		if (t->charset && !t->collation && !utf8mb4_noted) {
			model_add_note(c->m,
				       "%s: the default collation of %s "
				       "differs by server: tables that name "
				       "only the charset keep no collation",
				       c->filename, t->charset);
			utf8mb4_noted = true;
		}
		m_table *mt = model_add_table(c->m);
		mt->schema = t->schema;
		mt->name = t->name;
		mt->comment = t->comment;
		mt->engine = t->engine;
		mt->charset = t->charset;
		mt->collation = t->collation;
		mt->row_format = t->row_format;
		mt->key_block_size = t->key_block_size;
		mt->partitioning = t->partitioning;
		for (int j = 0; j < t->ncolumns; j++)
			*model_table_add_column(c->m, mt) = t->columns[j];
		emit_keys(c, t, mt);
		emit_fkeys(c, t, mt);
	}
	return 0;
}
