/*
 * Internal to the PostgreSQL dialect: the fixed set of catalog queries
 * that introspection runs, and the helpers its assemblers share.
 *
 * Introspection runs exactly PGQ_COUNT queries whatever the size of the
 * schema; each returns every object of one class, ordered so that rows
 * belonging to one owner (a table's columns, an enum's labels) are
 * adjacent. The assemblers attach such rows to their owner with a
 * sorted oid index and a binary search.
 */
#ifndef SCHEMIG_PG_CATALOG_H
#define SCHEMIG_PG_CATALOG_H

#include <libpq-fe.h>

#include "../../schema/model.h"
#include "../../util/error.h"

enum pg_catalog_query {
	PGQ_SCHEMAS,
	PGQ_EXTENSIONS,
	PGQ_COLLATIONS,
	PGQ_CASTS,
	PGQ_TS_DICTS,
	PGQ_TS_CONFIGS,
	PGQ_OPERATORS,
	PGQ_OPFAMILIES,
	PGQ_OPCLASSES,
	PGQ_OPMEMBERS,
	PGQ_ENUMS,
	PGQ_DOMAINS,
	PGQ_DOMAIN_CHECKS,
	PGQ_COMPOSITES,
	PGQ_RANGES,
	PGQ_SEQUENCES,
	PGQ_TABLES,
	PGQ_INHERITS,
	PGQ_COLUMNS,
	PGQ_CONSTRAINTS,
	PGQ_INDEXES,
	PGQ_STATISTICS,
	PGQ_VIEWS,
	PGQ_VIEW_COLUMNS,
	PGQ_VIEW_DEPS,
	PGQ_FUNCTIONS,
	PGQ_FUNCTION_DEPS,
	PGQ_AGGREGATES,
	PGQ_TRIGGERS,
	PGQ_POLICIES,
	PGQ_TYPE_USES,
	PGQ_GRANTS,
	PGQ_UNSUPPORTED,
	PGQ_COUNT
};

typedef struct pg_catalog_query_def {
	const char *name; /* for messages: "tables" */
	const char *sql;
} pg_catalog_query_def;

extern const pg_catalog_query_def pg_catalog_queries[PGQ_COUNT];

/* catalog_opers.c: operators, operator families and classes, and the
 * members of both (pg_amop, pg_amproc). */
extern const char pg_q_operators[], pg_q_opfamilies[], pg_q_opclasses[],
    pg_q_opmembers[];
/* catalog_objects.c: collations, casts, text search dictionaries and
 * configurations. */
extern const char pg_q_collations[], pg_q_casts[], pg_q_ts_dicts[],
    pg_q_ts_configs[];

/* The results of every query, indexed by enum pg_catalog_query. */
typedef struct pg_catalog {
	PGresult *res[PGQ_COUNT];
} pg_catalog;

/* Maps a catalog oid to the index of the model item built from it. */
typedef struct pg_oid_entry {
	unsigned int oid;
	int idx;
} pg_oid_entry;

typedef struct pg_oid_map {
	pg_oid_entry *items;
	size_t n, alloc;
} pg_oid_map;

void pg_oid_map_add(pg_oid_map *map, unsigned int oid, int idx);
/* Sort once after the last add; lookups are binary searches. */
void pg_oid_map_sort(pg_oid_map *map);
int pg_oid_map_find(const pg_oid_map *map, unsigned int oid); /* -1 */
void pg_oid_map_release(pg_oid_map *map);

/* Reading a result row: the field `name` of row `row`, NULL for SQL
 * NULL, copied into the model's arena by the _str variant. */
int pg_res_col(const PGresult *r, const char *name);
const char *pg_res_val(const PGresult *r, int row, int col);
char *pg_res_str(model *m, const PGresult *r, int row, int col);
bool pg_res_bool(const PGresult *r, int row, int col);
unsigned int pg_res_oid(const PGresult *r, int row, int col);
long long pg_res_int(const PGresult *r, int row, int col);

/* Parse a text[] value as the server prints it ({a,"b c"}) into an
 * arena array of strings. */
void pg_res_text_array(model *m, const char *text, char ***arr, int *n,
		       int *cap);

/* The assemblers, one per class (introspect_*.c). They cannot fail:
 * every query has already succeeded. */
void pg_build_types(model *m, pg_catalog *cat);
void pg_build_tables(model *m, pg_catalog *cat);
void pg_build_objects(model *m, pg_catalog *cat);
void pg_build_textsearch(model *m, pg_catalog *cat);
void pg_build_opers(model *m, pg_catalog *cat);

#endif
