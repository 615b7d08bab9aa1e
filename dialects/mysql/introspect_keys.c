/*
 * Introspection of keys and constraints: the primary key (a constraint),
 * the other keys (indexes), foreign keys, CHECK constraints (MariaDB's
 * JSON columns folded back), and partitioning.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect_internal.h"

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* One key part: "`a`", "`b`(10)", "`c` DESC", "(expr)". */
static void key_part(strbuf *sb, const char *col, const char *sub_part,
		     const char *dir, const char *expr)
{
	if (col) {
		my_quote_ident(sb, col);
		if (sub_part && *sub_part)
			strbuf_addf(sb, "(%s)", sub_part);
	} else {
		strbuf_addf(sb, "(%s)", expr ? expr : "");
	}
	if (dir && !strcmp(dir, "D"))
		strbuf_adds(sb, " DESC");
}

void my_build_indexes(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_STATISTICS];
	int c_tbl = my_rows_col(r, "tbl"), c_name = my_rows_col(r, "name"),
	    c_nu = my_rows_col(r, "non_unique"), c_col = my_rows_col(r, "col"),
	    c_sub = my_rows_col(r, "sub_part"), c_dir = my_rows_col(r, "dir"),
	    c_kind = my_rows_col(r, "kind"),
	    c_comment = my_rows_col(r, "comment"),
	    c_expr = my_rows_col(r, "expr"),
	    c_hidden = my_rows_col(r, "hidden");
	strbuf parts = STRBUF_INIT, def = STRBUF_INIT;
	/* Rows come by table, key, position: one key is a run of rows. */
	for (int i = 0; i < r->n;) {
		const char *tbl = my_rows_val(r, i, c_tbl);
		const char *name = my_rows_val(r, i, c_name);
		int ti = my_table_index(cat, tbl), j;
		m_constraint *pk = NULL;
		strbuf_reset(&parts);
		bool primary = same(name, "PRIMARY");
		if (ti >= 0 && primary) {
			pk = model_table_add_constraint(m, &m->tables[ti]);
			pk->name = model_str(m, "PRIMARY");
			pk->kind = M_CON_PRIMARY;
		}
		for (j = i; j < r->n && same(my_rows_val(r, j, c_tbl), tbl) &&
			    same(my_rows_val(r, j, c_name), name);
		     j++) {
			if (j > i)
				strbuf_addch(&parts, ',');
			/* MariaDB gives a SPATIAL key's part a SUB_PART
			 * (32) that no statement can write. */
			key_part(&parts, my_rows_val(r, j, c_col),
				 same(my_rows_val(r, j, c_kind), "SPATIAL")
				     ? NULL
				     : my_rows_val(r, j, c_sub),
				 my_rows_val(r, j, c_dir),
				 my_rows_val(r, j, c_expr));
			if (pk && my_rows_val(r, j, c_col))
				*ARENA_PUSH(&m->arena, pk->columns,
					    pk->ncolumns, pk->ccolumns) =
				    model_str(m, my_rows_val(r, j, c_col));
		}
		if (ti < 0) {
			i = j;
			continue;
		}
		strbuf_reset(&def);
		if (pk) {
			strbuf_addf(&def, "PRIMARY KEY (%s)",
				    strbuf_str(&parts));
			pk->definition = model_str(m, strbuf_str(&def));
			i = j;
			continue;
		}
		const char *kind = my_rows_val(r, i, c_kind);
		const char *nu = my_rows_val(r, i, c_nu);
		bool unique = nu && !strcmp(nu, "0");
		strbuf_adds(&def, "CREATE ");
		if (unique)
			strbuf_adds(&def, "UNIQUE ");
		else if (same(kind, "FULLTEXT") || same(kind, "SPATIAL"))
			strbuf_addf(&def, "%s ", kind);
		strbuf_adds(&def, "INDEX ");
		my_quote_ident(&def, name);
		strbuf_adds(&def, " ON ");
		my_quote_ident(&def, tbl);
		strbuf_addf(&def, " (%s)", strbuf_str(&parts));
		/* A key the optimizer must not use: each server has its own
		 * word for it. */
		if (same(my_rows_val(r, i, c_hidden), "YES"))
			strbuf_adds(&def,
				    cat->mariadb ? " IGNORED" : " INVISIBLE");
		const char *comment = my_rows_val(r, i, c_comment);
		/* The comment is part of the key's definition: changing it
		 * makes the key again, as the server does. */
		if (comment && *comment) {
			strbuf_adds(&def, " COMMENT ");
			my_canon_string(&def, comment);
		}
		m_index *ix = model_add_index(m);
		ix->schema = model_str(m, "");
		ix->table = model_str(m, tbl);
		ix->name = model_str(m, name);
		ix->definition = model_str(m, strbuf_str(&def));
		ix->unique = unique;
		ix->comment =
		    comment && *comment ? model_str(m, comment) : NULL;
		i = j;
	}
	strbuf_release(&parts);
	strbuf_release(&def);
}

/* RESTRICT and NO ACTION are the same in InnoDB and the default: only
 * the others are spelled. */
static void fk_action(strbuf *sb, const char *on, const char *rule)
{
	if (rule && strcmp(rule, "RESTRICT") && strcmp(rule, "NO ACTION"))
		strbuf_addf(sb, " ON %s %s", on, rule);
}

void my_build_foreign_keys(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_FOREIGN_KEYS];
	int c_tbl = my_rows_col(r, "tbl"), c_name = my_rows_col(r, "name"),
	    c_col = my_rows_col(r, "col"),
	    c_rschema = my_rows_col(r, "ref_schema"),
	    c_rtable = my_rows_col(r, "ref_table"),
	    c_rcol = my_rows_col(r, "ref_col"),
	    c_upd = my_rows_col(r, "on_update"),
	    c_del = my_rows_col(r, "on_delete");
	strbuf cols = STRBUF_INIT, refs = STRBUF_INIT, def = STRBUF_INIT;
	for (int i = 0; i < r->n;) {
		const char *tbl = my_rows_val(r, i, c_tbl);
		const char *name = my_rows_val(r, i, c_name);
		int ti = my_table_index(cat, tbl), j;
		m_constraint *fk = NULL;
		if (ti >= 0) {
			fk = model_table_add_constraint(m, &m->tables[ti]);
			fk->name = model_str(m, name);
			fk->kind = M_CON_FOREIGN;
		}
		strbuf_reset(&cols);
		strbuf_reset(&refs);
		for (j = i; j < r->n && same(my_rows_val(r, j, c_tbl), tbl) &&
			    same(my_rows_val(r, j, c_name), name);
		     j++) {
			if (j > i) {
				strbuf_addch(&cols, ',');
				strbuf_addch(&refs, ',');
			}
			my_quote_ident(&cols, my_rows_val(r, j, c_col));
			my_quote_ident(&refs, my_rows_val(r, j, c_rcol));
			if (!fk)
				continue;
			*ARENA_PUSH(&m->arena, fk->columns, fk->ncolumns,
				    fk->ccolumns) =
			    model_str(m, my_rows_val(r, j, c_col));
			*ARENA_PUSH(&m->arena, fk->ref_columns,
				    fk->nref_columns, fk->cref_columns) =
			    model_str(m, my_rows_val(r, j, c_rcol));
		}
		if (fk) {
			const char *rschema = my_rows_val(r, i, c_rschema);
			const char *rtable = my_rows_val(r, i, c_rtable);
			bool here = !rschema || !strcmp(rschema, cat->database);
			strbuf_reset(&def);
			strbuf_addf(&def, "FOREIGN KEY (%s) REFERENCES ",
				    strbuf_str(&cols));
			if (!here) {
				my_quote_ident(&def, rschema);
				strbuf_addch(&def, '.');
			}
			my_quote_ident(&def, rtable);
			strbuf_addf(&def, " (%s)", strbuf_str(&refs));
			fk_action(&def, "DELETE", my_rows_val(r, i, c_del));
			fk_action(&def, "UPDATE", my_rows_val(r, i, c_upd));
			fk->definition = model_str(m, strbuf_str(&def));
			fk->ref.schema = model_str(m, here ? "" : rschema);
			fk->ref.name = model_str(m, rtable);
		}
		i = j;
	}
	strbuf_release(&cols);
	strbuf_release(&refs);
	strbuf_release(&def);
}

/*
 * MariaDB's JSON is an alias: a longtext column (utf8mb4_bin) with a
 * column-level CHECK named after the column, json_valid(`col`). Such a
 * column reads back as "json" with neither, as on MySQL.
 */
static bool json_alias(model *m, m_table *t, const char *name,
		       const char *clause, const char *level)
{
	strbuf want = STRBUF_INIT;
	m_column *col = model_table_find_column(t, name);
	bool is = false;
	if (col && level && !strcmp(level, "Column") &&
	    !strcmp(col->type, "longtext")) {
		strbuf_adds(&want, "json_valid(");
		my_quote_ident(&want, name);
		strbuf_addch(&want, ')');
		is = !strcmp(clause, strbuf_str(&want));
	}
	strbuf_release(&want);
	if (is) {
		col->type = model_str(m, "json");
		col->collation = NULL;
		col->charset = NULL;
	}
	return is;
}

void my_build_checks(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_CHECKS];
	int c_tbl = my_rows_col(r, "tbl"), c_name = my_rows_col(r, "name"),
	    c_clause = my_rows_col(r, "clause"),
	    c_level = my_rows_col(r, "level"),
	    c_enf = my_rows_col(r, "enforced");
	strbuf def = STRBUF_INIT;
	for (int i = 0; i < r->n; i++) {
		int ti = my_table_index(cat, my_rows_val(r, i, c_tbl));
		const char *name = my_rows_val(r, i, c_name);
		const char *clause = my_rows_val(r, i, c_clause);
		if (ti < 0 || !name || !clause)
			continue;
		m_table *t = &m->tables[ti];
		if (cat->mariadb &&
		    json_alias(m, t, name, clause, my_rows_val(r, i, c_level)))
			continue;
		strbuf_reset(&def);
		strbuf_addf(&def, "CHECK (%s)", clause);
		if (same(my_rows_val(r, i, c_enf), "NO"))
			strbuf_adds(&def, " NOT ENFORCED");
		m_constraint *k = model_table_add_constraint(m, t);
		k->name = model_str(m, name);
		k->kind = M_CON_CHECK;
		k->definition = model_str(m, strbuf_str(&def));
		/* MariaDB's column-level CHECK is named after its column
		 * and lives in the column's definition (mysql.h). */
		if (same(my_rows_val(r, i, c_level), "Column"))
			*ARENA_PUSH(&m->arena, k->columns, k->ncolumns,
				    k->ccolumns) = k->name;
	}
	strbuf_release(&def);
}

/* "RANGE COLUMNS" takes its values as written; RANGE's is one value. */
static void partition_values(strbuf *sb, const char *method, const char *descr)
{
	if (!method || !descr)
		return;
	if (!strncmp(method, "RANGE", 5)) {
		if (!strcmp(descr, "MAXVALUE"))
			strbuf_adds(sb, " VALUES LESS THAN MAXVALUE");
		else
			strbuf_addf(sb, " VALUES LESS THAN (%s)", descr);
	} else if (!strncmp(method, "LIST", 4)) {
		strbuf_addf(sb, " VALUES IN (%s)", descr);
	}
}

/*
 * The canonical text of mysql.h: "PARTITION BY RANGE (`id`) (PARTITION
 * `p0` VALUES LESS THAN (10),PARTITION `p1` VALUES LESS THAN MAXVALUE)";
 * HASH and KEY (LINEAR too) only count their partitions: "PARTITION BY
 * HASH (`id`) PARTITIONS 4"; subpartitioning likewise, "SUBPARTITION BY
 * HASH (`a`) SUBPARTITIONS 2" after the key.
 */
void my_build_partitions(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_PARTITIONS];
	int c_tbl = my_rows_col(r, "tbl"), c_name = my_rows_col(r, "name"),
	    c_sub = my_rows_col(r, "sub"), c_method = my_rows_col(r, "method"),
	    c_smethod = my_rows_col(r, "submethod"),
	    c_expr = my_rows_col(r, "expr"),
	    c_sexpr = my_rows_col(r, "subexpr"),
	    c_descr = my_rows_col(r, "descr");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < r->n;) {
		const char *tbl = my_rows_val(r, i, c_tbl);
		const char *method = my_rows_val(r, i, c_method);
		const char *smethod = my_rows_val(r, i, c_smethod);
		bool counted =
		    method && (strstr(method, "HASH") || strstr(method, "KEY"));
		int j, nparts = 0, nsubs = 0;
		const char *first = my_rows_val(r, i, c_name);
		strbuf list = STRBUF_INIT;
		for (j = i; j < r->n && same(my_rows_val(r, j, c_tbl), tbl);
		     j++) {
			const char *pname = my_rows_val(r, j, c_name);
			if (same(pname, first) && my_rows_val(r, j, c_sub))
				nsubs++;
			/* A partition's subpartitions are consecutive rows. */
			if (j > i && same(pname, my_rows_val(r, j - 1, c_name)))
				continue;
			nparts++;
			if (counted)
				continue;
			strbuf_adds(&list, nparts > 1 ? "," : "");
			strbuf_adds(&list, "PARTITION ");
			my_quote_ident(&list, pname);
			partition_values(&list, method,
					 my_rows_val(r, j, c_descr));
		}
		int ti = my_table_index(cat, tbl);
		if (ti >= 0 && method) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "PARTITION BY %s (%s)", method,
				    my_rows_val(r, i, c_expr)
					? my_rows_val(r, i, c_expr)
					: "");
			if (smethod)
				strbuf_addf(&sb,
					    " SUBPARTITION BY %s (%s) "
					    "SUBPARTITIONS %d",
					    smethod,
					    my_rows_val(r, i, c_sexpr)
						? my_rows_val(r, i, c_sexpr)
						: "",
					    nsubs);
			if (counted)
				strbuf_addf(&sb, " PARTITIONS %d", nparts);
			else
				strbuf_addf(&sb, " (%s)", strbuf_str(&list));
			m->tables[ti].partitioning =
			    model_str(m, strbuf_str(&sb));
		}
		strbuf_release(&list);
		i = j;
	}
	strbuf_release(&sb);
}
