/*
 * The result of a diff: an ordered list of statements, each naming what
 * it changes, ready to print as a migration script or as JSON.
 */
#ifndef SCHEMIG_DIFF_H
#define SCHEMIG_DIFF_H

#include <stdbool.h>

#include "../util/arena.h"
#include "../util/error.h"
#include "../util/strbuf.h"

/* What a change does to its object, as its name says ("create_",
 * "replace_", "drop_", anything else). */
typedef enum change_verb {
	CHANGE_VERB_ALTER = 0,
	CHANGE_VERB_CREATE,
	CHANGE_VERB_REPLACE,
	CHANGE_VERB_DROP,
} change_verb;

/*
 * Kinds of change every SQL database has. A dialect numbers its own kinds
 * (PostgreSQL's: dialects/postgres/change.h) from CHANGE_DIALECT_BASE on;
 * the dialect's change_kind_name gives every kind its stable name.
 * X(id, name, verb, undo): `undo` is the kind that drops what a
 * CHANGE_VERB_CREATE kind makes (CHANGE_NONE when there is none).
 */
#define CHANGE_KINDS(X)                                                        \
	X(CHANGE_CREATE_SCHEMA, "create_schema", CHANGE_VERB_CREATE,           \
	  CHANGE_DROP_SCHEMA)                                                  \
	X(CHANGE_DROP_SCHEMA, "drop_schema", CHANGE_VERB_DROP, CHANGE_NONE)    \
	X(CHANGE_CREATE_TABLE, "create_table", CHANGE_VERB_CREATE,             \
	  CHANGE_DROP_TABLE)                                                   \
	X(CHANGE_DROP_TABLE, "drop_table", CHANGE_VERB_DROP, CHANGE_NONE)      \
	X(CHANGE_ADD_COLUMN, "add_column", CHANGE_VERB_ALTER, CHANGE_NONE)     \
	X(CHANGE_DROP_COLUMN, "drop_column", CHANGE_VERB_DROP, CHANGE_NONE)    \
	X(CHANGE_ALTER_COLUMN_TYPE, "alter_column_type", CHANGE_VERB_ALTER,    \
	  CHANGE_NONE)                                                         \
	X(CHANGE_SET_DEFAULT, "set_default", CHANGE_VERB_ALTER, CHANGE_NONE)   \
	X(CHANGE_DROP_DEFAULT, "drop_default", CHANGE_VERB_DROP, CHANGE_NONE)  \
	X(CHANGE_SET_NOT_NULL, "set_not_null", CHANGE_VERB_ALTER, CHANGE_NONE) \
	X(CHANGE_DROP_NOT_NULL, "drop_not_null", CHANGE_VERB_DROP,             \
	  CHANGE_NONE)                                                         \
	X(CHANGE_ADD_CONSTRAINT, "add_constraint", CHANGE_VERB_ALTER,          \
	  CHANGE_NONE)                                                         \
	X(CHANGE_DROP_CONSTRAINT, "drop_constraint", CHANGE_VERB_DROP,         \
	  CHANGE_NONE)                                                         \
	X(CHANGE_VALIDATE_CONSTRAINT, "validate_constraint",                   \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(CHANGE_CREATE_INDEX, "create_index", CHANGE_VERB_CREATE,             \
	  CHANGE_DROP_INDEX)                                                   \
	X(CHANGE_DROP_INDEX, "drop_index", CHANGE_VERB_DROP, CHANGE_NONE)      \
	X(CHANGE_CREATE_VIEW, "create_view", CHANGE_VERB_CREATE,               \
	  CHANGE_DROP_VIEW)                                                    \
	X(CHANGE_DROP_VIEW, "drop_view", CHANGE_VERB_DROP, CHANGE_NONE)        \
	X(CHANGE_CREATE_FUNCTION, "create_function", CHANGE_VERB_CREATE,       \
	  CHANGE_DROP_FUNCTION)                                                \
	X(CHANGE_REPLACE_FUNCTION, "replace_function", CHANGE_VERB_REPLACE,    \
	  CHANGE_NONE)                                                         \
	X(CHANGE_DROP_FUNCTION, "drop_function", CHANGE_VERB_DROP,             \
	  CHANGE_NONE)                                                         \
	X(CHANGE_CREATE_TRIGGER, "create_trigger", CHANGE_VERB_CREATE,         \
	  CHANGE_DROP_TRIGGER)                                                 \
	X(CHANGE_DROP_TRIGGER, "drop_trigger", CHANGE_VERB_DROP, CHANGE_NONE)  \
	X(CHANGE_CREATE_SEQUENCE, "create_sequence", CHANGE_VERB_CREATE,       \
	  CHANGE_DROP_SEQUENCE)                                                \
	X(CHANGE_DROP_SEQUENCE, "drop_sequence", CHANGE_VERB_DROP,             \
	  CHANGE_NONE)                                                         \
	X(CHANGE_ALTER_SEQUENCE, "alter_sequence", CHANGE_VERB_ALTER,          \
	  CHANGE_NONE)                                                         \
	X(CHANGE_GRANT, "grant", CHANGE_VERB_ALTER, CHANGE_NONE)               \
	X(CHANGE_REVOKE, "revoke", CHANGE_VERB_ALTER, CHANGE_NONE)             \
	X(CHANGE_COMMENT, "comment", CHANGE_VERB_ALTER, CHANGE_NONE)

#define CHANGE_ENUM_(id, name, verb, undo) id,
typedef enum change_kind {
	CHANGE_NONE = 0, /* a statement added without a kind code */
	CHANGE_KINDS(CHANGE_ENUM_)
	/* A dialect's own kinds start here. */
	CHANGE_DIALECT_BASE = 1000,
} change_kind;
#undef CHANGE_ENUM_

/* The name of a neutral kind; NULL for CHANGE_NONE and dialect kinds. */
const char *change_kind_name(int kind);
/* The verb and the undoing kind of a neutral kind (see CHANGE_KINDS);
 * CHANGE_VERB_ALTER and CHANGE_NONE for any other. */
int change_kind_verb(int kind);
int change_kind_undo(int kind);

/*
 * What a change is about. Each kind says what `before` and `after` of a
 * diff_stmt point at (schema/model.h); `parent` is the m_table a column,
 * constraint, index or trigger belongs to. A dialect numbers its own
 * object kinds from CHANGE_OBJ_DIALECT_BASE on.
 */
typedef enum change_object_kind {
	CHANGE_OBJ_NONE = 0,   /* nothing in particular: NULL pointers */
	CHANGE_OBJ_SCHEMA,     /* m_schema */
	CHANGE_OBJ_TABLE,      /* m_table */
	CHANGE_OBJ_COLUMN,     /* m_column, parent m_table */
	CHANGE_OBJ_CONSTRAINT, /* m_constraint of a table, parent m_table */
	CHANGE_OBJ_INDEX,      /* m_index, parent m_table */
	CHANGE_OBJ_VIEW,       /* m_view (materialized or not) */
	CHANGE_OBJ_FUNCTION,   /* m_function (sub: identity arguments) */
	CHANGE_OBJ_TRIGGER,    /* m_trigger, parent m_table */
	CHANGE_OBJ_SEQUENCE,   /* m_sequence */
	CHANGE_OBJ_DIALECT_BASE = 1000,
} change_object_kind;

/* The object as data: raw (unquoted) names, NULL where a part does not
 * apply. Strings live in the diff_result's arena. */
typedef struct change_object {
	int kind;	    /* change_object_kind or the dialect's own */
	const char *schema; /* NULL for a schema itself */
	const char *table;  /* the table (or other parent) it belongs to */
	const char *name;   /* the object's own name */
	const char *sub;    /* a further part: a function's identity
			       arguments, an operator's signature, ... */
} change_object;

/* The object in one of the two models; pointers into that model, valid
 * while it lives; NULL when it is not there (created or dropped). */
typedef struct change_side {
	const void *obj;    /* what object.kind says */
	const void *parent; /* the m_table a column, constraint, index or
			       trigger belongs to, when that table is in
			       the model (even if the object is not) */
} change_side;

typedef struct diff_stmt {
	char *kind;	    /* stable name: "create_table", "add_column",
			       "alter_column_type", "drop_index", ... */
	char *object;	    /* the object it changes, qualified and quoted:
			       "public.orders", "public.orders.status" */
	char *sql;	    /* one statement, without the trailing ';' */
	bool transactional; /* false for what cannot run in a transaction
			       block (e.g. ALTER TYPE ... ADD VALUE before
			       PostgreSQL 12) */
	bool destructive;   /* drops data or an object that holds data */
	bool compound;	    /* MySQL: a routine or trigger whose body holds
			       ';': a script for the client sets another
			       DELIMITER around it */

	/* The same change as data, for planners (filled by the differ;
	 * zero for a statement added with diff_result_add alone). */
	int change;	      /* change_kind or the dialect's: `kind`'s code */
	change_object obj;    /* what `object` names, unquoted */
	change_side before;   /* the object in the `from` model */
	change_side after;    /* the object in the `to` model */
	bool rewrites, scans; /* where the differ knows: the statement
				 rewrites or scans the whole table */
	/* Ordering keys (schema/order.h): what it makes available, what
	 * it needs made first. In the result's arena. */
	const char **provides, **needs;
	int nprovides, nneeds;
} diff_stmt;

typedef struct diff_result {
	arena arena; /* owns every string below */
	diff_stmt *stmts;
	int nstmts, cstmts;
	/* What one side holds that the model cannot represent (the
	 * sources' warnings): it was not compared, so the two sides cannot
	 * be called equal. */
	char **uncompared;
	int nuncompared, cuncompared;
	/* Objects the comparison could not settle, as data: a view's query
	 * or a SQL-standard body read by the parser against the server's
	 * text (diff --parse notes them in `uncompared` too). A caller that
	 * can settle them otherwise (schema/subset.h) reads them here. */
	change_object *unsettled;
	int nunsettled, cunsettled;
} diff_result;

void diff_result_init(diff_result *r);
void diff_result_release(diff_result *r);
/* Append a statement; strings are copied into the result's arena. */
diff_stmt *diff_result_add(diff_result *r, const char *kind, const char *object,
			   const char *sql);

/* Note something that was not compared (copied into the arena; a
 * message already noted is not repeated). */
void diff_result_add_uncompared(diff_result *r, const char *what);
/* Note an object the comparison could not settle (names copied). */
void diff_result_add_unsettled(diff_result *r, int kind, const char *schema,
			       const char *name, const char *sub);
/* True when the two sides may differ: statements, or anything that was
 * not compared. */
bool diff_result_differs(const diff_result *r);

/* Render as a script psql can run as is ("sql"), as JSON ("json") or as
 * a short human summary ("text"). */
void diff_result_format_sql(const diff_result *r, strbuf *out);
void diff_result_format_text(const diff_result *r, strbuf *out);
int diff_result_format_json(const diff_result *r, strbuf *out, error *e);

#endif
