/*
 * The catalog queries for collations, casts and text search
 * dictionaries and configurations (catalog.h).
 */
#include "catalog.h"
#include "catalog_sql.h"

/*
 * Each query is laid out as SQL, one clause a line.
 */
/* clang-format off */

/* The ICU locale moved from collcollate to colliculocale (15) and then to
 * colllocale (17): read through to_jsonb so one query fits them all. */
const char pg_q_collations[] =
	"SELECT n.nspname AS schema, co.collname AS name,"
	" co.collprovider AS provider,"
	" co.collisdeterministic AS deterministic,"
	" co.collcollate AS collate, co.collctype AS ctype,"
	" COALESCE(pg_catalog.to_jsonb(co) ->> 'colllocale',"
	"  pg_catalog.to_jsonb(co) ->> 'colliculocale', co.collcollate)"
	"  AS locale,"
	" pg_catalog.to_jsonb(co) ->> 'collicurules' AS rules,"
	" d.description AS comment"
	" FROM pg_catalog.pg_collation co"
	" JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace"
	DESC("d", "pg_collation", "co.oid", "0")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_collation", "co.oid")
	" ORDER BY 1, 2";

/* Casts made after initdb (the oid) and not by an extension. A
 * function is spelled as a cast's definition names it (cast.h). */
const char pg_q_casts[] =
	"SELECT pg_catalog.format_type(ca.castsource, NULL) AS source,"
	" pg_catalog.format_type(ca.casttarget, NULL) AS target,"
	" ca.castmethod AS method, ca.castcontext AS context,"
	" fn.nspname AS fn_schema, p.proname AS fn_name,"
	" pg_catalog.oidvectortypes(p.proargtypes) AS fn_args,"
	" d.description AS comment"
	" FROM pg_catalog.pg_cast ca"
	" LEFT JOIN pg_catalog.pg_proc p ON p.oid = ca.castfunc"
	" LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace"
	DESC("d", "pg_cast", "ca.oid", "0")
	" WHERE ca.oid >= 16384 AND " NOT_EXT("pg_cast", "ca.oid")
	/* The casts CREATE TYPE ... AS RANGE makes to its multirange
	 * belong to the type (an internal dependency), like its
	 * constructor functions: a file never writes them. */
	" AND " NOT_INTERNAL("pg_cast", "ca.oid")
	" ORDER BY 1, 2";

/* dictinitoption is kept as the server serialised it. */
const char pg_q_ts_dicts[] =
	"SELECT n.nspname AS schema, td.dictname AS name,"
	" " VISIBLE_NAME("tn.nspname", "tt.tmplname") " AS template,"
	" td.dictinitoption AS options, d.description AS comment"
	" FROM pg_catalog.pg_ts_dict td"
	" JOIN pg_catalog.pg_namespace n ON n.oid = td.dictnamespace"
	" JOIN pg_catalog.pg_ts_template tt ON tt.oid = td.dicttemplate"
	" JOIN pg_catalog.pg_namespace tn ON tn.oid = tt.tmplnamespace"
	DESC("d", "pg_ts_dict", "td.oid", "0")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_ts_dict", "td.oid")
	" ORDER BY 1, 2";

/* One row per configuration and token type (LEFT JOIN: a configuration
 * may map none), the token named by its parser's alias, the
 * dictionaries in the order they are tried. */
const char pg_q_ts_configs[] =
	"SELECT c.oid, n.nspname AS schema, c.cfgname AS name,"
	" " VISIBLE_NAME("pn.nspname", "p.prsname") " AS parser,"
	" m.token, m.dicts, d.description AS comment"
	" FROM pg_catalog.pg_ts_config c"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace"
	" JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser"
	" JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace"
	" LEFT JOIN LATERAL (SELECT t.alias AS token,"
	"  pg_catalog.string_agg(" VISIBLE_NAME("dn.nspname", "dd.dictname")
	"  , ', ' ORDER BY cm.mapseqno) AS dicts"
	"  FROM pg_catalog.pg_ts_config_map cm"
	"  JOIN pg_catalog.pg_ts_dict dd ON dd.oid = cm.mapdict"
	"  JOIN pg_catalog.pg_namespace dn ON dn.oid = dd.dictnamespace"
	"  JOIN pg_catalog.ts_token_type(c.cfgparser) t"
	"   ON t.tokid = cm.maptokentype"
	"  WHERE cm.mapcfg = c.oid GROUP BY t.alias) m ON true"
	DESC("d", "pg_ts_config", "c.oid", "0")
	" WHERE " USER_NS("n") " AND " NOT_EXT("pg_ts_config", "c.oid")
	" ORDER BY c.oid, m.token";

/* clang-format on */
