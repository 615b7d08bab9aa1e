/*
 * my_introspect: read the live schema of one MySQL or MariaDB database
 * into the model with a fixed set of INFORMATION_SCHEMA queries (never
 * one per table), run in one consistent snapshot where the server keeps
 * one, then assemble the rows in C (introspect_*.c).
 *
 * Every query is limited to DATABASE(), the URL's database, so no name
 * is ever spliced into SQL; every column is aliased in lower case, since
 * MySQL 8 returns INFORMATION_SCHEMA's names in upper case. Where the
 * builders take consecutive rows as one object (a key's parts, a
 * foreign key's columns, a table's partitions, a trigger's
 * predecessor), names are ordered as bytes: INFORMATION_SCHEMA compares
 * them without case, and tables `T` and `t` may both exist.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "introspect_internal.h"

/* A query per server kind: MariaDB and MySQL 8 differ in a few columns
 * (STATISTICS.EXPRESSION, CHECK_CONSTRAINTS.TABLE_NAME). */
typedef struct my_catalog_query {
	const char *name; /* for errors: "cannot read NAME" */
	const char *mariadb, *mysql;
} my_catalog_query;

static const my_catalog_query queries[MYQ_COUNT] = {
    [MYQ_TABLES] = {"tables",
		    "SELECT t.table_name AS name, t.table_type AS type, "
		    "t.engine AS engine, t.table_collation AS collation, "
		    "ca.character_set_name AS charset, t.create_options AS "
		    "options, t.table_comment AS comment "
		    "FROM information_schema.tables t "
		    "LEFT JOIN information_schema."
		    "collation_character_set_applicability ca "
		    "ON ca.collation_name = t.table_collation "
		    "WHERE t.table_schema = DATABASE() "
		    "ORDER BY t.table_name",
		    NULL},
    [MYQ_COLLATIONS] = {"collations",
			"SELECT character_set_name AS charset, collation_name "
			"AS name FROM information_schema.collations "
			"WHERE is_default = 'Yes'",
			NULL},
    [MYQ_COLUMNS] = {"columns",
		     "SELECT table_name AS tbl, column_name AS name, "
		     "column_default AS dflt, is_nullable AS nullable, "
		     "column_type AS type, character_set_name AS charset, "
		     "collation_name AS collation, extra AS extra, "
		     "column_comment AS comment, generation_expression AS gen "
		     "FROM information_schema.columns "
		     "WHERE table_schema = DATABASE() "
		     "ORDER BY table_name, ordinal_position",
		     NULL},
    [MYQ_STATISTICS] =
	{"keys",
	 "SELECT table_name AS tbl, index_name AS name, non_unique AS "
	 "non_unique, column_name AS col, sub_part AS sub_part, collation AS "
	 "dir, index_type AS kind, index_comment AS comment, NULL AS expr, "
	 "ignored AS hidden "
	 "FROM information_schema.statistics WHERE table_schema = DATABASE() "
	 "ORDER BY CAST(table_name AS BINARY), CAST(index_name AS BINARY), "
	 "seq_in_index",
	 "SELECT table_name AS tbl, index_name AS name, non_unique AS "
	 "non_unique, column_name AS col, sub_part AS sub_part, collation AS "
	 "dir, index_type AS kind, index_comment AS comment, expression AS "
	 "expr, CASE is_visible WHEN 'NO' THEN 'YES' ELSE 'NO' END AS hidden "
	 "FROM information_schema.statistics WHERE table_schema = "
	 "DATABASE() ORDER BY CAST(table_name AS BINARY), CAST(index_name AS "
	 "BINARY), seq_in_index"},
    [MYQ_FOREIGN_KEYS] =
	{"foreign keys",
	 "SELECT k.table_name AS tbl, k.constraint_name AS name, "
	 "k.column_name AS col, k.referenced_table_schema AS ref_schema, "
	 "k.referenced_table_name AS ref_table, k.referenced_column_name AS "
	 "ref_col, r.update_rule AS on_update, r.delete_rule AS on_delete "
	 "FROM information_schema.key_column_usage k "
	 "JOIN information_schema.referential_constraints r "
	 "ON r.constraint_schema = k.constraint_schema AND "
	 "r.constraint_name = k.constraint_name AND r.table_name = "
	 "k.table_name "
	 "WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT "
	 "NULL ORDER BY CAST(k.table_name AS BINARY), CAST(k.constraint_name "
	 "AS "
	 "BINARY), k.ordinal_position",
	 NULL},
    /* MariaDB names a CHECK per table (and gives its table); MySQL per
     * database, its table only in TABLE_CONSTRAINTS, which also says
     * whether it is enforced. */
    [MYQ_CHECKS] = {"check constraints",
		    "SELECT table_name AS tbl, constraint_name AS name, "
		    "check_clause AS clause, level AS level, 'YES' AS "
		    "enforced FROM information_schema.check_constraints "
		    "WHERE constraint_schema = DATABASE() "
		    "ORDER BY table_name, constraint_name",
		    "SELECT tc.table_name AS tbl, cc.constraint_name AS name, "
		    "cc.check_clause AS clause, 'Table' AS level, tc.enforced "
		    "AS enforced FROM information_schema.check_constraints cc "
		    "JOIN information_schema.table_constraints tc "
		    "ON tc.constraint_schema = cc.constraint_schema AND "
		    "tc.constraint_name = cc.constraint_name AND "
		    "tc.constraint_type = 'CHECK' "
		    "WHERE cc.constraint_schema = DATABASE() "
		    "ORDER BY tc.table_name, cc.constraint_name"},
    [MYQ_PARTITIONS] =
	{"partitions",
	 "SELECT table_name AS tbl, partition_name AS name, "
	 "subpartition_name AS sub, partition_method AS method, "
	 "subpartition_method AS submethod, partition_expression AS expr, "
	 "subpartition_expression AS subexpr, partition_description AS descr "
	 "FROM information_schema.partitions WHERE table_schema = DATABASE() "
	 "AND partition_name IS NOT NULL "
	 "ORDER BY CAST(table_name AS BINARY), partition_ordinal_position, "
	 "subpartition_ordinal_position",
	 NULL},
    [MYQ_VIEWS] = {"views",
		   "SELECT table_name AS name, view_definition AS def, "
		   "check_option AS check_option, security_type AS "
		   "security, algorithm AS algorithm "
		   "FROM information_schema.views "
		   "WHERE table_schema = DATABASE() ORDER BY table_name",
		   "SELECT table_name AS name, view_definition AS def, "
		   "check_option AS check_option, security_type AS "
		   "security, NULL AS algorithm "
		   "FROM information_schema.views "
		   "WHERE table_schema = DATABASE() ORDER BY table_name"},
    [MYQ_TRIGGERS] =
	{"triggers",
	 "SELECT trigger_name AS name, event_object_table AS "
	 "tbl, event_manipulation AS event, action_timing AS "
	 "timing, action_order AS ord, action_statement AS body "
	 "FROM information_schema.triggers "
	 "WHERE trigger_schema = DATABASE() "
	 "ORDER BY CAST(event_object_table AS BINARY), action_timing, "
	 "event_manipulation, action_order",
	 NULL},
    [MYQ_ROUTINES] = {"routines",
		      "SELECT routine_name AS name, routine_type AS kind, "
		      "dtd_identifier AS returns, routine_definition AS body, "
		      "is_deterministic AS det, sql_data_access AS access, "
		      "security_type AS security, routine_comment AS comment "
		      "FROM information_schema.routines "
		      "WHERE routine_schema = DATABASE() "
		      "ORDER BY routine_name, routine_type",
		      NULL},
    [MYQ_PARAMETERS] = {"routine parameters",
			"SELECT specific_name AS name, routine_type AS kind, "
			"parameter_mode AS mode, parameter_name AS pname, "
			"dtd_identifier AS type "
			"FROM information_schema.parameters "
			"WHERE specific_schema = DATABASE() AND "
			"ordinal_position > 0 "
			"ORDER BY specific_name, routine_type, "
			"ordinal_position",
			NULL},
    [MYQ_EVENTS] = {"events",
		    "SELECT event_name AS name FROM information_schema.events "
		    "WHERE event_schema = DATABASE() ORDER BY event_name",
		    NULL},
};

int my_table_index(const my_catalog *cat, const char *name)
{
	intptr_t v = 0;
	if (!name || !strmap_get_int(&cat->tables, name, &v) || v <= 0)
		return -1;
	return (int)v - 1;
}

void my_strip_database(strbuf *out, const char *text, const char *db)
{
	size_t dblen = strlen(db);
	for (const char *p = text; *p;) {
		if (*p == '\'' || *p == '"') {
			/* A string literal, copied whole. */
			char q = *p;
			strbuf_addch(out, *p++);
			while (*p) {
				if (*p == '\\' && p[1]) {
					strbuf_add(out, p, 2);
					p += 2;
					continue;
				}
				strbuf_addch(out, *p);
				if (*p++ == q) {
					if (*p != q)
						break;
					strbuf_addch(out, *p++);
				}
			}
			continue;
		}
		if (*p != '`') {
			strbuf_addch(out, *p++);
			continue;
		}
		/* A quoted name: compare its unquoted text with db. */
		const char *start = p++;
		strbuf name = STRBUF_INIT;
		while (*p) {
			if (*p == '`') {
				if (p[1] != '`')
					break;
				p++;
			}
			strbuf_addch(&name, *p++);
		}
		if (*p == '`')
			p++;
		if (p[0] == '.' && name.len == dblen &&
		    !memcmp(strbuf_str(&name), db, dblen))
			p++;
		else
			strbuf_add(out, start, (size_t)(p - start));
		strbuf_release(&name);
	}
}

static int run_queries(MYSQL *c, my_catalog *cat, error *e)
{
	for (int q = 0; q < MYQ_COUNT; q++) {
		const char *sql = !cat->mariadb && queries[q].mysql
				      ? queries[q].mysql
				      : queries[q].mariadb;
		strbuf what = STRBUF_INIT;
		strbuf_addf(&what, "cannot read %s of database %s",
			    queries[q].name, cat->database);
		int rc = my_query(c, sql, &cat->res[q], strbuf_str(&what), e);
		strbuf_release(&what);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The default collation of each charset, and the tables by name. */
static void build_maps(model *m, my_catalog *cat)
{
	my_rows *r = &cat->res[MYQ_COLLATIONS];
	int c_cs = my_rows_col(r, "charset"), c_name = my_rows_col(r, "name");
	for (int i = 0; i < r->n; i++) {
		const char *cs = my_rows_val(r, i, c_cs);
		const char *name = my_rows_val(r, i, c_name);
		if (cs && name)
			strmap_put(&cat->default_collation, cs,
				   model_str(m, name));
	}
}

static void release(my_catalog *cat)
{
	for (int q = 0; q < MYQ_COUNT; q++)
		my_rows_release(&cat->res[q]);
	strmap_release(&cat->tables);
	strmap_release(&cat->default_collation);
	free(cat->database);
}

int my_introspect(model *m, const char *url, error *e)
{
	MYSQL *c = NULL;
	my_catalog cat;
	my_rows db;
	int ret = -1;

	memset(&cat, 0, sizeof(cat));
	strmap_init(&cat.tables);
	strmap_init(&cat.default_collation);
	if (my_connect(url, &c, e) < 0)
		goto out;
	cat.mariadb = strstr(mysql_get_server_info(c), "MariaDB") != NULL;
	/* Settings that change what the server prints: no ANSI_QUOTES (names
	 * in backticks), UTC for timestamps. Then one snapshot, where
	 * INFORMATION_SCHEMA follows it (MySQL 8's data dictionary is
	 * InnoDB tables; MariaDB's are read live whatever the transaction). */
	static const char *const begin[] = {
	    "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'",
	    "SET SESSION time_zone = '+00:00'",
	    "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
	    "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"};
	for (size_t i = 0; i < sizeof(begin) / sizeof(*begin); i++)
		if (my_exec(c, begin[i],
			    "cannot start the introspection transaction",
			    e) < 0)
			goto out;
	if (my_query(c, "SELECT DATABASE()", &db, "cannot read the database",
		     e) < 0)
		goto out;
	if (db.n == 1 && my_rows_val(&db, 0, 0))
		cat.database = xstrdup(my_rows_val(&db, 0, 0));
	my_rows_release(&db);
	if (!cat.database) {
		char *shown = my_url_redact(url);
		error_set(e, EXIT_USAGE,
			  "the MySQL URL %s names no database "
			  "(mysql://user@host/DATABASE)",
			  shown);
		free(shown);
		goto out;
	}
	if (run_queries(c, &cat, e) < 0)
		goto out;
	my_exec(c, "COMMIT", "commit", NULL);

	m->introspected = true;
	build_maps(m, &cat);
	my_build_tables(m, &cat);
	my_build_columns(m, &cat);
	my_build_checks(m, &cat);
	my_build_indexes(m, &cat);
	my_build_foreign_keys(m, &cat);
	my_build_partitions(m, &cat);
	my_build_views(m, &cat);
	my_build_triggers(m, &cat);
	my_build_routines(m, &cat);
	my_build_events(m, &cat);
	my_view_deps(m);
	model_sort(m);
	ret = 0;
out:
	release(&cat);
	if (c)
		mysql_close(c);
	return ret;
}
