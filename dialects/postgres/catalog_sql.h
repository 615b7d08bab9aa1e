/*
 * SQL fragments the catalog queries share (catalog.c, catalog_opers.c).
 */
#ifndef SCHEMIG_PG_CATALOG_SQL_H
#define SCHEMIG_PG_CATALOG_SQL_H

/* User schemas: the pg_ prefix is reserved for the system's own
 * (pg_catalog, pg_toast, pg_temp_N, pg_toast_temp_N), and `schemig` is
 * the journal of applies (journal.c), schemig's own bookkeeping: never
 * part of a compared schema. The one rule: every catalog query filters
 * the namespace of what it lists (and of what that depends on) with it,
 * so the journal's schema, tables, indexes, sequences and grants are all
 * left out. */
#define USER_NS(n)                                                             \
	"(" n ".nspname <> 'information_schema' AND " n ".nspname !~ '^pg_'"   \
	" AND " n ".nspname <> 'schemig')"

/* Objects created by CREATE EXTENSION belong to the extension. */
#define NOT_EXT(catalog, oid)                                                  \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = "  \
	"'pg_catalog." catalog "'::pg_catalog.regclass AND e.objid = " oid     \
	" AND e.deptype = 'e')"

#define DESC(alias, catalog, oid, subid)                                       \
	" LEFT JOIN pg_catalog.pg_description " alias " ON " alias             \
	".objoid = " oid " AND " alias ".classoid = 'pg_catalog." catalog      \
	"'::pg_catalog.regclass AND " alias ".objsubid = " subid " "

/* Objects the server creates as part of another (a range type's
 * constructor functions) come and go with their owner. */
#define NOT_INTERNAL(catalog, oid)                                             \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = "  \
	"'pg_catalog." catalog "'::pg_catalog.regclass AND e.objid = " oid     \
	" AND e.deptype = 'i')"

/* A function or operator class name: unqualified in pg_catalog. */
#define VISIBLE_NAME(ns, name)                                                 \
	"CASE WHEN " ns " = 'pg_catalog' THEN pg_catalog.quote_ident(" name    \
	") ELSE pg_catalog.quote_ident(" ns ") || '.' || "                     \
	"pg_catalog.quote_ident(" name ") END"

#endif
