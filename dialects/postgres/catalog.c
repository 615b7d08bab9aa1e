/*
 * Every catalog query introspection runs, in one place so that the cost
 * of reading a schema is visible at a glance: one query per object
 * class, never one per object. They run in one REPEATABLE READ snapshot
 * with an empty search_path, so that format_type(), pg_get_expr() and
 * the other deparsers schema-qualify every name outside pg_catalog.
 */
#include "catalog.h"
#include "catalog_sql.h"

/* A collation other than the type's default, spelled the way
 * format_type() spells types: unqualified inside pg_catalog. */
#define COLLATION_JOIN(collid, typcoll)                                        \
	" LEFT JOIN pg_catalog.pg_collation co ON co.oid = " collid            \
	" AND " collid " <> " typcoll                                          \
	" LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
#define COLLATION_NAME                                                         \
	"CASE WHEN co.oid IS NULL THEN NULL WHEN cn.nspname = 'pg_catalog' "   \
	"THEN pg_catalog.quote_ident(co.collname) ELSE "                       \
	"pg_catalog.quote_ident(cn.nspname) || '.' || "                        \
	"pg_catalog.quote_ident(co.collname) END"

/* A key's column names in key order, as a text[]. */
#define KEY_NAMES(key, rel)                                                    \
	"ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(" key             \
	") WITH ORDINALITY k(num, ord) JOIN pg_catalog.pg_attribute a ON "     \
	"a.attrelid = " rel " AND a.attnum = k.num ORDER BY k.ord)"

/*
 * Each query is laid out as SQL, one clause a line.
 */
/* clang-format off */

static const char q_schemas[] =
	"SELECT n.nspname AS name, d.description AS comment"
	" FROM pg_catalog.pg_namespace n"
	DESC("d", "pg_namespace", "n.oid", "0")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_namespace", "n.oid")
	" ORDER BY 1";

static const char q_extensions[] =
	"SELECT x.extname AS name, n.nspname AS schema"
	" FROM pg_catalog.pg_extension x"
	" JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace"
	" WHERE x.extname <> 'plpgsql'"
	" ORDER BY 1";

/* One row per label (LEFT JOIN: an enum may have none). */
static const char q_enums[] =
	"SELECT t.oid, n.nspname AS schema, t.typname AS name,"
	" l.enumlabel AS label, d.description AS comment"
	" FROM pg_catalog.pg_type t"
	" JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" LEFT JOIN pg_catalog.pg_enum l ON l.enumtypid = t.oid"
	DESC("d", "pg_type", "t.oid", "0")
	" WHERE t.typtype = 'e' AND " USER_NS("n")
	" AND " NOT_EXT("pg_type", "t.oid")
	" ORDER BY t.oid, l.enumsortorder";

static const char q_domains[] =
	"SELECT t.oid, n.nspname AS schema, t.typname AS name,"
	" pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,"
	" " COLLATION_NAME " AS collation,"
	" pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS default_expr,"
	" t.typnotnull AS not_null, d.description AS comment"
	" FROM pg_catalog.pg_type t"
	" JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype"
	COLLATION_JOIN("t.typcollation", "bt.typcollation")
	DESC("d", "pg_type", "t.oid", "0")
	" WHERE t.typtype = 'd' AND " USER_NS("n")
	" AND " NOT_EXT("pg_type", "t.oid")
	" ORDER BY t.oid";

/* Rows of domains the domains query left out find no owner. */
static const char q_domain_checks[] =
	"SELECT c.contypid AS oid, c.conname AS name,"
	" pg_catalog.pg_get_constraintdef(c.oid) AS definition,"
	" d.description AS comment"
	" FROM pg_catalog.pg_constraint c"
	" JOIN pg_catalog.pg_type t ON t.oid = c.contypid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	DESC("d", "pg_constraint", "c.oid", "0")
	" WHERE c.contype = 'c' AND " USER_NS("n")
	" ORDER BY c.contypid, c.conname";

/* Range types. The multirange type PostgreSQL 14+ creates with each is
 * no object of its own: only a name other than the server's default
 * (first "range" becomes "multirange", else "_multirange" appended) is
 * kept. Defaults (operator class, collation) read as NULL. */
static const char q_ranges[] =
	"SELECT n.nspname AS schema, t.typname AS name,"
	" pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,"
	" CASE WHEN opc.opcdefault THEN NULL ELSE "
	VISIBLE_NAME("opn.nspname", "opc.opcname") " END AS subtype_opclass,"
	" CASE WHEN r.rngcollation = 0 OR r.rngcollation = st.typcollation"
	"  THEN NULL ELSE " VISIBLE_NAME("cn.nspname", "co.collname")
	" END AS collation,"
	" " VISIBLE_NAME("cpn.nspname", "cp.proname") " AS canonical,"
	" " VISIBLE_NAME("dpn.nspname", "dp.proname") " AS subtype_diff,"
	" CASE WHEN mt.oid IS NULL OR (mt.typnamespace = t.typnamespace AND"
	"  mt.typname = CASE WHEN pg_catalog.strpos(t.typname, 'range') > 0"
	"  THEN pg_catalog.overlay(t.typname::text, 'multirange',"
	"  pg_catalog.strpos(t.typname, 'range'), 5)"
	"  ELSE t.typname || '_multirange' END) THEN NULL ELSE "
	VISIBLE_NAME("mn.nspname", "mt.typname") " END AS multirange,"
	" d.description AS comment"
	" FROM pg_catalog.pg_range r"
	" JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype"
	" JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc"
	" JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace"
	" LEFT JOIN pg_catalog.pg_collation co ON co.oid = r.rngcollation"
	" LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
	" LEFT JOIN pg_catalog.pg_proc cp ON cp.oid = r.rngcanonical"
	" LEFT JOIN pg_catalog.pg_namespace cpn ON cpn.oid = cp.pronamespace"
	" LEFT JOIN pg_catalog.pg_proc dp ON dp.oid = r.rngsubdiff"
	" LEFT JOIN pg_catalog.pg_namespace dpn ON dpn.oid = dp.pronamespace"
	" LEFT JOIN pg_catalog.pg_type mt ON mt.oid = r.rngmultitypid"
	" LEFT JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace"
	DESC("d", "pg_type", "t.oid", "0")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_type", "t.oid")
	" ORDER BY 1, 2";

/* One row per attribute (LEFT JOIN: a composite may have none). Only
 * free-standing composites (relkind 'c'), not the row types of tables
 * and views. */
static const char q_composites[] =
	"SELECT t.oid, n.nspname AS schema, t.typname AS name,"
	" a.attname AS attr,"
	" pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,"
	" " COLLATION_NAME " AS collation, d.description AS comment,"
	" ad.description AS attr_comment"
	" FROM pg_catalog.pg_type t"
	" JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_catalog.pg_class r ON r.oid = t.typrelid AND r.relkind = 'c'"
	" LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid"
	"  AND a.attnum > 0 AND NOT a.attisdropped"
	" LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid"
	COLLATION_JOIN("a.attcollation", "at.typcollation")
	DESC("d", "pg_type", "t.oid", "0")
	DESC("ad", "pg_class", "r.oid", "a.attnum")
	" WHERE t.typtype = 'c' AND " USER_NS("n")
	" AND " NOT_EXT("pg_type", "t.oid")
	" ORDER BY t.oid, a.attnum";

/* OWNED BY is an 'a' dependency on a column; identity sequences ('i')
 * belong to their column and are not listed. */
static const char q_sequences[] =
	"SELECT n.nspname AS schema, c.relname AS name,"
	" pg_catalog.format_type(s.seqtypid, NULL) AS type,"
	" s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,"
	" s.seqcycle, own_n.nspname AS owner_schema,"
	" own_c.relname AS owner_table, own_a.attname AS owner_column,"
	" d.description AS comment"
	" FROM pg_catalog.pg_sequence s"
	" JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_depend dep"
	"  ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"  AND dep.objid = c.oid"
	"  AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"  AND dep.deptype = 'a' AND dep.refobjsubid > 0"
	" LEFT JOIN pg_catalog.pg_class own_c ON own_c.oid = dep.refobjid"
	" LEFT JOIN pg_catalog.pg_namespace own_n"
	"  ON own_n.oid = own_c.relnamespace"
	" LEFT JOIN pg_catalog.pg_attribute own_a"
	"  ON own_a.attrelid = dep.refobjid AND own_a.attnum = dep.refobjsubid"
	DESC("d", "pg_class", "c.oid", "0")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_class", "c.oid")
	" AND " NOT_INTERNAL("pg_class", "c.oid");

/* A partition's parent and bound come with the table. */
static const char q_tables[] =
	"SELECT c.oid, n.nspname AS schema, c.relname AS name,"
	" c.relkind AS kind, c.relpersistence = 'u' AS unlogged,"
	" CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid)"
	"  END AS partition_key,"
	" pn.nspname AS parent_schema, pc.relname AS parent_name,"
	" CASE WHEN c.relispartition"
	"  THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid)"
	"  END AS partition_bound,"
	" NULLIF(pg_catalog.array_to_string(c.reloptions, ','), '') AS options,"
	" c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,"
	" c.relreplident AS replica_identity,"
	" (SELECT ri.relname FROM pg_catalog.pg_index x"
	"  JOIN pg_catalog.pg_class ri ON ri.oid = x.indexrelid"
	"  WHERE x.indrelid = c.oid AND x.indisreplident) AS replica_index,"
	" d.description AS comment"
	" FROM pg_catalog.pg_class c"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_inherits i"
	"  ON c.relispartition AND i.inhrelid = c.oid"
	" LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent"
	" LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"
	DESC("d", "pg_class", "c.oid", "0")
	" WHERE c.relkind IN ('r', 'p') AND " USER_NS("n")
	" AND " NOT_EXT("pg_class", "c.oid")
	" ORDER BY c.oid";

/* Plain inheritance only, parents in declaration order. */
static const char q_inherits[] =
	"SELECT i.inhrelid AS oid, pn.nspname AS schema, pc.relname AS name"
	" FROM pg_catalog.pg_inherits i"
	" JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
	"  AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
	" JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent"
	" JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"
	" ORDER BY i.inhrelid, i.inhseqno";

/* attoptions: only the options ALTER COLUMN SET (...) takes; a server
 * may keep private ones of its own there (pg_attver=...), which no
 * schema file can state.
 * Partitions have no columns of their own in the model, inheritance
 * children only their local ones. Rows of tables the tables query left
 * out (extension members) find no owner and are dropped. */
static const char q_columns[] =
	"SELECT a.attrelid AS oid, a.attname AS name,"
	" pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,"
	" " COLLATION_NAME " AS collation,"
	" CASE WHEN a.attgenerated = ''"
	"  THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr,"
	" CASE WHEN a.attgenerated = 's'"
	"  THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS generated_expr,"
	" a.attidentity AS identity, a.attnotnull AS not_null,"
	" d.description AS comment,"
	" CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END AS stattarget,"
	" CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END"
	"  AS storage, t.typstorage AS type_storage,"
	" (SELECT pg_catalog.string_agg(o, ',' ORDER BY o)"
	"  FROM pg_catalog.unnest(a.attoptions) o"
	"  WHERE pg_catalog.split_part(o, '=', 1)"
	"  IN ('n_distinct', 'n_distinct_inherited')) AS options,"
	" s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,"
	" s.seqcycle"
	" FROM pg_catalog.pg_attribute a"
	" JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
	COLLATION_JOIN("a.attcollation", "t.typcollation")
	" LEFT JOIN pg_catalog.pg_attrdef ad"
	"  ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
	/* An identity column's sequence depends on it internally ('i'). */
	" LEFT JOIN pg_catalog.pg_depend sd ON a.attidentity <> ''"
	"  AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"  AND sd.refobjid = a.attrelid AND sd.refobjsubid = a.attnum"
	"  AND sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"  AND sd.deptype = 'i'"
	" LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = sd.objid"
	DESC("d", "pg_class", "a.attrelid", "a.attnum")
	" WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
	" AND a.attnum > 0 AND NOT a.attisdropped AND a.attislocal"
	" AND " USER_NS("n")
	" ORDER BY a.attrelid, a.attnum";

/* Local constraints only: those a partition or child inherits
 * (conislocal false, or attached to a parent constraint) come back with
 * the parent's. NOT NULL is a column property in PostgreSQL 15. */
static const char q_constraints[] =
	"SELECT c.conrelid AS oid, c.conname AS name, c.contype AS kind,"
	" pg_catalog.pg_get_constraintdef(c.oid) AS definition,"
	" " KEY_NAMES("c.conkey", "c.conrelid") " AS columns,"
	" fn.nspname AS ref_schema, fc.relname AS ref_name,"
	" " KEY_NAMES("c.confkey", "c.confrelid") " AS ref_columns,"
	" c.condeferrable AS deferrable, c.condeferred AS deferred,"
	" NOT c.convalidated AS not_valid,"
	" d.description AS comment"
	" FROM pg_catalog.pg_constraint c"
	" JOIN pg_catalog.pg_class r ON r.oid = c.conrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace"
	" LEFT JOIN pg_catalog.pg_class fc ON fc.oid = c.confrelid"
	" LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace"
	DESC("d", "pg_constraint", "c.oid", "0")
	" WHERE c.contype IN ('p', 'u', 'c', 'f', 'x') AND c.conislocal"
	" AND c.conparentid = 0 AND r.relkind IN ('r', 'p')"
	" AND " USER_NS("n")
	" ORDER BY c.conrelid, c.conname";

/* Indexes that back a constraint are the constraint's; a partition's
 * index attached to its parent's index is the parent's. "valid" is false
 * for what a failed CREATE INDEX CONCURRENTLY leaves behind; "complete"
 * false for a partitioned index while partitions lack theirs (ON ONLY,
 * not every partition's index attached yet). */
static const char q_indexes[] =
	"SELECT n.nspname AS schema, t.relname AS table, ic.relname AS name,"
	" pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,"
	" ic.relkind = 'I' AS partitioned, i.indisunique AS unique,"
	" i.indisvalid OR ic.relkind = 'I' AS valid, i.indisvalid AS complete,"
	" d.description AS comment,"
	" (SELECT pg_catalog.string_agg(ia.attnum || '=' || ia.attstattarget,"
	"  ',' ORDER BY ia.attnum) FROM pg_catalog.pg_attribute ia"
	"  WHERE ia.attrelid = i.indexrelid AND ia.attstattarget >= 0)"
	"  AS stattargets"
	" FROM pg_catalog.pg_index i"
	" JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
	" JOIN pg_catalog.pg_class t ON t.oid = i.indrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace"
	DESC("d", "pg_class", "i.indexrelid", "0")
	" WHERE t.relkind IN ('r', 'p', 'm') AND " USER_NS("n")
	" AND " NOT_EXT("pg_class", "t.oid")
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k"
	"  WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))"
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h"
	"  WHERE h.inhrelid = i.indexrelid)";

/* stxstattarget is -1 for the default up to PostgreSQL 16, NULL since. */
static const char q_statistics[] =
	"SELECT n.nspname AS schema, x.stxname AS name,"
	" tn.nspname AS table_schema, t.relname AS table,"
	" pg_catalog.pg_get_statisticsobjdef(x.oid) AS definition,"
	" NULLIF(x.stxstattarget, -1)::pg_catalog.text AS stattarget,"
	" d.description AS comment"
	" FROM pg_catalog.pg_statistic_ext x"
	" JOIN pg_catalog.pg_namespace n ON n.oid = x.stxnamespace"
	" JOIN pg_catalog.pg_class t ON t.oid = x.stxrelid"
	" JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace"
	DESC("d", "pg_statistic_ext", "x.oid", "0")
	" WHERE " USER_NS("n")
	" AND " NOT_EXT("pg_statistic_ext", "x.oid")
	" ORDER BY 1, 2";

/* check_option is a reloption of its own kind in the model. */
static const char q_views[] =
	"SELECT c.oid, n.nspname AS schema, c.relname AS name,"
	" c.relkind = 'm' AS materialized,"
	" pg_catalog.pg_get_viewdef(c.oid, true) AS definition,"
	" NULLIF(pg_catalog.array_to_string(ARRAY("
	"  SELECT o FROM pg_catalog.unnest(c.reloptions) o"
	"  WHERE o NOT LIKE 'check\\_option=%'), ','), '') AS options,"
	" (SELECT pg_catalog.substr(o, 14)"
	"  FROM pg_catalog.unnest(c.reloptions) o"
	"  WHERE o LIKE 'check\\_option=%' LIMIT 1) AS check_option,"
	" d.description AS comment"
	" FROM pg_catalog.pg_class c"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	DESC("d", "pg_class", "c.oid", "0")
	" WHERE c.relkind IN ('v', 'm') AND " USER_NS("n")
	" AND " NOT_EXT("pg_class", "c.oid")
	" ORDER BY c.oid";

static const char q_view_columns[] =
	"SELECT a.attrelid AS oid, a.attname AS name, d.description AS comment"
	" FROM pg_catalog.pg_description d"
	" JOIN pg_catalog.pg_class c ON c.oid = d.objoid"
	"  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	" JOIN pg_catalog.pg_attribute a"
	"  ON a.attrelid = c.oid AND a.attnum = d.objsubid"
	" WHERE d.objsubid > 0 AND c.relkind IN ('v', 'm')"
	" ORDER BY a.attrelid, a.attnum";

/* A view's query is its _RETURN rule; the rule depends on every
 * relation the query reads (and internally on the view itself): on the
 * whole relation (objsubid 0) or on each column it reads. One row per
 * (view, relation, column), column NULL for the whole relation. */
static const char q_view_deps[] =
	"SELECT DISTINCT r.ev_class AS oid, rn.nspname AS schema,"
	" rc.relname AS name, a.attname AS column"
	" FROM pg_catalog.pg_rewrite r"
	" JOIN pg_catalog.pg_class v ON v.oid = r.ev_class"
	"  AND v.relkind IN ('v', 'm')"
	" JOIN pg_catalog.pg_depend dp"
	"  ON dp.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass"
	"  AND dp.objid = r.oid"
	"  AND dp.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"  AND dp.refobjid <> r.ev_class"
	" JOIN pg_catalog.pg_class rc ON rc.oid = dp.refobjid"
	" JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
	" LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = dp.refobjid"
	"  AND a.attnum = dp.refobjsubid AND dp.refobjsubid > 0"
	" WHERE " USER_NS("rn")
	" ORDER BY 1, 2, 3, 4";

/* identity_args: proargtypes are the arguments that identify a routine
 * (IN, INOUT and VARIADIC), the rule of DROP FUNCTION. Routines the
 * server made for another object (a range type's constructors) are that
 * object's. pg_get_functiondef() refuses aggregates. */
static const char q_functions[] =
	"SELECT p.oid, n.nspname AS schema, p.proname AS name, p.prokind AS kind,"
	" pg_catalog.oidvectortypes(p.proargtypes) AS identity_args,"
	" pg_catalog.pg_get_function_identity_arguments(p.oid) AS signature,"
	" CASE WHEN p.prokind IN ('f', 'p', 'w')"
	"  THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition,"
	" pg_catalog.pg_get_function_result(p.oid) AS result,"
	" d.description AS comment,"
	/* The parts function.h compares. prosqlbody (PostgreSQL 14+) is
	 * read through to_jsonb so that version 13 answers too. */
	" pg_catalog.pg_get_expr(p.proargdefaults, 0) AS arg_defaults,"
	" l.lanname AS language, p.provolatile AS volatility,"
	" p.proparallel AS parallel, p.proisstrict AS strict,"
	" p.prosecdef AS secdef, p.proleakproof AS leakproof,"
	" p.proretset AS retset, p.procost AS cost, p.prorows AS rows,"
	" NULLIF(p.prosupport::pg_catalog.regproc::text, '-') AS support,"
	" (SELECT pg_catalog.string_agg(pg_catalog.format_type(t.oid, NULL),"
	"   ', ' ORDER BY t.ord)"
	"  FROM pg_catalog.unnest(p.protrftypes) WITH ORDINALITY"
	"  AS t(oid, ord)) AS transforms,"
	" p.probin AS module, p.proconfig AS sets,"
	" CASE WHEN pg_catalog.to_jsonb(p) ->> 'prosqlbody' IS NULL"
	"  THEN p.prosrc END AS body"
	" FROM pg_catalog.pg_proc p"
	" JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	" JOIN pg_catalog.pg_language l ON l.oid = p.prolang"
	DESC("d", "pg_proc", "p.oid", "0")
	" WHERE " USER_NS("n")
	" AND " NOT_EXT("pg_proc", "p.oid")
	" AND " NOT_INTERNAL("pg_proc", "p.oid");

/* What a SQL-standard body (prosqlbody, PostgreSQL 14+: read through
 * to_jsonb so that older servers answer too) reads, by pg_depend: the
 * relations and their columns ('r'), and the user functions ('f'). A
 * row with only the routine and no reference marks the body kind. The
 * user's routines are picked first (OFFSET 0 keeps the planner from
 * pushing to_jsonb down to all of pg_proc's ~3,000 rows: 30 ms a
 * schema load, against 1 ms). */
static const char q_function_deps[] =
	"WITH b AS (SELECT q.oid FROM (SELECT p.* FROM pg_catalog.pg_proc p"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	"  WHERE " USER_NS("n") " OFFSET 0) q"
	"  WHERE pg_catalog.to_jsonb(q) ->> 'prosqlbody' IS NOT NULL)"
	" SELECT b.oid, 'b' AS kind, NULL AS schema, NULL AS name,"
	"  NULL AS column FROM b"
	" UNION"
	" SELECT b.oid, 'r', rn.nspname, rc.relname, a.attname"
	" FROM b JOIN pg_catalog.pg_depend dp"
	"  ON dp.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
	"  AND dp.objid = b.oid"
	"  AND dp.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	" JOIN pg_catalog.pg_class rc ON rc.oid = dp.refobjid"
	"  AND rc.relkind IN ('r', 'p', 'v', 'm', 'f')"
	" JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
	" LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = dp.refobjid"
	"  AND a.attnum = dp.refobjsubid AND dp.refobjsubid > 0"
	" WHERE " USER_NS("rn")
	" UNION"
	" SELECT b.oid, 'f', fn.nspname, fp.proname, NULL"
	" FROM b JOIN pg_catalog.pg_depend dp"
	"  ON dp.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
	"  AND dp.objid = b.oid"
	"  AND dp.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
	"  AND dp.refobjid <> b.oid"
	" JOIN pg_catalog.pg_proc fp ON fp.oid = dp.refobjid"
	" JOIN pg_catalog.pg_namespace fn ON fn.oid = fp.pronamespace"
	" WHERE " USER_NS("fn")
	" ORDER BY 1, 2, 3, 4, 5";

/* A support function as regproc prints it: qualified outside
 * pg_catalog, NULL for none (regproc's "-"). */
#define AGG_FN(col) "NULLIF(" col "::pg_catalog.regproc::text, '-')"

/* The parts of CREATE AGGREGATE (there is no pg_get_aggregatedef();
 * aggregate.c writes the statement the way pg_dump does), and the
 * user-schema functions an aggregate uses (pg_depend), for ordering. */
static const char q_aggregates[] =
	"SELECT a.aggfnoid::pg_catalog.oid AS oid,"
	" pg_catalog.pg_get_function_arguments(a.aggfnoid) AS args,"
	" a.aggkind AS kind, " AGG_FN("a.aggtransfn") " AS sfunc,"
	" pg_catalog.format_type(a.aggtranstype, NULL) AS stype,"
	" NULLIF(a.aggtransspace, 0) AS sspace, a.agginitval AS initcond,"
	" " AGG_FN("a.aggfinalfn") " AS finalfunc,"
	" a.aggfinalextra AS finalextra, a.aggfinalmodify AS finalmodify,"
	" " AGG_FN("a.aggcombinefn") " AS combinefunc,"
	" " AGG_FN("a.aggserialfn") " AS serialfunc,"
	" " AGG_FN("a.aggdeserialfn") " AS deserialfunc,"
	" " AGG_FN("a.aggmtransfn") " AS msfunc,"
	" " AGG_FN("a.aggminvtransfn") " AS minvfunc,"
	" CASE WHEN a.aggmtranstype <> 0"
	"  THEN pg_catalog.format_type(a.aggmtranstype, NULL) END AS mstype,"
	" NULLIF(a.aggmtransspace, 0) AS msspace, a.aggminitval AS minitcond,"
	" " AGG_FN("a.aggmfinalfn") " AS mfinalfunc,"
	" a.aggmfinalextra AS mfinalextra, a.aggmfinalmodify AS mfinalmodify,"
	" CASE WHEN a.aggsortop <> 0 THEN 'OPERATOR(' ||"
	"  pg_catalog.quote_ident(opn.nspname) || '.' || o.oprname || ')'"
	"  END AS sortop,"
	" p.proparallel AS parallel,"
	" dd.dep_schemas, dd.dep_names"
	" FROM pg_catalog.pg_aggregate a"
	" JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	" LEFT JOIN pg_catalog.pg_operator o ON o.oid = a.aggsortop"
	" LEFT JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace"
	" CROSS JOIN LATERAL (SELECT"
	"  pg_catalog.array_agg(dn.nspname::text ORDER BY dn.nspname, dp.proname)"
	"  AS dep_schemas,"
	"  pg_catalog.array_agg(dp.proname::text ORDER BY dn.nspname, dp.proname)"
	"  AS dep_names"
	"  FROM pg_catalog.pg_depend d"
	"  JOIN pg_catalog.pg_proc dp ON dp.oid = d.refobjid"
	"  JOIN pg_catalog.pg_namespace dn ON dn.oid = dp.pronamespace"
	"  WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
	"  AND d.objid = a.aggfnoid AND d.deptype = 'n'"
	"  AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
	"  AND " USER_NS("dn") ") dd"
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_proc", "p.oid")
	" ORDER BY a.aggfnoid";

/* Triggers cloned onto partitions (tgparentid) are the parent's. */
static const char q_triggers[] =
	"SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name,"
	" pg_catalog.pg_get_triggerdef(t.oid) AS definition,"
	/* The columns its WHEN clause reads and those of UPDATE OF
	 * (pg_depend, objsubid > 0): only changing those needs the trigger
	 * out of the way. */
	" ARRAY(SELECT DISTINCT a.attname::text"
	"  FROM pg_catalog.pg_depend dp"
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = dp.refobjid"
	"   AND a.attnum = dp.refobjsubid"
	"  WHERE dp.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass"
	"  AND dp.objid = t.oid AND dp.refobjid = t.tgrelid"
	"  AND dp.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"  AND dp.refobjsubid > 0 ORDER BY 1) AS columns,"
	" fn.nspname AS function_schema, f.proname AS function_name,"
	" t.tgenabled AS enabled, d.description AS comment"
	" FROM pg_catalog.pg_trigger t"
	" JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid"
	" JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace"
	DESC("d", "pg_trigger", "t.oid", "0")
	" WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND " USER_NS("n")
	" AND " NOT_EXT("pg_class", "c.oid");

static const char q_policies[] =
	"SELECT n.nspname AS schema, c.relname AS table, p.polname AS name,"
	" p.polpermissive AS permissive, p.polcmd AS command,"
	" ARRAY(SELECT CASE WHEN r = 0 THEN 'public'"
	"  ELSE pg_catalog.pg_get_userbyid(r)::text END"
	"  FROM pg_catalog.unnest(p.polroles) r) AS roles,"
	" pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,"
	" pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr,"
	" d.description AS comment, dd.dep_schemas, dd.dep_tables,"
	" dd.dep_columns"
	" FROM pg_catalog.pg_policy p"
	" JOIN pg_catalog.pg_class c ON c.oid = p.polrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	DESC("d", "pg_policy", "p.oid", "0")
	/* The columns its clauses read (pg_depend, objsubid > 0), of its
	 * table or of another relation: only changing those needs the
	 * policy out of the way. */
	" CROSS JOIN LATERAL (SELECT"
	"  pg_catalog.array_agg(rn.nspname::text) AS dep_schemas,"
	"  pg_catalog.array_agg(rc.relname::text) AS dep_tables,"
	"  pg_catalog.array_agg(a.attname::text) AS dep_columns"
	"  FROM pg_catalog.pg_depend dp"
	"  JOIN pg_catalog.pg_class rc ON rc.oid = dp.refobjid"
	"  JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = dp.refobjid"
	"   AND a.attnum = dp.refobjsubid"
	"  WHERE dp.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass"
	"  AND dp.objid = p.oid AND dp.refobjsubid > 0"
	"  AND dp.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass) dd"
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_class", "c.oid");

/* Objects whose expressions use an enum (see m_typeuse in model.h):
 * pg_depend on the type, an array type counting as its element; a CHECK
 * constraint also through a column of the type it reads (the server
 * re-creates it when the column is retyped, with the other columns
 * still of the old type). */
#define TU_REL(oid)                                                     \
	" JOIN pg_catalog.pg_class r ON r.oid = " oid                          \
	" JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace"
static const char q_type_uses[] =
	"WITH u(classid, objid, typ, direct) AS ("
	" SELECT d.classid, d.objid, d.refobjid, true"
	"  FROM pg_catalog.pg_depend d"
	"  WHERE d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass"
	"  AND d.deptype = 'n'"
	" UNION ALL"
	" SELECT d.classid, d.objid, a.atttypid, false"
	"  FROM pg_catalog.pg_depend d"
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid"
	"   AND a.attnum = d.refobjsubid"
	"  WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"  AND d.refobjsubid > 0"
	"  AND d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass),"
	" e(classid, objid, direct, schema, name) AS ("
	" SELECT u.classid, u.objid, u.direct, tn.nspname, t.typname"
	"  FROM u JOIN pg_catalog.pg_type a ON a.oid = u.typ"
	"  JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN a.typcategory = 'A'"
	"   AND a.typelem <> 0 THEN a.typelem ELSE a.oid END"
	"  JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace"
	"  WHERE t.typtype = 'e' AND " USER_NS("tn") ")"
	" SELECT 'c' AS kind, n.nspname AS schema, r.relname AS table,"
	" k.conname AS name, e.schema AS type_schema, e.name AS type_name"
	" FROM e JOIN pg_catalog.pg_constraint k ON k.oid = e.objid"
	"  AND k.contype = 'c'" TU_REL("k.conrelid")
	" WHERE e.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass"
	" UNION"
	" SELECT 'i', n.nspname, r.relname, i.relname, e.schema, e.name"
	" FROM e JOIN pg_catalog.pg_class i ON i.oid = e.objid"
	"  AND i.relkind IN ('i', 'I')"
	" JOIN pg_catalog.pg_index x ON x.indexrelid = i.oid"
	TU_REL("x.indrelid")
	" WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	" AND e.direct"
	" UNION"
	" SELECT 'd', n.nspname, r.relname, a.attname, e.schema, e.name"
	" FROM e JOIN pg_catalog.pg_attrdef ad ON ad.oid = e.objid"
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid"
	"  AND a.attnum = ad.adnum" TU_REL("ad.adrelid")
	" WHERE e.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass"
	" UNION"
	" SELECT 'v', n.nspname, r.relname, NULL, e.schema, e.name"
	" FROM e JOIN pg_catalog.pg_rewrite w ON w.oid = e.objid"
	TU_REL("w.ev_class") " AND r.relkind IN ('v', 'm')"
	" WHERE e.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass"
	" UNION"
	" SELECT 'p', n.nspname, r.relname, p.polname, e.schema, e.name"
	" FROM e JOIN pg_catalog.pg_policy p ON p.oid = e.objid"
	TU_REL("p.polrelid")
	" WHERE e.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass"
	" UNION"
	" SELECT 't', n.nspname, r.relname, g.tgname, e.schema, e.name"
	" FROM e JOIN pg_catalog.pg_trigger g ON g.oid = e.objid"
	"  AND NOT g.tgisinternal" TU_REL("g.tgrelid")
	" WHERE e.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass"
	" ORDER BY 1, 2, 3, 4, 5, 6";

/*
 * Explicit grants: every non-NULL ACL, exploded, minus what the object
 * has without any GRANT (acldefault: the owner's privileges) and minus
 * the owner's own.  Routines and types are the exception: their default
 * EXECUTE / USAGE to PUBLIC is reported as a grant (a NULL ACL reads as
 * acldefault()), so that a REVOKE of it is visible; the parser adds the
 * same row when it creates the object.
 * The public schema is implicit: PostgreSQL 15 creates it with USAGE to
 * PUBLIC, which is left out too. `def` is acldefault()'s object code.
 * The pseudo-role PUBLIC (grantee 0) comes back as a NULL grantee, so that
 * a role whose name is "PUBLIC" stays a role.
 */
static const char q_grants[] =
	"WITH o(kind, def, schema, name, col, owner, acl) AS ("
	" SELECT CASE WHEN c.relkind = 'S' THEN 'S' ELSE 'r' END,"
	"  CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END,"
	"  n.nspname::text, c.relname::text, NULL::text, c.relowner, c.relacl"
	"  FROM pg_catalog.pg_class c"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  WHERE c.relacl IS NOT NULL"
	"  AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
	"  AND " USER_NS("n") " AND " NOT_EXT("pg_class", "c.oid")
	" UNION ALL"
	" SELECT 'r', 'c', n.nspname, c.relname, a.attname, c.relowner, a.attacl"
	"  FROM pg_catalog.pg_attribute a"
	"  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped"
	"  AND c.relkind IN ('r', 'p', 'v', 'm')"
	"  AND " USER_NS("n") " AND " NOT_EXT("pg_class", "c.oid")
	" UNION ALL"
	" SELECT 'n', 'n', NULL, n.nspname, NULL, n.nspowner, n.nspacl"
	"  FROM pg_catalog.pg_namespace n"
	"  WHERE n.nspacl IS NOT NULL"
	"  AND " USER_NS("n") " AND " NOT_EXT("pg_namespace", "n.oid")
	" UNION ALL"
	" SELECT 'f', 'f', n.nspname,"
	"  p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',"
	"  NULL, p.proowner,"
	"  COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))"
	"  FROM pg_catalog.pg_proc p"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	"  WHERE " USER_NS("n") " AND " NOT_EXT("pg_proc", "p.oid")
	"  AND " NOT_INTERNAL("pg_proc", "p.oid")
	" UNION ALL"
	" SELECT 'T', 'T', n.nspname, t.typname, NULL, t.typowner,"
	"  COALESCE(t.typacl, pg_catalog.acldefault('T', t.typowner))"
	"  FROM pg_catalog.pg_type t"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	"  LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid"
	"  WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND r.relkind = 'c'))"
	"  AND " USER_NS("n") " AND " NOT_EXT("pg_type", "t.oid")
	")"
	" SELECT o.kind, o.schema, o.name, o.col AS column,"
	" CASE WHEN x.grantee <> 0"
	"  THEN pg_catalog.pg_get_userbyid(x.grantee)::text END AS grantee,"
	" x.privilege_type AS privilege, x.is_grantable AS grantable"
	" FROM o CROSS JOIN LATERAL pg_catalog.aclexplode(o.acl) x"
	" WHERE x.grantee <> o.owner"
	" AND NOT (o.kind = 'n' AND o.name = 'public' AND x.grantee = 0"
	"  AND x.privilege_type = 'USAGE' AND NOT x.is_grantable)"
	" AND ((o.kind IN ('f', 'T') AND x.grantee = 0)"
	"  OR NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode("
	"  pg_catalog.acldefault(o.def::\"char\", o.owner)) dx"
	"  WHERE dx.grantee = x.grantee"
	"  AND dx.privilege_type = x.privilege_type"
	"  AND dx.is_grantable = x.is_grantable))";

/*
 * What the model cannot hold, so that the user is told instead of
 * silently losing it: one message per object.
 */
static const char q_unsupported[] =
	"SELECT pg_catalog.format('foreign table %I.%I is not supported',"
	"  n.nspname, c.relname) AS message"
	" FROM pg_catalog.pg_class c"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relkind = 'f' AND " USER_NS("n")
	" AND " NOT_EXT("pg_class", "c.oid")
	" UNION ALL"
	" SELECT pg_catalog.format('rule %I on %I.%I is not supported',"
	"  r.rulename, n.nspname, c.relname)"
	" FROM pg_catalog.pg_rewrite r"
	" JOIN pg_catalog.pg_class c ON c.oid = r.ev_class"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE r.rulename <> '_RETURN' AND " USER_NS("n")
	" AND " NOT_EXT("pg_class", "c.oid")
	" UNION ALL"
	" SELECT pg_catalog.format('event trigger %I is not supported',"
	"  et.evtname)"
	" FROM pg_catalog.pg_event_trigger et"
	" WHERE " NOT_EXT("pg_event_trigger", "et.oid")
	" UNION ALL"
	" SELECT pg_catalog.format('conversion %I.%I is not supported',"
	"  n.nspname, cv.conname)"
	" FROM pg_catalog.pg_conversion cv"
	" JOIN pg_catalog.pg_namespace n ON n.oid = cv.connamespace"
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_conversion", "cv.oid")
	" UNION ALL"
	" SELECT pg_catalog.format('foreign server %I is not supported',"
	"  fs.srvname)"
	" FROM pg_catalog.pg_foreign_server fs"
	" WHERE " NOT_EXT("pg_foreign_server", "fs.oid")
	" UNION ALL"
	" SELECT pg_catalog.format('publication %I is not supported',"
	"  pb.pubname)"
	" FROM pg_catalog.pg_publication pb"
	" UNION ALL"
	" SELECT 'USAGE on schema public was revoked from PUBLIC;"
	" the model cannot express a revoked default'"
	" FROM pg_catalog.pg_namespace n"
	" WHERE n.nspname = 'public' AND n.nspacl IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode(n.nspacl) x"
	"  WHERE x.grantee = 0 AND x.privilege_type = 'USAGE')"
	" ORDER BY 1";

/* clang-format on */

const pg_catalog_query_def pg_catalog_queries[PGQ_COUNT] = {
    [PGQ_SCHEMAS] = {"schemas", q_schemas},
    [PGQ_EXTENSIONS] = {"extensions", q_extensions},
    [PGQ_COLLATIONS] = {"collations", pg_q_collations},
    [PGQ_CASTS] = {"casts", pg_q_casts},
    [PGQ_TS_DICTS] = {"text search dictionaries", pg_q_ts_dicts},
    [PGQ_TS_CONFIGS] = {"text search configurations", pg_q_ts_configs},
    [PGQ_OPERATORS] = {"operators", pg_q_operators},
    [PGQ_OPFAMILIES] = {"operator families", pg_q_opfamilies},
    [PGQ_OPCLASSES] = {"operator classes", pg_q_opclasses},
    [PGQ_OPMEMBERS] = {"operator class members", pg_q_opmembers},
    [PGQ_ENUMS] = {"enums", q_enums},
    [PGQ_DOMAINS] = {"domains", q_domains},
    [PGQ_DOMAIN_CHECKS] = {"domain constraints", q_domain_checks},
    [PGQ_COMPOSITES] = {"composite types", q_composites},
    [PGQ_RANGES] = {"range types", q_ranges},
    [PGQ_SEQUENCES] = {"sequences", q_sequences},
    [PGQ_TABLES] = {"tables", q_tables},
    [PGQ_INHERITS] = {"inheritance", q_inherits},
    [PGQ_COLUMNS] = {"columns", q_columns},
    [PGQ_CONSTRAINTS] = {"constraints", q_constraints},
    [PGQ_INDEXES] = {"indexes", q_indexes},
    [PGQ_STATISTICS] = {"statistics objects", q_statistics},
    [PGQ_VIEWS] = {"views", q_views},
    [PGQ_VIEW_COLUMNS] = {"view column comments", q_view_columns},
    [PGQ_VIEW_DEPS] = {"view dependencies", q_view_deps},
    [PGQ_FUNCTIONS] = {"functions", q_functions},
    [PGQ_FUNCTION_DEPS] = {"function body dependencies", q_function_deps},
    [PGQ_AGGREGATES] = {"aggregates", q_aggregates},
    [PGQ_TRIGGERS] = {"triggers", q_triggers},
    [PGQ_POLICIES] = {"policies", q_policies},
    [PGQ_TYPE_USES] = {"expressions using enums", q_type_uses},
    [PGQ_GRANTS] = {"privileges", q_grants},
    [PGQ_UNSUPPORTED] = {"unsupported objects", q_unsupported},
};
