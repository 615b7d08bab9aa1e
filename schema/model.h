/*
 * The dialect-neutral schema model.
 *
 * A model is what a DDL file, a git revision or a live database describes.
 * Every string and array in it belongs to the model's arena: model_free()
 * releases everything at once.
 *
 * Canonical forms.  Two sources that describe the same schema must yield
 * byte-equal models, so every text field holds one canonical spelling:
 *
 *  - names are stored unquoted and exactly as the server stores them
 *    (unquoted identifiers folded to lower case by the parser);
 *  - types are spelled as PostgreSQL's format_type() prints them:
 *    "integer", "bigint", "character varying(20)", "numeric(10,2)",
 *    "timestamp with time zone", "text[]"; a type outside pg_catalog is
 *    schema-qualified and quoted as needed ("public.mood", "\"My Type\"").
 *    Names from pg_catalog are never qualified.
 *  - expressions (defaults, checks, index predicates, generated columns,
 *    policy clauses) are stored as the dialect's normaliser produces them;
 *    the live side uses the server's deparser (pg_get_expr), the file side
 *    the closest equivalent the parser can build.  When a file is compared
 *    with a live database, the file is loaded into a throwaway server and
 *    introspected, so both sides use the server's spelling.
 *  - object references inside definitions are schema-qualified.
 *
 * Arrays are kept sorted by the keys that model_sort() uses, so the differ
 * can walk two models in step and output is deterministic.
 *
 * Neutral core and dialect extensions.  The core is what every database
 * schemig targets has (PostgreSQL, MySQL/MariaDB, SQL Server,
 * Snowflake): schemas, tables with columns and constraints (primary key,
 * unique, check, foreign key), indexes, views, sequences, functions and
 * procedures, triggers, grants, comments.  A differ or planner of any
 * dialect may read the core.  What only one database has is grouped, in
 * each struct and in `model`, under a comment naming the dialect; only
 * that dialect's folder fills or reads it, and every other dialect
 * leaves it zero (NULL, 0, false, empty arrays), which model_canonical
 * and model_sort handle like any other value:
 *
 *   PostgreSQL:  extensions, collations (CREATE COLLATION), casts, text
 *                search dictionaries and configurations, operators,
 *                operator classes and families, enums, domains and
 *                composite and range types (named types), extended
 *                statistics, row-level security policies and the type
 *                uses that enum rebuilds need (model arrays); per-column
 *                statistics targets, storage and attribute options;
 *                unlogged tables, declarative partitioning, inheritance,
 *                storage parameters, RLS switches and REPLICA IDENTITY
 *                (m_table); exclusion
 *                and domain NOT NULL constraints (m_con_kind); index
 *                statistics targets (m_index).
 *
 * The groups are anonymous structs: they name the boundary in the type
 * without changing how a field is reached.  A new dialect adds its own
 * group where it needs a field (MySQL: a table's engine, charset and row
 * format; SQL Server: clustered indexes), documented here.
 */
#ifndef SCHEMIG_MODEL_H
#define SCHEMIG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"

/* An array owned by the model's arena: items, count and capacity, grown
 * with ARENA_PUSH(&m->arena, x->field, x->nfield, x->cfield). */
#define M_ARRAY(type, field)                                                   \
	type *field;                                                           \
	int n##field, c##field

typedef struct m_ref {
	char *schema;
	char *name;
} m_ref;

typedef struct m_column {
	char *name;
	char *type;		/* canonical type, see above */
	char *collation;	/* qualified collation when not the type's
				   default, e.g. "\"C\"" or "pg_catalog.\"C\"";
				   NULL otherwise */
	char *default_expr;	/* NULL when none (and for identity columns) */
	char *generated_expr;	/* GENERATED ALWAYS AS (expr) STORED, or NULL */
	char identity;		/* 0, 'a' (ALWAYS) or 'd' (BY DEFAULT) */
	char *identity_options; /* identity: the sequence options that are not
				   the defaults for the column's type, as
				   "START WITH 100 INCREMENT BY 5 MINVALUE 1
				   MAXVALUE 9 CACHE 20 CYCLE" (that order, only
				   those present); NULL when all default */
	bool not_null;
	char *comment;
	struct { /* PostgreSQL: planner and storage settings (ALTER
		    COLUMN SET ...) */
		char *stattarget;  /* SET STATISTICS n as "n"; NULL for the
				      default */
		char storage;	   /* SET STORAGE other than the type's
				      default: 'p' plain, 'e' external, 'm'
				      main, 'x' extended; 0 for the type's
				      default */
		char type_storage; /* the type's default storage
				      (typstorage); 0 when not known (a user
				      type read offline) */
		char *options;	   /* attoptions sorted by key,
				      "n_distinct=100" (comma-separated), or
				      NULL */
	};
	struct { /* MySQL and MariaDB */
		bool auto_increment;
		char *on_update;  /* ON UPDATE: "current_timestamp()" or
				     "current_timestamp(3)"; NULL */
		char *charset;	  /* CHARACTER SET when not the table's
				     default; NULL */
		bool invisible;	  /* INVISIBLE */
		bool gen_virtual; /* generated_expr is VIRTUAL, not
				     STORED */
	};
} m_column;

enum m_con_kind {
	M_CON_PRIMARY = 'p',
	M_CON_UNIQUE = 'u',
	M_CON_CHECK = 'c',
	M_CON_FOREIGN = 'f',
	/* PostgreSQL: */
	M_CON_EXCLUDE = 'x',
	M_CON_NOTNULL = 'n', /* domain NOT NULL only */
};

typedef struct m_constraint {
	char *name;
	char kind;		  /* enum m_con_kind */
	char *definition;	  /* what follows "CONSTRAINT name " in DDL, as
				     pg_get_constraintdef() prints it, e.g.
				     "PRIMARY KEY (id)", "CHECK ((price > 0))",
				     "FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE
				     CASCADE DEFERRABLE INITIALLY DEFERRED" */
	M_ARRAY(char *, columns); /* constrained columns, in key order */
	m_ref ref;		  /* FOREIGN KEY: the referenced table */
	M_ARRAY(char *, ref_columns);
	bool deferrable, deferred;
	/*
	 * CHECK or FOREIGN KEY added NOT VALID (pg_constraint.convalidated
	 * false): rows already there were not checked. `definition` never
	 * holds the " NOT VALID" pg_get_constraintdef() appends; the differ
	 * puts it back when it adds the constraint. A desired constraint
	 * that is NOT VALID is added NOT VALID and left unvalidated; over a
	 * validated one it is dropped and added NOT VALID (the server has no
	 * way to mark a constraint not valid again, and pg_dump shows the
	 * difference). A desired one without NOT VALID over a NOT VALID one
	 * is validated (VALIDATE CONSTRAINT).
	 */
	bool not_valid;
	char *comment;
} m_constraint;

typedef struct m_table {
	char *schema, *name;
	M_ARRAY(m_column, columns); /* attribute order; empty for partitions */
	M_ARRAY(m_constraint, constraints); /* sorted by name; local only */
	char *comment;
	struct {	   /* PostgreSQL */
		char kind; /* 'r' ordinary, 'p' partitioned */
		bool unlogged;
		char *partition_key;   /* partitioned: "RANGE (created_at)" */
		m_ref parent;	       /* partition: parent table (schema
					  NULL if not a partition) */
		char *partition_bound; /* partition: "FOR VALUES FROM
					  ('2024-01-01') TO ('2025-01-01')"
					  or "DEFAULT" */
		M_ARRAY(m_ref, inherits); /* plain inheritance parents */
		char *options;		  /* reloptions "fillfactor=70", or
					     NULL */
		bool rls_enabled, rls_forced;
		/* REPLICA IDENTITY (pg_class.relreplident): 0 DEFAULT (the
		   primary key), 'f' FULL, 'n' NOTHING, 'i' USING INDEX. A
		   'i' whose index is gone reads as 'n', which the server
		   then does. */
		char replica_identity;
		char *replica_index; /* 'i': the index's name, unqualified
					(it is in the table's schema) */
	};
	struct {		    /* MySQL and MariaDB: table options */
		char *engine;	    /* "InnoDB"; NULL: the server's default */
		char *charset;	    /* DEFAULT CHARSET, "utf8mb4" */
		char *collation;    /* the table's default collation,
				       "utf8mb4_general_ci" */
		char *row_format;   /* ROW_FORMAT other than DEFAULT, "DYNAMIC";
				       NULL */
		char *partitioning; /* "PARTITION BY ..." as the dialect
				       spells it; NULL */
		char *key_block_size; /* KEY_BLOCK_SIZE other than 0, "8";
					 NULL */
	};
} m_table;

typedef struct m_index {
	char *schema, *table, *name;
	/* The whole statement as pg_get_indexdef() prints it:
	 * "CREATE UNIQUE INDEX name ON public.t USING btree (a, lower(b))
	 *  INCLUDE (c) WHERE (d > 0)". Indexes that implement a constraint
	 * are not listed: the constraint stands for them. */
	char *definition;
	bool unique;
	char *comment;
	struct {		   /* PostgreSQL */
		char *stattargets; /* ALTER INDEX ... ALTER COLUMN n SET
				      STATISTICS m as "n=m,..." by column
				      number, or NULL */
	};
} m_index;

/* One column of a relation that another object depends on. */
typedef struct m_colref {
	char *schema, *table;
	char *column; /* "*": every column of the relation (a file's
			 SELECT * or whole-row reference, which the parser
			 cannot expand) */
} m_colref;

typedef struct m_view {
	char *schema, *name;
	bool materialized;
	char *definition;     /* the query, as pg_get_viewdef() prints it */
	char *options;	      /* "security_barrier=true", or NULL */
	char *check_option;   /* "local" / "cascaded" / NULL */
	M_ARRAY(m_ref, deps); /* relations and functions the query uses */
	/* The columns of those relations the query reads: the live side
	 * from pg_depend (the view's rewrite rule on each column), the file
	 * side from the query's column references (a superset: names are
	 * not resolved to one relation). Only dropping or retyping one of
	 * them needs the view out of the way. */
	M_ARRAY(m_colref, column_deps);
	M_ARRAY(char *, column_comments); /* "col\tcomment", sorted */
	char *comment;
} m_view;

typedef struct m_sequence {
	char *schema, *name;
	char *type; /* "bigint", "integer", "smallint" */
	int64_t start, increment, min, max, cache;
	bool cycle;
	/* OWNED BY; owner.schema NULL when not owned. Sequences that belong
	 * to identity columns are never listed. */
	m_ref owner;
	char *owner_column;
	char *comment;
} m_sequence;

typedef struct m_function {
	char *schema, *name;
	char kind;	     /* 'f' function, 'p' procedure, 'a' aggregate */
	char *identity_args; /* argument types only, canonical, comma-space
				separated: "integer, text" (the key) */
	char *signature;     /* for DROP/COMMENT: "name integer, b text" as
				pg_get_function_identity_arguments() prints */
	char *definition;    /* whole CREATE OR REPLACE statement */
	char *result;	     /* pg_get_function_result(), for detecting
				changes that need DROP + CREATE */
	/* What is compared instead of `definition`, which the server and
	 * the parser spell differently (dialects/postgres/function.h); all
	 * NULL for aggregates: */
	char *arg_defaults; /* pg_get_expr(proargdefaults): "'x'::text, 50",
			       NULL for none */
	char *attributes;   /* "LANGUAGE sql STABLE STRICT ... SET a=b" */
	char *body;	    /* prosrc, verbatim; NULL for a SQL-standard
			       body (BEGIN ATOMIC, RETURN) */
	/* Aggregates: the support functions; a SQL-standard body: the
	 * user functions it calls. */
	M_ARRAY(m_ref, deps);
	/* A SQL-standard body (BEGIN ATOMIC ... END, RETURN expr) is
	 * parsed at creation and the server records what it reads, unlike
	 * a string body: the relations (live: pg_depend, file: the body's
	 * names) and their columns (file: a superset, as for views). It
	 * must be made after them, dropped before them, and step aside
	 * while one of those columns goes or changes type. */
	bool sql_body;
	M_ARRAY(m_ref, rel_deps);
	M_ARRAY(m_colref, column_deps);
	char *comment;
} m_function;

typedef struct m_trigger {
	char *schema, *table, *name;
	char *definition; /* pg_get_triggerdef() form, "CREATE TRIGGER ..." */
	m_ref function;	  /* the trigger function */
	char enabled;	  /* 'O' origin (default), 'D' disabled, 'R', 'A' */
	/* Columns of its table it depends on (the WHEN clause's references
	 * and UPDATE OF), sorted: live from pg_depend, file side from the
	 * statement. A whole-row reference (NEW.*) pins none, as on the
	 * server. */
	M_ARRAY(char *, columns);
	char *comment;
} m_trigger;

/* One privilege granted on one object to one grantee. */
typedef struct m_grant {
	char objkind; /* 'r' table/view, 'S' sequence, 'n' schema,
			 'f' function/procedure, 'T' type/domain */
	char *schema; /* NULL for objkind 'n' */
	char *name;   /* object name; for functions "name(arg types)" */
	char *column; /* column privilege, else NULL */
	/* The role granted to; NULL for the pseudo-role PUBLIC (everyone).
	 * NULL cannot collide with a real role: a role may well be named
	 * "PUBLIC" (quoted), and granting to it is not granting to all. */
	char *grantee;
	char *privilege; /* "SELECT", "INSERT", "USAGE", "EXECUTE", ... */
	bool grantable;
} m_grant;

typedef struct m_schema {
	char *name;
	char *comment;
} m_schema;

/* What a model cannot represent, but should be told about. A `note` is
 * only information: the object was read and compared as the message says
 * (an INVALID index counts as missing), so it is no reason to call the
 * comparison incomplete. */
typedef struct m_warning {
	char *message;
	bool note;
} m_warning;

/*
 * PostgreSQL extensions: object kinds only PostgreSQL has (see the top of
 * this file). dialects/postgres/ fills and reads them; other dialects
 * leave their arrays in `model` empty.
 */
/* CREATE COLLATION. */
typedef struct m_collation {
	char *schema, *name;
	/* pg_dump's form: "CREATE COLLATION public.ci (provider = icu,
	 * deterministic = false, locale = 'und-u-ks-level2')"; a copy of a
	 * collation the file cannot resolve keeps its FROM form. */
	char *definition;
	char *comment;
} m_collation;

/* CREATE CAST between types of which one (or the function) is the
 * user's. Keyed by (source, target), both canonical types. */
typedef struct m_cast {
	char *source, *target;
	/* pg_dump's form: "CREATE CAST (public.mood AS integer) WITH
	 * FUNCTION public.mood_int(public.mood) AS ASSIGNMENT"; WITHOUT
	 * FUNCTION, WITH INOUT; AS IMPLICIT; nothing for explicit casts. */
	char *definition;
	m_ref function;	     /* WITH FUNCTION; schema NULL otherwise */
	char *function_args; /* its identity_args (m_function) */
	char *comment;
} m_cast;

/* CREATE TEXT SEARCH DICTIONARY. Names of pg_catalog objects stay
 * unqualified, others are qualified and quoted as needed. */
typedef struct m_ts_dict {
	char *schema, *name;
	char *template_name; /* "simple", "public.tpl" */
	/* The options as the server keeps them (pg_ts_dict.dictinitoption):
	 * "stopwords = 'english', accept = 'false'", in the order they were
	 * given; NULL for none. */
	char *options;
	char *comment;
} m_ts_dict;

/* One token type's dictionaries in a text search configuration. */
typedef struct m_ts_map {
	char *token; /* the parser's alias: "asciiword" */
	char *dicts; /* in order, comma-space: "public.unaccent,
			english_stem" */
} m_ts_map;

/* CREATE TEXT SEARCH CONFIGURATION with the mappings it ends with (a
 * COPY = is resolved into the mappings it copied). */
typedef struct m_ts_config {
	char *schema, *name;
	char *parser;		     /* "\"default\"", "public.prs" */
	M_ARRAY(m_ts_map, mappings); /* sorted by token */
	char *comment;
} m_ts_config;

/* What uses an operator, operator class or family (pg_depend), so that
 * the differ can rebuild it around a re-creation, or name it. */
typedef struct m_opuser {
	char kind;	     /* 'i' index, 'c' table constraint, 'v' view,
				'o' anything else */
	char *schema, *name; /* 'o': name is the server's description */
	char *table;	     /* 'c': the constraint's table */
} m_opuser;

/* One member of an operator class or family. */
typedef struct m_opmember {
	char kind;	     /* 'o' operator, 'f' support function */
	int number;	     /* strategy or support number */
	char *left, *right;  /* the member's types (canonical) */
	char *schema, *name; /* the operator or function */
	char *text;	     /* as CREATE OPERATOR CLASS lists it: "OPERATOR 1
				public.<~(text, text)", "OPERATOR 5 public.<->(point,
				point) FOR ORDER BY pg_catalog.float_ops", "FUNCTION 1
				(text, text) public.ci_cmp(text, text)" */
} m_opmember;

/* CREATE OPERATOR; the key is (schema, name, left, right). */
typedef struct m_operator {
	char *schema, *name; /* name: the symbol, "<~" */
	char *left, *right;  /* canonical types; left NULL for a prefix one */
	/* "CREATE OPERATOR public.<~ (FUNCTION = public.ci_lt, LEFTARG = text,
	 * RIGHTARG = text, COMMUTATOR = OPERATOR(public.>~), NEGATOR = ...,
	 * MERGES, HASHES)": everything but the estimators. */
	char *definition;
	char *restrict_fn, *join_fn; /* RESTRICT / JOIN, or NULL: ALTER
					OPERATOR ... SET changes them */
	M_ARRAY(m_ref, deps);	     /* user functions it calls */
	M_ARRAY(m_opuser, users);    /* live side only */
	char *comment;
} m_operator;

/* CREATE OPERATOR FAMILY and the members added to it with ALTER
 * OPERATOR FAMILY ... ADD (an operator class's own are the class's). */
typedef struct m_opfamily {
	char *schema, *name, *method;
	M_ARRAY(m_opmember, members); /* sorted by text */
	M_ARRAY(m_opuser, users);
	char *comment;
} m_opfamily;

/* CREATE OPERATOR CLASS; the key is (schema, name, method). */
typedef struct m_opclass {
	char *schema, *name, *method;
	char *family_schema, *family;
	/* "CREATE OPERATOR CLASS public.ci_ops [DEFAULT ]FOR TYPE text USING
	 * btree FAMILY public.ci_ops AS <members, operators then functions,
	 * by number and types>[, STORAGE type]" */
	char *definition;
	M_ARRAY(m_opmember, members);
	M_ARRAY(m_opuser, users);
	char *comment;
} m_opclass;

/* CREATE STATISTICS: extended statistics on one table. */
typedef struct m_statistics {
	char *schema, *name;
	char *table_schema, *table;
	/* The statement as pg_get_statisticsobjdef() prints it: "CREATE
	 * STATISTICS public.st (dependencies) ON a, b FROM public.t"; the
	 * kinds are left out when all are on, columns come in attribute
	 * order, then expressions in parentheses. */
	char *definition;
	char *stattarget; /* ALTER STATISTICS ... SET STATISTICS n as "n";
			     NULL for the default */
	char *comment;
} m_statistics;

typedef struct m_enum {
	char *schema, *name;
	M_ARRAY(char *, labels); /* in enum sort order */
	char *comment;
} m_enum;

typedef struct m_domain {
	char *schema, *name;
	char *base_type;
	char *collation;
	char *default_expr;
	bool not_null;
	M_ARRAY(m_constraint, checks); /* CHECK constraints, by name */
	char *comment;
} m_domain;

typedef struct m_composite {
	char *schema, *name;
	M_ARRAY(m_column, attrs); /* name, type, collation only */
	char *comment;
} m_composite;

/* CREATE TYPE ... AS RANGE. Function and operator class names are
 * unqualified in pg_catalog, schema-qualified elsewhere. */
typedef struct m_range {
	char *schema, *name;
	char *subtype;	       /* canonical type */
	char *subtype_opclass; /* NULL for the subtype's default */
	char *collation;       /* NULL for the subtype's default */
	char *canonical;       /* function, or NULL */
	char *subtype_diff;    /* function, or NULL */
	char *multirange;      /* qualified multirange type name when not
				  the server's default one, else NULL */
	char *comment;
} m_range;

typedef struct m_policy {
	char *schema, *table, *name;
	bool permissive;
	char *command; /* "ALL", "SELECT", "INSERT", "UPDATE", "DELETE" */
	M_ARRAY(char *, roles); /* sorted; "public" for PUBLIC */
	char *using_expr;	/* NULL when none */
	char *check_expr;	/* NULL when none */
	/* The columns its clauses read, of its table or of the relations
	 * their subqueries read: live from pg_depend, file side from the
	 * clauses' column references (a superset, as for views). Only
	 * dropping or retyping one of them needs the policy out of the way.
	 */
	M_ARRAY(m_colref, column_deps);
	char *comment;
} m_policy;

/*
 * An object whose expression uses a user type: a cast or a constant of
 * the type, or (CHECK constraints only) a column of the type it reads.
 * An enum rebuilt under a new type must take such objects out of the
 * way (the stored expression names the old type). Live from pg_depend;
 * file side from the parsed expressions, where an object redefined later
 * in the file may keep a stale entry: it only costs a needless rebuild,
 * and an entry whose object is gone is skipped.
 */
typedef struct m_typeuse {
	char kind;	      /* 'c' CHECK constraint, 'i' index, 'd' column
				 default, 'v' view, 'p' policy, 't' trigger */
	char *schema, *table; /* the table ('v': the view, name NULL) */
	char *name;	      /* constraint, index, column, policy, trigger */
	m_ref type;	      /* the type; an array's element type */
} m_typeuse;

typedef struct m_extension {
	char *name;
	char *schema;
} m_extension;

typedef struct model {
	arena arena;
	/* Read from a server's catalog, in the server's own spelling;
	 * false for DDL text read by the parser. */
	bool introspected;
	/* Parsed from DDL text whose statements need each other, so that no
	 * order loads them (inline foreign keys of two tables naming each
	 * other): only loading the text itself says what the server makes
	 * of it (schema/subset.h never stands in for that load). */
	bool load_cycle;
	/* Set by the command (--strict-column-order) on the target: a table
	 * whose columns come in another order is rebuilt to match, where
	 * otherwise the order is not a difference. */
	bool strict_column_order;
	/* The neutral core: */
	M_ARRAY(m_schema, schemas);
	M_ARRAY(m_sequence, sequences);
	M_ARRAY(m_table, tables);
	M_ARRAY(m_index, indexes);
	M_ARRAY(m_view, views);
	M_ARRAY(m_function, functions);
	M_ARRAY(m_trigger, triggers);
	M_ARRAY(m_grant, grants);
	M_ARRAY(m_warning, warnings);
	struct { /* PostgreSQL */
		M_ARRAY(m_extension, extensions);
		M_ARRAY(m_collation, collations);
		M_ARRAY(m_cast, casts);
		M_ARRAY(m_ts_dict, ts_dicts);
		M_ARRAY(m_ts_config, ts_configs);
		M_ARRAY(m_operator, operators);
		M_ARRAY(m_opfamily, opfamilies);
		M_ARRAY(m_opclass, opclasses);
		M_ARRAY(m_enum, enums);
		M_ARRAY(m_domain, domains);
		M_ARRAY(m_composite, composites);
		M_ARRAY(m_range, ranges);
		M_ARRAY(m_statistics, statistics);
		M_ARRAY(m_policy, policies);
		M_ARRAY(m_typeuse, type_uses); /* unsorted */
	};
} model;

model *model_new(void);
void model_free(model *m);

/* Adders: return a zeroed item owned by the model. Fill every string with
 * model_str()/arena functions on m->arena. */
m_schema *model_add_schema(model *m);
m_extension *model_add_extension(model *m);
m_collation *model_add_collation(model *m);
m_cast *model_add_cast(model *m);
m_ts_dict *model_add_ts_dict(model *m);
m_ts_config *model_add_ts_config(model *m);
m_operator *model_add_operator(model *m);
m_opfamily *model_add_opfamily(model *m);
m_opclass *model_add_opclass(model *m);
m_enum *model_add_enum(model *m);
m_domain *model_add_domain(model *m);
m_composite *model_add_composite(model *m);
m_range *model_add_range(model *m);
m_sequence *model_add_sequence(model *m);
m_table *model_add_table(model *m);
m_index *model_add_index(model *m);
m_statistics *model_add_statistics(model *m);
m_view *model_add_view(model *m);
m_function *model_add_function(model *m);
m_trigger *model_add_trigger(model *m);
m_policy *model_add_policy(model *m);
m_grant *model_add_grant(model *m);
m_column *model_table_add_column(model *m, m_table *t);
m_constraint *model_table_add_constraint(model *m, m_table *t);
void model_add_warning(model *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A warning that is only a note (m_warning.note). */
void model_add_note(model *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

char *model_str(model *m, const char *s); /* copy into the arena */

/* Lookups (linear before model_sort, binary after). */
m_table *model_find_table(const model *m, const char *schema, const char *name);
m_column *model_table_find_column(const m_table *t, const char *name);
m_constraint *model_table_find_constraint(const m_table *t, const char *name);

/* Remove the tables named in `names` (NULL-terminated; any schema) with
 * their indexes, statistics, triggers, policies, grants and owned sequences. */
void model_drop_tables(model *m, const char *const *names);

/* Sort every array by its key so that two models can be compared in step
 * and printed deterministically. Idempotent. */
void model_sort(model *m);

/*
 * The model's canonical serialisation (model_canon.c), which schema
 * fingerprints hash: every field the differ compares, in a fixed order,
 * independent of how any dialect renders SQL, so that a new version of
 * schemig that spells a statement differently keeps every fingerprint.
 * `m` must be sorted (model_sort). The first line names the version:
 * bump MODEL_CANONICAL_VERSION only when the model itself changes what
 * it holds, since every fingerprint changes with it.
 */
#define MODEL_CANONICAL_VERSION 1
struct strbuf;
void model_canonical(const model *m, struct strbuf *out);

#endif
