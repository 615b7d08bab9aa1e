/*
 * Shared by introspect*.c: the fixed queries' results, and the helpers
 * that turn the server's spellings into mysql.h's canonical forms.
 */
#ifndef SCHEMIG_MYSQL_INTROSPECT_INTERNAL_H
#define SCHEMIG_MYSQL_INTROSPECT_INTERNAL_H

#include <stdbool.h>

#include "../../util/strmap.h"
#include "conn.h"
#include "mysql.h"

/* One query each, in this order (introspect.c). */
enum my_query_id {
	MYQ_TABLES,
	MYQ_COLLATIONS,
	MYQ_COLUMNS,
	MYQ_STATISTICS,
	MYQ_FOREIGN_KEYS,
	MYQ_CHECKS,
	MYQ_PARTITIONS,
	MYQ_VIEWS,
	MYQ_TRIGGERS,
	MYQ_ROUTINES,
	MYQ_PARAMETERS,
	MYQ_EVENTS,
	MYQ_COUNT
};

typedef struct my_catalog {
	bool mariadb;	/* MariaDB, else MySQL */
	char *database; /* the URL's database (DATABASE()) */
	my_rows res[MYQ_COUNT];
	/* table name -> index into m->tables + 1 (0 is "absent") */
	strmap tables;
	/* charset -> its default collation (MYQ_COLLATIONS) */
	strmap default_collation;
} my_catalog;

/* The table's index in m->tables, or -1 (a view's columns, say). */
int my_table_index(const my_catalog *cat, const char *name);

/* introspect_tables.c */
void my_build_tables(model *m, my_catalog *cat);
void my_build_columns(model *m, my_catalog *cat);
/* introspect_keys.c */
void my_build_indexes(model *m, my_catalog *cat);
void my_build_foreign_keys(model *m, my_catalog *cat);
void my_build_checks(model *m, my_catalog *cat);
void my_build_partitions(model *m, my_catalog *cat);
/* introspect_objects.c */
void my_build_views(model *m, my_catalog *cat);
void my_build_triggers(model *m, my_catalog *cat);
void my_build_routines(model *m, my_catalog *cat);
void my_build_events(model *m, my_catalog *cat);

/* `text` without the qualification "`db`." of the current database
 * (outside string literals): the model's objects of that database have
 * the schema "". */
void my_strip_database(strbuf *out, const char *text, const char *db);

#endif
