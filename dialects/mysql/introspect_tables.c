/*
 * Introspection of tables and their columns: options, types, charsets
 * and collations relative to the table's, defaults, the column
 * attributes (AUTO_INCREMENT, ON UPDATE, INVISIBLE, generated).
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "introspect_internal.h"

static char *opt_str(model *m, const char *s)
{
	return s && *s ? model_str(m, s) : NULL;
}

/* ROW_FORMAT or KEY_BLOCK_SIZE as declared: CREATE_OPTIONS holds
 * "row_format=COMPACT key_block_size=8" (TABLES.ROW_FORMAT is what the
 * engine uses, declared or not). */
static char *declared_option(model *m, const char *options, const char *key)
{
	const char *p = options ? strstr(options, key) : NULL;
	char buf[32];
	size_t n;
	if (!p)
		return NULL;
	p += strlen(key);
	n = strcspn(p, " ");
	if (!n || n >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)toupper((unsigned char)p[i]);
	buf[n] = '\0';
	return strcmp(buf, "DEFAULT") && strcmp(buf, "0") ? model_str(m, buf)
							  : NULL;
}

void my_build_tables(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_TABLES];
	int c_name = my_rows_col(r, "name"), c_type = my_rows_col(r, "type"),
	    c_engine = my_rows_col(r, "engine"),
	    c_coll = my_rows_col(r, "collation"),
	    c_cs = my_rows_col(r, "charset"),
	    c_opts = my_rows_col(r, "options"),
	    c_comment = my_rows_col(r, "comment");
	for (int i = 0; i < r->n; i++) {
		const char *type = my_rows_val(r, i, c_type);
		const char *name = my_rows_val(r, i, c_name);
		if (!type || !name || !strcmp(type, "VIEW"))
			continue;
		/* MariaDB's sequences and system-versioned tables are
		 * tables to INFORMATION_SCHEMA; the model has no place for
		 * what makes them so. */
		if (!strcmp(type, "SEQUENCE")) {
			model_add_warning(m,
					  "sequence `%s` is not supported for "
					  "MySQL/MariaDB and was skipped",
					  name);
			continue;
		}
		if (strcmp(type, "BASE TABLE"))
			model_add_warning(m,
					  "table `%s` is %s: read as a plain "
					  "table",
					  name, type);
		m_table *t = model_add_table(m);
		t->schema = model_str(m, "");
		t->name = model_str(m, name);
		t->engine = opt_str(m, my_rows_val(r, i, c_engine));
		t->collation = opt_str(m, my_rows_val(r, i, c_coll));
		t->charset = opt_str(m, my_rows_val(r, i, c_cs));
		t->row_format = declared_option(m, my_rows_val(r, i, c_opts),
						"row_format=");
		t->key_block_size = declared_option(
		    m, my_rows_val(r, i, c_opts), "key_block_size=");
		t->comment = opt_str(m, my_rows_val(r, i, c_comment));
		strmap_put_int(&cat->tables, name, m->ntables);
	}
}

/* The word after "on update " in EXTRA ("on update current_timestamp(3)"
 * on MariaDB, "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)" on
 * MySQL), canonical. */
static char *on_update(model *m, const char *extra)
{
	const char *p = extra ? strcasestr(extra, "on update ") : NULL;
	strbuf sb = STRBUF_INIT;
	char *out;
	if (!p)
		return NULL;
	p += strlen("on update ");
	size_t n = strcspn(p, " ");
	strbuf_add(&sb, p, n);
	strbuf canon = STRBUF_INIT;
	my_canon_default(&canon, strbuf_str(&sb), "timestamp", true, false);
	out = model_str(m, strbuf_str(&canon));
	strbuf_release(&sb);
	strbuf_release(&canon);
	return out;
}

/* EXTRA holds space-separated flags; a flag is a whole word. */
static bool has_flag(const char *extra, const char *flag)
{
	size_t n = strlen(flag);
	for (const char *p = extra; p && (p = strcasestr(p, flag)); p += n)
		if ((p == extra || p[-1] == ' ') && (!p[n] || p[n] == ' '))
			return true;
	return false;
}

/*
 * mysql.h's rule: a column's collation and charset are kept only when
 * they differ from the table's; a charset's default collation is kept
 * as the charset (what CHARACTER SET x alone gives), any other as the
 * collation (which names its charset).
 */
static void column_collation(model *m, const my_catalog *cat, const m_table *t,
			     m_column *col, const char *charset,
			     const char *collation)
{
	if (!collation || !*collation ||
	    (t->collation && !strcmp(collation, t->collation)))
		return;
	const char *dflt =
	    charset ? strmap_get(&cat->default_collation, charset) : NULL;
	if (dflt && !strcmp(dflt, collation))
		col->charset = model_str(m, charset);
	else
		col->collation = model_str(m, collation);
}

void my_build_columns(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_COLUMNS];
	int c_tbl = my_rows_col(r, "tbl"), c_name = my_rows_col(r, "name"),
	    c_dflt = my_rows_col(r, "dflt"),
	    c_null = my_rows_col(r, "nullable"),
	    c_type = my_rows_col(r, "type"), c_cs = my_rows_col(r, "charset"),
	    c_coll = my_rows_col(r, "collation"),
	    c_extra = my_rows_col(r, "extra"),
	    c_comment = my_rows_col(r, "comment"),
	    c_gen = my_rows_col(r, "gen");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < r->n; i++) {
		int ti = my_table_index(cat, my_rows_val(r, i, c_tbl));
		if (ti < 0)
			continue; /* a view's column */
		m_table *t = &m->tables[ti];
		m_column *col = model_table_add_column(m, t);
		const char *extra = my_rows_val(r, i, c_extra);
		const char *gen = my_rows_val(r, i, c_gen);
		col->name = model_str(m, my_rows_val(r, i, c_name));
		strbuf_reset(&sb);
		my_canon_type(&sb, my_rows_val(r, i, c_type));
		col->type = model_str(m, strbuf_str(&sb));
		const char *nullable = my_rows_val(r, i, c_null);
		col->not_null = nullable && !strcmp(nullable, "NO");
		column_collation(m, cat, t, col, my_rows_val(r, i, c_cs),
				 my_rows_val(r, i, c_coll));
		col->auto_increment = has_flag(extra, "auto_increment");
		col->invisible = has_flag(extra, "INVISIBLE");
		col->on_update = on_update(m, extra);
		if (gen && *gen &&
		    (has_flag(extra, "GENERATED") ||
		     has_flag(extra, "PERSISTENT"))) {
			col->generated_expr = model_str(m, gen);
			col->gen_virtual = has_flag(extra, "VIRTUAL");
		} else {
			strbuf_reset(&sb);
			my_canon_default(&sb, my_rows_val(r, i, c_dflt),
					 col->type, cat->mariadb,
					 has_flag(extra, "DEFAULT_GENERATED"));
			if (sb.len)
				col->default_expr =
				    model_str(m, strbuf_str(&sb));
		}
		const char *comment = my_rows_val(r, i, c_comment);
		col->comment =
		    comment && *comment ? model_str(m, comment) : NULL;
	}
	strbuf_release(&sb);
}
