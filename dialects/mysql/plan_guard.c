/*
 * Guards (plan_step.guard): MySQL's DDL commits statement by statement,
 * so schemig can be killed after the server added a column and before
 * the journal said so. Running that step again would fail ("Duplicate
 * column name"), and so would its rollback after a failure halfway. A
 * guard is one INFORMATION_SCHEMA query whose row says "1" when the
 * statement's work is already there; apply and the dry run ask it
 * before sending the statement, and skip the statement when it says so.
 *
 * Only creating and dropping need one: MODIFY COLUMN, a column's move,
 * table options and CREATE OR REPLACE VIEW leave the same table when run
 * twice. Names go in as string literals (my_quote_literal); the URL's own
 * database (schema "") is DATABASE(), so a plan keeps working on a
 * database of another name.
 */
#include <string.h>

#include "plan_internal.h"

/* Where an object kind lives in INFORMATION_SCHEMA. */
typedef struct where {
	const char *view;	/* "COLUMNS" */
	const char *schema_col; /* "TABLE_SCHEMA" */
	const char *table_col;	/* the parent table's column, or NULL */
	const char *name_col;	/* the object's own name */
	const char *extra;	/* a further condition, or NULL */
} where;

static const where w_table = {"TABLES", "TABLE_SCHEMA", NULL, "TABLE_NAME",
			      "TABLE_TYPE = 'BASE TABLE'"};
static const where w_view = {"TABLES", "TABLE_SCHEMA", NULL, "TABLE_NAME",
			     "TABLE_TYPE = 'VIEW'"};
static const where w_column = {"COLUMNS", "TABLE_SCHEMA", "TABLE_NAME",
			       "COLUMN_NAME", NULL};
static const where w_index = {"STATISTICS", "TABLE_SCHEMA", "TABLE_NAME",
			      "INDEX_NAME", NULL};
static const where w_constraint = {"TABLE_CONSTRAINTS", "TABLE_SCHEMA",
				   "TABLE_NAME", "CONSTRAINT_NAME", NULL};
static const where w_trigger = {"TRIGGERS", "TRIGGER_SCHEMA",
				"EVENT_OBJECT_TABLE", "TRIGGER_NAME", NULL};
static const where w_function = {"ROUTINES", "ROUTINE_SCHEMA", NULL,
				 "ROUTINE_NAME", "ROUTINE_TYPE = 'FUNCTION'"};
static const where w_procedure = {"ROUTINES", "ROUTINE_SCHEMA", NULL,
				  "ROUTINE_NAME", "ROUTINE_TYPE = 'PROCEDURE'"};

/* The query whose one row is 1 when the object is there (`present`) or
 * when it is not (!present). */
static char *exists_query(plan *p, const where *w, const change_object *o,
			  bool present)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb,
		    "SELECT IF(COUNT(*) %s 0, 1, 0) FROM "
		    "information_schema.%s WHERE %s = ",
		    present ? ">" : "=", w->view, w->schema_col);
	if (!o->schema || !*o->schema)
		strbuf_adds(&sb, "DATABASE()");
	else
		my_quote_literal(&sb, o->schema);
	if (w->table_col) {
		strbuf_addf(&sb, " AND %s = ", w->table_col);
		my_quote_literal(&sb, o->table ? o->table : "");
	}
	strbuf_addf(&sb, " AND %s = ", w->name_col);
	my_quote_literal(&sb, o->name ? o->name : "");
	if (w->extra)
		strbuf_addf(&sb, " AND %s", w->extra);
	char *r = plan_str(p, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* Where the object of a create or drop lives; NULL for a change that is
 * safe to repeat. */
static const where *where_of(const diff_stmt *s)
{
	switch (s->change) {
	case CHANGE_CREATE_TABLE:
	case CHANGE_DROP_TABLE:
		return &w_table;
	case CHANGE_ADD_COLUMN:
	case CHANGE_DROP_COLUMN:
		return &w_column;
	case CHANGE_CREATE_INDEX:
	case CHANGE_DROP_INDEX:
		return &w_index;
	case CHANGE_ADD_CONSTRAINT:
	case CHANGE_DROP_CONSTRAINT:
		return &w_constraint;
	case CHANGE_CREATE_VIEW:
	case CHANGE_DROP_VIEW:
		return &w_view;
	case CHANGE_CREATE_TRIGGER:
	case CHANGE_DROP_TRIGGER:
		return &w_trigger;
	case CHANGE_CREATE_FUNCTION:
	case CHANGE_DROP_FUNCTION: {
		const m_function *f = s->change == CHANGE_CREATE_FUNCTION
					  ? s->after.obj
					  : s->before.obj;
		return f && f->kind == 'p' ? &w_procedure : &w_function;
	}
	default:
		return NULL;
	}
}

void my_plan_guard(plan *p, plan_step *st, const diff_stmt *s)
{
	const where *w = where_of(s);
	if (!w)
		return;
	int v = change_kind_verb(s->change);
	/* A create is done once its object exists; its rollback (a drop)
	 * once it does not; a drop the other way round. */
	bool creates = v != CHANGE_VERB_DROP;
	st->guard = exists_query(p, w, &s->obj, creates);
	if (st->rollback)
		st->rollback_guard = exists_query(p, w, &s->obj, !creates);
}
