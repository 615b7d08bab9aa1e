/*
 * The catalog queries for operators, operator families and operator
 * classes (catalog.h). Shell operators (oprcode 0, made by a COMMUTATOR
 * that names one not yet defined) are no objects of their own, as for
 * pg_dump.
 */
#include "catalog.h"
#include "catalog_sql.h"

/*
 * What uses the object `oid` of `catalog` (pg_depend, normal deps), as
 * four parallel arrays: kind ('i' index, 'c' table constraint, 'v'
 * view, 'o' other), schema, table and name ("" for none: the arrays'
 * text form is read without NULLs). An index that implements a
 * constraint is the constraint, as in the model; an "other" is named by
 * the server's description. Members of operator classes and families
 * are left out: the model holds them.
 */
#define OPUSERS(catalog, oid)                                                  \
	" CROSS JOIN LATERAL (SELECT"                                          \
	"  pg_catalog.array_agg(u.kind ORDER BY u.kind, u.schema, u.tbl,"      \
	"   u.name) AS user_kinds,"                                            \
	"  pg_catalog.array_agg(COALESCE(u.schema, '') ORDER BY u.kind, "      \
	"u.schema, u.tbl,"                                                     \
	"   u.name) AS user_schemas,"                                          \
	"  pg_catalog.array_agg(COALESCE(u.tbl, '') ORDER BY u.kind, "         \
	"u.schema, u.tbl,"                                                     \
	"   u.name) AS user_tables,"                                           \
	"  pg_catalog.array_agg(u.name ORDER BY u.kind, u.schema, u.tbl,"      \
	"   u.name) AS user_names"                                             \
	"  FROM (SELECT DISTINCT"                                              \
	"   CASE WHEN ux.oid IS NOT NULL THEN 'c'"                             \
	"    WHEN uc.relkind IN ('i', 'I') THEN 'i'"                           \
	"    WHEN uv.relkind IN ('v', 'm') THEN 'v' ELSE 'o' END AS kind,"     \
	"   CASE WHEN ux.oid IS NOT NULL THEN uxn.nspname::text"               \
	"    WHEN uc.relkind IN ('i', 'I') THEN ucn.nspname::text"             \
	"    WHEN uv.relkind IN ('v', 'm') THEN uvn.nspname::text END"         \
	"    AS schema,"                                                       \
	"   uxt.relname::text AS tbl,"                                         \
	"   CASE WHEN ux.oid IS NOT NULL THEN ux.conname::text"                \
	"    WHEN uc.relkind IN ('i', 'I') THEN uc.relname::text"              \
	"    WHEN uv.relkind IN ('v', 'm') THEN uv.relname::text"              \
	"    ELSE pg_catalog.pg_describe_object(ud.classid, ud.objid,"         \
	"     ud.objsubid) END AS name"                                        \
	"   FROM pg_catalog.pg_depend ud"                                      \
	"   LEFT JOIN pg_catalog.pg_class uc ON ud.classid ="                  \
	"    'pg_catalog.pg_class'::pg_catalog.regclass AND uc.oid = ud.objid" \
	"   LEFT JOIN pg_catalog.pg_namespace ucn ON ucn.oid = "               \
	"uc.relnamespace"                                                      \
	"   LEFT JOIN pg_catalog.pg_constraint ux ON ux.conrelid <> 0 AND"     \
	"    ((ud.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass"   \
	"    AND ux.oid = ud.objid) OR (uc.relkind IN ('i', 'I')"              \
	"    AND ux.conindid = uc.oid AND ux.contype IN ('p', 'u', 'x')))"     \
	"   LEFT JOIN pg_catalog.pg_class uxt ON uxt.oid = ux.conrelid"        \
	"   LEFT JOIN pg_catalog.pg_namespace uxn ON uxn.oid = "               \
	"uxt.relnamespace"                                                     \
	"   LEFT JOIN pg_catalog.pg_rewrite ur ON ud.classid ="                \
	"    'pg_catalog.pg_rewrite'::pg_catalog.regclass AND ur.oid = "       \
	"ud.objid"                                                             \
	"   LEFT JOIN pg_catalog.pg_class uv ON uv.oid = ur.ev_class"          \
	"   LEFT JOIN pg_catalog.pg_namespace uvn ON uvn.oid = "               \
	"uv.relnamespace"                                                      \
	"   WHERE ud.refclassid = 'pg_catalog." catalog                        \
	"'::pg_catalog.regclass AND ud.refobjid = " oid                        \
	"   AND ud.deptype = 'n' AND ud.classid NOT IN ("                      \
	"    'pg_catalog.pg_amop'::pg_catalog.regclass,"                       \
	"    'pg_catalog.pg_amproc'::pg_catalog.regclass,"                     \
	"    'pg_catalog.pg_opclass'::pg_catalog.regclass,"                    \
	"    'pg_catalog.pg_opfamily'::pg_catalog.regclass)) u) us"

/* An operator as COMMUTATOR and NEGATOR name it: always qualified. */
#define OPER_REF(alias, ns)                                                    \
	"CASE WHEN " alias ".oid IS NOT NULL THEN 'OPERATOR(' ||"              \
	" pg_catalog.quote_ident(" ns ".nspname) || '.' || " alias             \
	".oprname || ')' END"

/* clang-format off */

const char pg_q_operators[] =
	"SELECT n.nspname AS schema, o.oprname AS name,"
	" CASE WHEN o.oprleft <> 0"
	"  THEN pg_catalog.format_type(o.oprleft, NULL) END AS lefttype,"
	" CASE WHEN o.oprright <> 0"
	"  THEN pg_catalog.format_type(o.oprright, NULL) END AS righttype,"
	" " VISIBLE_NAME("fn.nspname", "f.proname") " AS function,"
	" fn.nspname AS function_schema, f.proname AS function_name,"
	" " OPER_REF("com", "comn") " AS commutator,"
	" " OPER_REF("neg", "negn") " AS negator,"
	" o.oprcanmerge AS merges, o.oprcanhash AS hashes,"
	" CASE WHEN rs.oid IS NOT NULL THEN "
	VISIBLE_NAME("rsn.nspname", "rs.proname") " END AS restrict_fn,"
	" rsn.nspname AS restrict_schema, rs.proname AS restrict_name,"
	" CASE WHEN jn.oid IS NOT NULL THEN "
	VISIBLE_NAME("jnn.nspname", "jn.proname") " END AS join_fn,"
	" jnn.nspname AS join_schema, jn.proname AS join_name,"
	" d.description AS comment,"
	" us.user_kinds, us.user_schemas, us.user_tables, us.user_names"
	" FROM pg_catalog.pg_operator o"
	" JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace"
	" JOIN pg_catalog.pg_proc f ON f.oid = o.oprcode"
	" JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace"
	" LEFT JOIN pg_catalog.pg_operator com ON com.oid = o.oprcom"
	" LEFT JOIN pg_catalog.pg_namespace comn ON comn.oid = com.oprnamespace"
	" LEFT JOIN pg_catalog.pg_operator neg ON neg.oid = o.oprnegate"
	" LEFT JOIN pg_catalog.pg_namespace negn ON negn.oid = neg.oprnamespace"
	" LEFT JOIN pg_catalog.pg_proc rs ON rs.oid = o.oprrest"
	" LEFT JOIN pg_catalog.pg_namespace rsn ON rsn.oid = rs.pronamespace"
	" LEFT JOIN pg_catalog.pg_proc jn ON jn.oid = o.oprjoin"
	" LEFT JOIN pg_catalog.pg_namespace jnn ON jnn.oid = jn.pronamespace"
	DESC("d", "pg_operator", "o.oid", "0")
	OPUSERS("pg_operator", "o.oid")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_operator", "o.oid")
	" ORDER BY o.oid";

const char pg_q_opfamilies[] =
	"SELECT f.oid, n.nspname AS schema, f.opfname AS name,"
	" am.amname AS method, d.description AS comment,"
	" us.user_kinds, us.user_schemas, us.user_tables, us.user_names"
	" FROM pg_catalog.pg_opfamily f"
	" JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace"
	" JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod"
	DESC("d", "pg_opfamily", "f.oid", "0")
	OPUSERS("pg_opfamily", "f.oid")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_opfamily", "f.oid")
	" ORDER BY f.oid";

const char pg_q_opclasses[] =
	"SELECT c.oid, n.nspname AS schema, c.opcname AS name,"
	" am.amname AS method, fn.nspname AS family_schema,"
	" f.opfname AS family, c.opcdefault AS is_default,"
	" pg_catalog.format_type(c.opcintype, NULL) AS type,"
	" CASE WHEN c.opckeytype <> 0"
	"  THEN pg_catalog.format_type(c.opckeytype, NULL) END AS storage,"
	" d.description AS comment,"
	" us.user_kinds, us.user_schemas, us.user_tables, us.user_names"
	" FROM pg_catalog.pg_opclass c"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace"
	" JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod"
	" JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily"
	" JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace"
	DESC("d", "pg_opclass", "c.oid", "0")
	OPUSERS("pg_opclass", "c.oid")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_opclass", "c.oid")
	" ORDER BY c.oid";

/* A member belongs to the class that holds it ('i') or, added with
 * ALTER OPERATOR FAMILY (or cross-type, which the access method makes a
 * soft dependency), to the family ('a'). `owner` is that oid; the
 * assembler drops the rows of classes and families it did not read. */
#define MEMBER_OWNER(cat, alias, family)                                       \
	" JOIN pg_catalog.pg_opfamily mf ON mf.oid = " alias "." family        \
	" JOIN pg_catalog.pg_namespace mfn ON mfn.oid = mf.opfnamespace"       \
	" AND " USER_NS("mfn")                                                 \
	" JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog." cat         \
	"'::pg_catalog.regclass AND d.objid = " alias ".oid"                   \
	" AND ((d.deptype = 'i' AND d.refclassid ="                            \
	"  'pg_catalog.pg_opclass'::pg_catalog.regclass)"                      \
	"  OR (d.deptype = 'a' AND d.refclassid ="                             \
	"  'pg_catalog.pg_opfamily'::pg_catalog.regclass))"

const char pg_q_opmembers[] =
	"SELECT d.refobjid AS owner, d.deptype = 'i' AS in_class,"
	" 'o' AS kind, o.amopstrategy AS number,"
	" pg_catalog.format_type(o.amoplefttype, NULL) AS lefttype,"
	" pg_catalog.format_type(o.amoprighttype, NULL) AS righttype,"
	" opn.nspname AS schema, op.oprname AS name, NULL::text AS args,"
	" CASE WHEN o.amoppurpose = 'o' THEN"
	"  pg_catalog.quote_ident(sfn.nspname) || '.' ||"
	"  pg_catalog.quote_ident(sf.opfname) END AS order_family"
	" FROM pg_catalog.pg_amop o"
	MEMBER_OWNER("pg_amop", "o", "amopfamily")
	" JOIN pg_catalog.pg_operator op ON op.oid = o.amopopr"
	" JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace"
	" LEFT JOIN pg_catalog.pg_opfamily sf ON sf.oid = o.amopsortfamily"
	" LEFT JOIN pg_catalog.pg_namespace sfn ON sfn.oid = sf.opfnamespace"
	" UNION ALL"
	" SELECT d.refobjid, d.deptype = 'i', 'f', p.amprocnum,"
	" pg_catalog.format_type(p.amproclefttype, NULL),"
	" pg_catalog.format_type(p.amprocrighttype, NULL),"
	" pn.nspname, pr.proname,"
	" pg_catalog.oidvectortypes(pr.proargtypes), NULL"
	" FROM pg_catalog.pg_amproc p"
	MEMBER_OWNER("pg_amproc", "p", "amprocfamily")
	" JOIN pg_catalog.pg_proc pr ON pr.oid = p.amproc"
	" JOIN pg_catalog.pg_namespace pn ON pn.oid = pr.pronamespace"
	" ORDER BY 1";

/* clang-format on */
