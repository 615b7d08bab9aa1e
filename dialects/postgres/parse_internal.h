/*
 * Internals of the DDL parser (pg_parse): the libpg_query protobuf tree is
 * walked statement by statement and turned into the schema model. Shared
 * only between dialects/postgres/parse*.c.
 */
#ifndef SCHEMIG_PG_PARSE_INTERNAL_H
#define SCHEMIG_PG_PARSE_INTERNAL_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>
#include <string.h>

#include "../../schema/model.h"
#include "../../util/error.h"
#include "../../util/strbuf.h"
#include "../../util/strmap.h"

typedef PgQuery__Node pnode;

/* Protobuf gives "" for an absent string. */
#define PP_STR(s) ((s) && *(s) ? (s) : NULL)

/* Remove item i of a model array. The freed last slot is zeroed: the
 * model's adders hand out slots as they find them. */
#define PP_REMOVE_AT(arr, n, i)                                                \
	do {                                                                   \
		memmove(&(arr)[(i)], &(arr)[(i) + 1],                          \
			sizeof(*(arr)) * (size_t)((n) - (i)-1));               \
		(n)--;                                                         \
		memset(&(arr)[(n)], 0, sizeof(*(arr)));                        \
	} while (0)

/* Node-case shorthand: NC(CREATE_STMT) */
#define NC(x) PG_QUERY__NODE__NODE_##x

/* One model array indexed by (schema, name): the position of the first
 * item with each key, and how many items are indexed. */
typedef struct pp_named {
	strmap pos;
	int done;
	bool dups; /* some key was met twice: removals rebuild */
} pp_named;

/* The lookup maps of parse_names.c, kept up to date lazily (see there
 * why). All zero is a valid empty state. */
typedef struct pp_names {
	bool stale; /* something was removed: rebuild before the next use */
	pp_named tables, indexes, sequences, views, composites;
	pp_named grants;	/* by every field but grantable */
	bool grants_stale;	/* a grant was removed (REVOKE) */
	int ndomains;		/* domains indexed */
	int *tcons, ctcons;	/* per table: constraints indexed */
	int *dchecks, cdchecks; /* per domain: checks indexed */
	/* Counted (a name may be held in several tables): key -> how many. */
	strmap relcons;	    /* p/u/x constraints: they own an index */
	strmap cons;	    /* table constraints and domain checks */
	m_ref *dirty;	    /* tables pp_find_table handed out in */
	int ndirty, cdirty; /* this statement */
	strbuf key;	    /* scratch for keys */
	/* CREATE INDEX ON ONLY a partitioned table: "index\ttable" of each
	 * partition whose index is still to be attached, and per index
	 * how many there are (pp_names_only_*). */
	strmap only_parts, only_left;
} pp_names;

/* Everything one pg_parse() call needs while walking statements. */
typedef struct pp_ctx {
	model *m;
	const char *sql;
	const char *filename;
	int line; /* 1-based line of the statement being handled */
	error *e;
	pp_names names;
	/* Holds the parse tree: whatever is put into the tree must be
	 * allocated here (it is freed as a whole, never node by node). */
	arena *tree;
} pp_ctx;

/* parse.c */
int pp_fail(pp_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pp_warn(pp_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *pp_sval(const pnode *n); /* String node's text, or NULL */
/* Schema of a RangeVar (public when unqualified), arena copies. */
const char *pp_rv_schema(const PgQuery__RangeVar *rv);
/* Split a name list (String nodes) into schema and name; schema defaults
 * to public. Returns -1 for an unusable list. */
int pp_qualname(pnode **items, size_t n, const char **schema,
		const char **name);

/* parse_names.c: lookups through hash maps (first item with the key, as
 * a scan would find it). pp_find_table also notes that the caller may
 * add constraints to the table. */
m_table *pp_find_table(pp_ctx *c, const PgQuery__RangeVar *rv);
m_table *pp_lookup_table(pp_ctx *c, const char *schema, const char *name);
m_index *pp_lookup_index(pp_ctx *c, const char *schema, const char *name);
m_sequence *pp_lookup_seq(pp_ctx *c, const char *schema, const char *name);
m_view *pp_lookup_view(pp_ctx *c, const char *schema, const char *name);
/* Is the name held in the schema's relation namespace (tables, indexes,
 * sequences, views, composite types, index-owning constraints) or in its
 * constraint namespace (table constraints, domain checks)? */
bool pp_relation_taken(pp_ctx *c, const char *schema, const char *name);
bool pp_constraint_taken(pp_ctx *c, const char *schema, const char *name);
/* Position of the grant with these fields (schema and column may be
 * NULL), or -1. */
int pp_lookup_grant(pp_ctx *c, char kind, const char *schema, const char *name,
		    const char *column, const char *grantee,
		    const char *privilege);
/* Call after removing anything from the model's arrays (grants: the
 * second one, which leaves the other maps alone). */
void pp_names_stale(pp_ctx *c);
void pp_names_grants_stale(pp_ctx *c);
/* Cheaper than pp_names_stale for the removals pg_dump files make by
 * the thousand (ATTACH PARTITION): call just BEFORE removing constraint
 * i of table t, or index i of the model. */
void pp_names_forget_constraint(pp_ctx *c, const m_table *t, int i);
void pp_names_forget_index(pp_ctx *c, int i);
/* An index made ON ONLY partitioned table t: each partition it has now
 * waits for its own index to be attached (partitions made later get
 * theirs from the server). */
void pp_names_only_index(pp_ctx *c, const m_index *x, const m_table *t);
/* ALTER INDEX schema.name ATTACH PARTITION of an index on table
 * (pschema, ptable). */
void pp_names_only_attached(pp_ctx *c, const char *schema, const char *name,
			    const char *pschema, const char *ptable);
/* At the end of the file: an ON ONLY index every partition's index was
 * attached to is an index on the whole table, as the live side reads
 * it; one still waiting keeps "ON ONLY" (INVALID on a server). */
void pp_names_only_finish(pp_ctx *c);
void pp_names_end_statement(pp_ctx *c);
void pp_names_release(pp_ctx *c);

/* Implicit names by the server's ChooseRelationName /
 * ChooseConstraintName rules; arena copy. `relation` selects the
 * namespace a new name must be unique in (relations vs constraints). */
char *pp_choose_name(pp_ctx *c, const char *schema, const char *name1,
		     const char *name2, const char *label, bool relation);
/* Column names joined by '_' and cut as ChooseIndexNameAddition does;
 * the caller frees. */
char *pp_name_addition(char **cols, int ncols);

/* parse_types.c */
/* format_type() spelling of a TypeName, into sb. Sets *serial to 2, 4 or
 * 8 for the serial pseudo types (which become smallint/integer/bigint). */
void pp_type_name(strbuf *sb, const PgQuery__TypeName *tn, int *serial);
char *pp_type_str(pp_ctx *c, const PgQuery__TypeName *tn); /* arena */
/* The same without the modifier, as function signatures print types:
 * "character varying", "numeric". */
void pp_type_name_nomod(strbuf *sb, const PgQuery__TypeName *tn);
/* "schema.name" quoted, as the server's deparsers print a name under the
 * empty search_path introspection uses: qualified unless the schema is
 * pg_catalog, or NULL (a name written unqualified that may be a
 * built-in one: functions, operator classes, collations). */
void pp_visible_name(strbuf *sb, const char *schema, const char *name);
/* parse_range.c: a function, operator class or collation name (a
 * TypeName or a name list) as introspection spells it: an unqualified
 * function is the file's own when it defines one of that name in
 * public, else a built-in one. Arena copy, NULL when unusable. */
char *pp_visible_ref(pp_ctx *c, const pnode *arg, bool function);
/* The same name split: schema NULL for a built-in one. -1 when unusable. */
int pp_resolve_ref(pp_ctx *c, const pnode *arg, bool function,
		   const char **schema, const char **name);
/* The collation clause, or NULL for none; arena copy. */
char *pp_collation(pp_ctx *c, const PgQuery__CollateClause *cc);

/* parse_expr.c */
/* What an expression may refer to: a table's columns, or a domain's
 * VALUE of the given type. Used to place the casts the server shows. */
typedef struct pp_env {
	const m_table *table;
	const char *value_type;
} pp_env;
/* The normalised text of an expression (see parse_expr.c). `cast_to`
 * types a bare string constant (defaults of a column) and may be NULL,
 * so may `env`. Arena copy. */
char *pp_expr(pp_ctx *c, const pnode *expr, const char *cast_to,
	      const pp_env *env);
void pp_expr_sb(strbuf *sb, const pnode *expr);
/* parse_const.c: a constant as the server prints it, converted to `type`
 * (canonical; NULL: the literal's own type). */
void pp_const_text(strbuf *sb, const PgQuery__AConst *k, const char *type);
/* nextval('s') with its sequence qualified and cast to regclass; false
 * (nothing appended) when `f` is not such a call. */
bool pp_nextval_call(strbuf *sb, const PgQuery__FuncCall *f);
void pp_expr_env(strbuf *sb, const pnode *expr, const pp_env *env);
/* parse_exprtype.c: the type an expression has as far as a file can
 * tell ("integer", "text", "unknown" for a bare string), or false. */
bool pp_type_of(const pp_env *env, const pnode *n, char *buf, size_t cap);
/* Which side of `l op r` the server casts to what (NULL: none). */
void pp_binary_targets(const char *lt, const char *rt, const char **tl,
		       const char **tr);
/* The type an untyped literal right of a json/jsonb operator takes, or
 * NULL for any other operator. */
const char *pp_json_rhs_type(const char *op, const char *lt);
/* A built-in function whose arguments the server casts to text. */
bool pp_textual_function(const char *name);
/* `type` without its modifier: "numeric(10,2)" -> "numeric". */
void pp_strip_typmod(char *dst, size_t cap, const char *type);
/* pp_type_of() remembers each operator node's type between open and
 * close (a long operator chain would cost its square otherwise); open
 * returns false when a memo is open already, and then close is not
 * called. */
bool pp_type_memo_open(void);
void pp_type_memo_close(void);
/* One element of an index or partition key: a quoted column name, a bare
 * function call, or any other expression in parentheses, as
 * pg_get_indexdef and pg_get_partkeydef print them. */
void pp_key_element(strbuf *sb, const char *column, const pnode *expr,
		    const pp_env *env);
/* parse_datetime.c: an ISO timestamp literal ("2024-01-01",
 * "2024-01-01T10:00:00.5+02") as the server prints it back under
 * DateStyle ISO and TimeZone UTC, which introspection sets:
 * "2024-01-01 08:00:00.5+00" (with_zone: timestamp with time zone; a
 * value without an offset is taken as UTC) or "2024-01-01 10:00:00.5".
 * False, printing nothing, for any other form. */
bool pp_timestamp_literal(strbuf *sb, const char *v, bool with_zone);
/* parse_walk.c */
/* Deparse a whole statement node with libpg_query; malloc'd or NULL. */
char *pp_deparse_stmt(const pnode *stmt);
/* Where the relations and columns a query reads are collected: a view's
 * `deps` and `column_deps`, or a SQL-body function's. */
typedef struct pp_reads {
	m_ref **deps;
	int *ndeps, *cdeps;
	m_colref **cols;
	int *ncols, *ccols;
} pp_reads;
/* The columns a query names, for every relation in `r->deps` (after
 * pp_collect_deps), into `r->cols`: "*" for a star, a NATURAL JOIN or a
 * whole-row reference. */
void pp_collect_column_deps(pp_ctx *c, pnode *query, const pp_reads *r);
/* parse_sqlbody.c. What a SQL-standard function body (BEGIN ATOMIC,
 * RETURN) reads, into f->rel_deps, f->column_deps and (the functions it
 * calls that the file made) f->deps; marks f->sql_body. */
void pp_sql_body_deps(pp_ctx *c, pnode *body, m_function *f);
/* "BEGIN ATOMIC\n stmt;\n ...END" for a BEGIN ATOMIC body (a list);
 * malloc'd, NULL when it is not one or cannot be printed. */
char *pp_atomic_body(const pnode *body);
/* The columns a policy clause reads (of its table and of the relations
 * its subqueries read), appended to `p->column_deps`; qualifies the
 * clause's relations in the tree (call after printing it). */
void pp_policy_column_deps(pp_ctx *c, pnode *expr, m_policy *p);
/* Record in the model's type_uses every enum `expr` names (a cast, a
 * typed literal) and, when `columns_of` is given, the enums of its
 * columns the expression reads: the object (kind, schema, table, name;
 * model strings) must be rebuilt with the enum (m_typeuse). */
void pp_note_type_uses(pp_ctx *c, const pnode *expr, const m_table *columns_of,
		       char kind, const char *schema, const char *table,
		       const char *name);
/* The columns a trigger depends on: its WHEN clause's NEW.x / OLD.x and
 * UPDATE OF, into `g->columns`, sorted. */
void pp_trigger_columns(pp_ctx *c, const PgQuery__CreateTrigStmt *s,
			m_trigger *g);

/* The offset of the first token at or after `off` (a statement's location
 * may point at the blanks and comments before it). */
int pp_skip_space(const char *sql, int off);
/* An expression as libpg_query deparses it (no server-style casts). */
void pp_deparse_expr(strbuf *sb, const pnode *expr);
/* Collect every relation a query reads into `r->deps`, and qualify the
 * unqualified ones in the tree (public). */
void pp_collect_deps(pp_ctx *c, pnode *query, const pp_reads *r);
/* The distinct columns an expression names: the first and how many. */
void pp_column_refs(const pnode *n, const char **first, int *count);
/* The name PostgreSQL gives an expression index column ("lower"). */
const char *pp_index_colname(const pnode *expr);
/* Call `fn` on `msg` and on every message below it (every field, through
 * the protobuf descriptors: no node kind can be forgotten). */
void pp_walk(const ProtobufCMessage *msg,
	     void (*fn)(const ProtobufCMessage *, void *), void *data);

/* parse_table.c */
/* A table or column constraint with the attributes (DEFERRABLE...) that
 * follow it in a column's constraint list. */
typedef struct pp_con {
	const PgQuery__Constraint *k;
	const char *column; /* column constraint: its column */
	bool deferrable, deferred;
	/* ALTER TABLE ... ADD CONSTRAINT ... NOT VALID (in CREATE TABLE
	 * the server ignores NOT VALID: a new table's rows are checked). */
	bool not_valid;
} pp_con;
/* Add a column (and queue its constraints into `cons`). */
int pp_add_column(pp_ctx *c, m_table *t, const PgQuery__ColumnDef *cd,
		  pp_con **cons, int *ncons, int *ccons);
/* Add queued constraints in the order the server names them: checks,
 * then index-backed ones, then foreign keys. */
int pp_add_constraints(pp_ctx *c, m_table *t, pp_con *cons, int ncons);
/* parse_table.c: a new constraint named `name` on `t` (fails when the
 * name is taken); "(a, b)" with names quoted; DEFERRABLE and INITIALLY
 * DEFERRED as `p` has them. */
m_constraint *pp_new_con(pp_ctx *c, m_table *t, const char *name);
void pp_quoted_list(strbuf *sb, char **names, int n);
void pp_deferrable_suffix(strbuf *sb, const pp_con *p);
/* parse_keys.c: a primary key ('p') or unique key ('u') USING INDEX. */
int pp_add_using_index(pp_ctx *c, m_table *t, const pp_con *p, char kind);
/* Index elements as pg_get_indexdef prints them, and their names for an
 * implicit index name. */
void pp_index_elems(strbuf *sb, pnode **elems, size_t n, const pp_env *env);
char *pp_index_addition(pnode **elems, size_t n, pnode **incl, size_t nincl);
char *pp_seq_regclass(pp_ctx *c, const char *schema, const char *name);
/* "FOR VALUES ..." / "DEFAULT" as pg_get_expr(relpartbound) prints it. */
char *pp_partition_bound(pp_ctx *c, const PgQuery__PartitionBoundSpec *b,
			 const m_table *parent);
/* WITH (...) options as "name=value, ..."; NULL for none. */
char *pp_reloptions(pp_ctx *c, pnode **opts, size_t n);
/* An index's WITH (...) options as pg_get_indexdef prints them:
 * "fillfactor='70', deduplicate_items=off". */
void pp_index_options(strbuf *sb, pnode **opts, size_t n);
int pp_create_table(pp_ctx *c, const PgQuery__CreateStmt *s);

/* parse_alter.c */
int pp_alter_table(pp_ctx *c, const PgQuery__AlterTableStmt *s);
int pp_create_index(pp_ctx *c, const PgQuery__IndexStmt *s);
int pp_create_seq(pp_ctx *c, const PgQuery__CreateSeqStmt *s);
/* An identity column's options (CREATE SEQUENCE's), canonical, see
 * identity.h; NULL when all default. */
char *pp_identity_options(pp_ctx *c, const char *type, pnode **opts, size_t n);
int pp_alter_seq(pp_ctx *c, const PgQuery__AlterSeqStmt *s);

/* parse_function.c: the parts of function.h (arg_defaults, attributes,
 * body) of a CREATE FUNCTION, into `f`. */
void pp_function_parts(pp_ctx *c, const PgQuery__CreateFunctionStmt *s,
		       m_function *f);

/* parse_objects.c */
int pp_create_schema(pp_ctx *c, const PgQuery__CreateSchemaStmt *s);
int pp_create_extension(pp_ctx *c, const PgQuery__CreateExtensionStmt *s);
int pp_create_enum(pp_ctx *c, const PgQuery__CreateEnumStmt *s);
int pp_create_composite(pp_ctx *c, const PgQuery__CompositeTypeStmt *s);
/* parse_range.c */
int pp_create_range(pp_ctx *c, const PgQuery__CreateRangeStmt *s);
/* parse_collation.c */
int pp_create_collation(pp_ctx *c, const PgQuery__DefineStmt *s);
m_collation *pp_find_collation(model *m, const char *schema, const char *name);
/* parse_cast.c: COMMENT returns -1 for a cast the file does not define;
 * DROP false. */
int pp_create_cast(pp_ctx *c, const PgQuery__CreateCastStmt *s);
int pp_comment_cast(pp_ctx *c, const pnode *o, const char *text);
bool pp_drop_cast(pp_ctx *c, const pnode *o);
/* parse_textsearch.c: dictionaries and configurations (objtype
 * OBJECT_TSDICTIONARY or OBJECT_TSCONFIGURATION). */
int pp_create_ts(pp_ctx *c, const PgQuery__DefineStmt *s);
int pp_alter_ts_dict(pp_ctx *c, const PgQuery__AlterTSDictionaryStmt *s);
int pp_alter_ts_config(pp_ctx *c, const PgQuery__AlterTSConfigurationStmt *s);
int pp_comment_ts(pp_ctx *c, int objtype, const pnode *o, const char *text);
bool pp_drop_ts(pp_ctx *c, int objtype, const pnode *o);
/* parse_opers.c: CREATE OPERATOR (a DefineStmt), CREATE OPERATOR CLASS,
 * CREATE / ALTER OPERATOR FAMILY, ALTER OPERATOR ... SET; COMMENT ON
 * (0, or -1 when the file does not define the object) and DROP (found)
 * of the three kinds. */
int pp_create_operator(pp_ctx *c, const PgQuery__DefineStmt *s);
int pp_create_opclass(pp_ctx *c, const PgQuery__CreateOpClassStmt *s);
int pp_create_opfamily(pp_ctx *c, const PgQuery__CreateOpFamilyStmt *s);
int pp_alter_opfamily(pp_ctx *c, const PgQuery__AlterOpFamilyStmt *s);
int pp_alter_operator(pp_ctx *c, const PgQuery__AlterOperatorStmt *s);
int pp_comment_oper(pp_ctx *c, int objtype, const pnode *o, const char *text);
bool pp_drop_oper(pp_ctx *c, int type, const pnode *o);
/* "OPERATOR(schema.op)", as COMMUTATOR, NEGATOR and SORTOP are kept. */
char *pp_operator_ref(pp_ctx *c, const char *schema, const char *name);
/* parse_stats.c */
int pp_create_stats(pp_ctx *c, const PgQuery__CreateStatsStmt *s);
int pp_alter_stats(pp_ctx *c, const PgQuery__AlterStatsStmt *s);
int pp_comment_stats(pp_ctx *c, const pnode *o, const char *text);
int pp_create_domain(pp_ctx *c, const PgQuery__CreateDomainStmt *s);
int pp_create_view(pp_ctx *c, const PgQuery__ViewStmt *s);
int pp_create_matview(pp_ctx *c, const PgQuery__CreateTableAsStmt *s);
int pp_create_function(pp_ctx *c, const pnode *n);
int pp_create_aggregate(pp_ctx *c, const PgQuery__DefineStmt *s);
/* parse_settings.c: ALTER TABLE ... ALTER COLUMN SET STATISTICS /
 * STORAGE / (options) / RESET (options), and ALTER INDEX ... ALTER
 * COLUMN n SET STATISTICS. */
int pp_alter_column_settings(pp_ctx *c, m_table *t,
			     const PgQuery__AlterTableCmd *cmd);
void pp_alter_index_stattarget(pp_ctx *c, const PgQuery__RangeVar *rv,
			       const PgQuery__AlterTableCmd *cmd);
/* The default storage of a built-in type ('x', 'm', 'p'), or 0 when it
 * is not known offline. */
char pp_type_storage(const char *type);
int pp_create_trigger(pp_ctx *c, const PgQuery__CreateTrigStmt *s);
int pp_create_policy(pp_ctx *c, const PgQuery__CreatePolicyStmt *s);
int pp_grant(pp_ctx *c, const PgQuery__GrantStmt *s);
/* The implicit EXECUTE ('f') / USAGE ('T') to PUBLIC of a new object. */
void pp_grant_default(pp_ctx *c, char kind, const char *schema,
		      const char *name);
int pp_comment(pp_ctx *c, const PgQuery__CommentStmt *s);

/* parse_drop.c */
int pp_drop(pp_ctx *c, const PgQuery__DropStmt *s);
int pp_alter_enum(pp_ctx *c, const PgQuery__AlterEnumStmt *s);

#endif
