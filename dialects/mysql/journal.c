/*
 * The journal of applies on MySQL and MariaDB (dialect->journal_sql,
 * journal_read): a database `schemig` on the server, beside the target,
 * since a MySQL database is a schema and the target's own tables are
 * what gets compared. One journal serves every database of the server:
 * each row carries the database it is about (`db`, DATABASE() of the
 * session that wrote it, never a value of the caller's), and every read
 * is filtered by the reading session's database.
 *
 * As for PostgreSQL, one table of columns per journal table drives the
 * DDL, the keys journal_sql accepts and how journal_read types values.
 * Column names are always quoted: `rows` and `lock` are reserved words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/strmap.h"
#include "../../util/xalloc.h"
#include "mysql.h"
#include "session.h"

enum jtype { J_TEXT, J_INT, J_REAL, J_TIME };

#define JC_KEY	  1u /* identifies the row: required, never updated */
#define JC_FULL	  2u /* journal_read gives it only when `full` */
#define JC_SERVER 4u /* the server sets it (its clock, a counter) */

typedef struct jcol {
	const char *name;
	const char *sql_type;
	enum jtype type;
	unsigned flags;
} jcol;

typedef struct jtable {
	const char *name, *title;
	const jcol *cols;
	const char *constraints;
} jtable;

/* Keys are varchar(191): an index on utf8mb4 text is at most 767 bytes
 * on older row formats. Times are UTC, to the microsecond. */
#define KEY  "varchar(191)"
#define TIME "datetime(6)"

static const jcol apply_cols[] = {
    {"db", "varchar(64) NOT NULL", J_TEXT, JC_SERVER},
    {"id", KEY, J_TEXT, JC_KEY},
    {"env", "text", J_TEXT, 0},
    {"plan_id", "text", J_TEXT, 0},
    {"plan", "longtext", J_TEXT, JC_FULL},
    {"direction", "text", J_TEXT, 0},
    {"rollback_of", "text", J_TEXT, 0},
    {"commit", "text", J_TEXT, 0},
    {"pull_request", "text", J_TEXT, 0},
    {"actor", "text", J_TEXT, 0},
    {"before_sql", "longtext", J_TEXT, JC_FULL},
    {"changes", "longtext", J_TEXT, JC_FULL},
    {"outcome", "text", J_TEXT, 0},
    {"trace", "longtext", J_TEXT, 0},
    {"credential", "text", J_TEXT, 0},
    {"started", TIME, J_TIME, JC_SERVER},
    {"finished", TIME, J_TIME, JC_SERVER},
    {NULL, NULL, 0, 0},
};

static const jcol step_cols[] = {
    {"apply_id", KEY, J_TEXT, JC_KEY},
    {"phase", "varchar(16)", J_TEXT, JC_KEY},
    {"n", "int", J_INT, JC_KEY},
    {"kind", "text", J_TEXT, 0},
    {"object", "text", J_TEXT, 0},
    {"status", "text", J_TEXT, 0},
    {"attempts", "int", J_INT, 0},
    {"rows", "bigint", J_INT, 0},
    {"lock_wait_ms", "double", J_REAL, 0},
    {"lock_held_ms", "double", J_REAL, 0},
    {"lock", "text", J_TEXT, 0},
    {"sqlstate", "text", J_TEXT, 0},
    {"message", "text", J_TEXT, 0},
    {"checkpoint", "text", J_TEXT, 0},
    {"backfill_end", "text", J_TEXT, 0},
    {"started", TIME, J_TIME, JC_SERVER},
    {"finished", TIME, J_TIME, JC_SERVER},
    {NULL, NULL, 0, 0},
};

static const jcol event_cols[] = {
    {"seq", "bigint NOT NULL AUTO_INCREMENT", J_INT, JC_SERVER},
    {"apply_id", KEY, J_TEXT, JC_KEY},
    {"at", TIME, J_TIME, JC_SERVER},
    {"event", "longtext", J_TEXT, 0},
    {NULL, NULL, 0, 0},
};

/* The approver is the account the server authenticated (CURRENT_USER()),
 * never a name the caller gives. */
static const jcol approval_cols[] = {
    {"db", "varchar(64) NOT NULL", J_TEXT, JC_SERVER},
    {"plan_id", KEY, J_TEXT, JC_KEY},
    {"approver", KEY " NOT NULL", J_TEXT, JC_SERVER},
    {"login", KEY " NOT NULL DEFAULT ''", J_TEXT, 0},
    {"comment", "text", J_TEXT, 0},
    {"at", TIME, J_TIME, JC_SERVER},
    {NULL, NULL, 0, 0},
};

static const jcol dry_run_cols[] = {
    {"db", "varchar(64) NOT NULL", J_TEXT, JC_SERVER},
    {"plan_id", KEY, J_TEXT, JC_KEY},
    {"report", "longtext", J_TEXT, 0},
    {"at", TIME, J_TIME, JC_SERVER},
    {NULL, NULL, 0, 0},
};

static const jtable applies = {"applies", "applies", apply_cols,
			       "PRIMARY KEY (`id`), KEY (`db`)"};
static const jtable steps = {
    "apply_steps", "steps", step_cols,
    "PRIMARY KEY (`apply_id`, `phase`, `n`), FOREIGN KEY (`apply_id`) "
    "REFERENCES `schemig`.`applies` (`id`) ON DELETE CASCADE"};
static const jtable events = {
    "apply_events", "events", event_cols,
    "PRIMARY KEY (`seq`), FOREIGN KEY (`apply_id`) REFERENCES "
    "`schemig`.`applies` (`id`) ON DELETE CASCADE"};
static const jtable approvals = {
    "approvals", "approvals", approval_cols,
    "PRIMARY KEY (`db`, `plan_id`, `approver`, `login`)"};
static const jtable dry_runs = {"dry_runs", "dry runs", dry_run_cols,
				"PRIMARY KEY (`db`, `plan_id`)"};

/* The journal, made when missing: run at every apply, under the apply
 * lock. utf8mb4 and InnoDB whatever the server's defaults. */
static void add_setup(strbuf *sql)
{
	const jtable *tables[] = {&applies, &steps, &events, &approvals,
				  &dry_runs};
	strbuf_adds(sql, "CREATE DATABASE IF NOT EXISTS `schemig` CHARACTER "
			 "SET utf8mb4;\n");
	for (size_t t = 0; t < sizeof(tables) / sizeof(*tables); t++) {
		strbuf_addf(sql, "CREATE TABLE IF NOT EXISTS `schemig`.`%s` (",
			    tables[t]->name);
		for (const jcol *c = tables[t]->cols; c->name; c++)
			strbuf_addf(sql, "`%s` %s%s, ", c->name, c->sql_type,
				    c->flags & JC_KEY ? " NOT NULL" : "");
		strbuf_addf(sql,
			    "%s) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
			    "COLLATE=utf8mb4_bin;\n",
			    tables[t]->constraints);
	}
}

static const jcol *find_col(const jtable *t, const char *name)
{
	for (const jcol *c = t->cols; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Every key of `f` is a column the caller may set, and the row's key
 * columns are all there. */
static int check_keys(const jtable *t, const json_t *f, error *e)
{
	if (!json_is_object(f))
		return error_set(e, EXIT_USAGE,
				 "journal %s: the values are not a JSON object",
				 t->title);
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)f, key, v)
	{
		const jcol *c = find_col(t, key);
		if (!c || (c->flags & JC_SERVER))
			return error_set(e, EXIT_USAGE,
					 "journal %s: unknown column '%s'",
					 t->title, key);
	}
	for (const jcol *c = t->cols; c->name; c++)
		if ((c->flags & JC_KEY) && !json_object_get(f, c->name))
			return error_set(e, EXIT_USAGE,
					 "journal %s: '%s' is missing",
					 t->title, c->name);
	return 0;
}

/* A value as SQL: NULL, or a quoted literal (the column's type converts
 * it), an object or array as its compact JSON text. */
static void add_value(strbuf *sql, const json_t *v)
{
	char num[64];
	switch (json_typeof(v)) {
	case JSON_NULL:
		strbuf_adds(sql, "NULL");
		return;
	case JSON_STRING:
		my_quote_literal(sql, json_string_value(v));
		return;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(v));
		strbuf_adds(sql, num);
		return;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		my_quote_literal(sql, num);
		return;
	case JSON_TRUE:
	case JSON_FALSE:
		my_quote_literal(sql, json_is_true(v) ? "true" : "false");
		return;
	default: {
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		my_quote_literal(sql, text ? text : "");
		free(text);
	}
	}
}

static void add_insert(strbuf *sql, const jtable *t, const json_t *f,
		       const char *extra_cols, const char *extra_vals)
{
	strbuf_addf(sql, "INSERT INTO `schemig`.`%s` (", t->name);
	for (const jcol *c = t->cols; c->name; c++)
		if (json_object_get(f, c->name))
			strbuf_addf(sql, "`%s`, ", c->name);
	strbuf_addf(sql, "%s) VALUES (", extra_cols);
	for (const jcol *c = t->cols; c->name; c++) {
		json_t *v = json_object_get(f, c->name);
		if (v) {
			add_value(sql, v);
			strbuf_adds(sql, ", ");
		}
	}
	strbuf_addf(sql, "%s)", extra_vals);
}

/* STEP_START: a first attempt inserts the row; a retry or a resumed
 * apply resets status and times and counts one more attempt, keeping
 * checkpoint, backfill_end and rows. */
static void add_step_start(strbuf *sql, const json_t *f)
{
	bool status = json_object_get(f, "status") != NULL;
	bool attempts = json_object_get(f, "attempts") != NULL;
	strbuf cols = STRBUF_INIT, vals = STRBUF_INIT;
	if (!status) {
		strbuf_adds(&cols, "`status`, ");
		strbuf_adds(&vals, "'running', ");
	}
	if (!attempts) {
		strbuf_adds(&cols, "`attempts`, ");
		strbuf_adds(&vals, "1, ");
	}
	strbuf_adds(&cols, "`started`");
	strbuf_adds(&vals, "UTC_TIMESTAMP(6)");
	add_insert(sql, &steps, f, strbuf_str(&cols), strbuf_str(&vals));
	strbuf_release(&cols);
	strbuf_release(&vals);
	/* attempts first: the assignments run left to right. */
	strbuf_adds(sql, " ON DUPLICATE KEY UPDATE `attempts` = "
			 "COALESCE(`attempts`, 0) + 1, ");
	for (const jcol *c = step_cols; c->name; c++)
		if (!(c->flags & (JC_KEY | JC_SERVER)) &&
		    strcmp(c->name, "attempts") &&
		    (json_object_get(f, c->name) || !strcmp(c->name, "status")))
			strbuf_addf(sql, "`%s` = VALUES(`%s`), ", c->name,
				    c->name);
	strbuf_adds(sql, "`started` = VALUES(`started`), `finished` = NULL");
}

static void add_update(strbuf *sql, const jtable *t, const json_t *f,
		       bool finished)
{
	strbuf_addf(sql, "UPDATE `schemig`.`%s` SET ", t->name);
	for (const jcol *c = t->cols; c->name; c++) {
		json_t *v = json_object_get(f, c->name);
		if (!v || (c->flags & JC_KEY))
			continue;
		strbuf_addf(sql, "`%s` = ", c->name);
		add_value(sql, v);
		strbuf_adds(sql, ", ");
	}
	strbuf_adds(sql, finished ? "`finished` = UTC_TIMESTAMP(6)"
				  : "`finished` = NULL");
	const char *sep = " WHERE ";
	for (const jcol *c = t->cols; c->name; c++) {
		if (!(c->flags & JC_KEY))
			continue;
		strbuf_addf(sql, "%s`%s` = ", sep, c->name);
		add_value(sql, json_object_get(f, c->name));
		sep = " AND ";
	}
}

static bool running(const json_t *f)
{
	const char *o = json_string_value(json_object_get(f, "outcome"));
	return o && !strcmp(o, "running");
}

int my_journal_sql(enum dialect_journal_op op, const json_t *f, strbuf *sql,
		   error *e)
{
	const jtable *t = op == JOURNAL_APPLY_START || op == JOURNAL_APPLY_END
			      ? &applies
			  : op == JOURNAL_EVENT	  ? &events
			  : op == JOURNAL_APPROVE ? &approvals
			  : op == JOURNAL_DRY_RUN ? &dry_runs
						  : &steps;
	if (op == JOURNAL_SETUP) {
		add_setup(sql);
		return 0;
	}
	if (op < JOURNAL_APPLY_START || op > JOURNAL_DRY_RUN)
		return error_set(e, EXIT_USAGE, "journal: unknown operation %d",
				 (int)op);
	if (check_keys(t, f, e))
		return -1;
	switch (op) {
	case JOURNAL_APPLY_START:
		add_insert(sql, t, f, "`db`, `started`",
			   "DATABASE(), UTC_TIMESTAMP(6)");
		break;
	case JOURNAL_EVENT:
		add_insert(sql, t, f, "`at`", "UTC_TIMESTAMP(6)");
		break;
	case JOURNAL_APPROVE:
		add_insert(sql, t, f, "`db`, `approver`, `at`",
			   "DATABASE(), CURRENT_USER(), UTC_TIMESTAMP(6)");
		strbuf_adds(sql, " ON DUPLICATE KEY UPDATE `comment` = "
				 "VALUES(`comment`), `at` = VALUES(`at`)");
		break;
	case JOURNAL_DRY_RUN:
		add_insert(sql, t, f, "`db`, `at`",
			   "DATABASE(), UTC_TIMESTAMP(6)");
		strbuf_adds(sql, " ON DUPLICATE KEY UPDATE `report` = "
				 "VALUES(`report`), `at` = VALUES(`at`)");
		break;
	case JOURNAL_STEP_START:
		add_step_start(sql, f);
		break;
	case JOURNAL_APPLY_END:
	case JOURNAL_STEP_END:
		add_update(sql, t, f, !(op == JOURNAL_APPLY_END && running(f)));
		break;
	default:
		break;
	}
	strbuf_adds(sql, ";\n");
	return 0;
}

/* ---- reading ---------------------------------------------------------- */

static json_t *column_value(const char *v, enum jtype type)
{
	if (!v)
		return json_null();
	switch (type) {
	case J_INT:
		return json_integer(strtoll(v, NULL, 10));
	case J_REAL:
		return json_real(strtod(v, NULL));
	default: {
		json_t *j = json_string(v);
		return j ? j : json_string("(not UTF-8)");
	}
	}
}

static bool read_col(const jcol *c, bool full)
{
	return (full || !(c->flags & JC_FULL)) && strcmp(c->name, "db");
}

static void add_select(strbuf *sql, const jtable *t, bool full)
{
	const char *sep = "SELECT ";
	for (const jcol *c = t->cols; c->name; c++) {
		if (!read_col(c, full))
			continue;
		strbuf_adds(sql, sep);
		if (c->type == J_TIME)
			strbuf_addf(sql,
				    "DATE_FORMAT(`%s`, "
				    "'%%Y-%%m-%%dT%%H:%%i:%%s.%%fZ')",
				    c->name);
		else
			strbuf_addf(sql, "`%s`", c->name);
		sep = ", ";
	}
}

static json_t *row_object(const my_rows *r, int row, const jtable *t, bool full)
{
	json_t *o = json_object();
	int col = 0;
	for (const jcol *c = t->cols; c->name; c++)
		if (read_col(c, full))
			json_object_set_new(
			    o, c->name,
			    column_value(my_rows_val(r, row, col++), c->type));
	return o;
}

/* Does journal table `name` exist? Asked of INFORMATION_SCHEMA:
 * reading never creates anything. */
static int exists(dialect_conn *c, const char *name, error *e)
{
	strbuf sb = STRBUF_INIT;
	char *v = NULL;
	strbuf_adds(&sb, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
			 "TABLE_SCHEMA = 'schemig' AND TABLE_NAME = ");
	my_quote_literal(&sb, name);
	int rc = my_session_query(c, strbuf_str(&sb), &v, 1, NULL, e);
	strbuf_release(&sb);
	int yes = rc < 0 ? -1 : v && strcmp(v, "0");
	free(v);
	if (rc < 0)
		error_prefix(e, "reading the journal");
	return yes;
}

static int read_rows(dialect_conn *c, strbuf *sql, my_rows *r, error *e)
{
	if (my_query(c->my, strbuf_str(sql), r, "reading the journal", e) < 0)
		return -1;
	return 0;
}

int my_journal_read(dialect_conn *c, const char *id, bool full, json_t **out,
		    error *e)
{
	*out = NULL;
	int ex = exists(c, "applies", e);
	if (ex <= 0) {
		if (!ex)
			*out = json_array();
		return ex < 0 ? -1 : 0;
	}
	strbuf sql = STRBUF_INIT;
	my_rows ra, rs;
	add_select(&sql, &applies, full);
	strbuf_adds(&sql, " FROM `schemig`.`applies` WHERE `db` = DATABASE()");
	if (id) {
		strbuf_adds(&sql, " AND `id` = ");
		my_quote_literal(&sql, id);
	}
	strbuf_adds(&sql, " ORDER BY `started` IS NULL, `started` DESC, `id` "
			  "DESC");
	if (read_rows(c, &sql, &ra, e) < 0) {
		strbuf_release(&sql);
		return -1;
	}
	strbuf_reset(&sql);
	add_select(&sql, &steps, true);
	strbuf_adds(&sql, " FROM `schemig`.`apply_steps` s WHERE s.`apply_id` "
			  "IN (SELECT `id` FROM `schemig`.`applies` WHERE `db` "
			  "= DATABASE())");
	if (id) {
		strbuf_adds(&sql, " AND s.`apply_id` = ");
		my_quote_literal(&sql, id);
	}
	strbuf_adds(&sql, " ORDER BY s.`apply_id`, s.`phase` <> 'forward', "
			  "s.`phase`, s.`n`");
	if (read_rows(c, &sql, &rs, e) < 0) {
		my_rows_release(&ra);
		strbuf_release(&sql);
		return -1;
	}
	strbuf_release(&sql);
	json_t *all = json_array();
	strmap by_id = STRMAP_INIT;
	for (int i = 0; i < ra.n; i++) {
		json_t *a = row_object(&ra, i, &applies, full);
		json_t *list = json_array();
		json_object_set_new(a, "steps", list);
		strmap_put(&by_id, my_rows_val(&ra, i, 0), list);
		json_array_append_new(all, a);
	}
	for (int i = 0; i < rs.n; i++) {
		json_t *list = strmap_get(&by_id, my_rows_val(&rs, i, 0));
		if (!list)
			continue;
		json_t *s = row_object(&rs, i, &steps, true);
		json_object_del(s, "apply_id");
		json_array_append_new(list, s);
	}
	strmap_release(&by_id);
	my_rows_release(&ra);
	my_rows_release(&rs);
	*out = all;
	return 0;
}

int my_journal_approvals(dialect_conn *c, const char *plan_id, json_t **out,
			 error *e)
{
	*out = NULL;
	int ex = exists(c, "approvals", e);
	if (ex <= 0) {
		if (!ex)
			*out = json_array();
		return ex < 0 ? -1 : 0;
	}
	/* A platform login is believed only from a row the reading
	 * session's own account wrote (see the PostgreSQL journal). */
	strbuf sql = STRBUF_INIT;
	const char *sep = "SELECT ";
	for (const jcol *col = approval_cols; col->name; col++) {
		if (!read_col(col, true))
			continue;
		strbuf_adds(&sql, sep);
		if (col->type == J_TIME)
			strbuf_addf(&sql,
				    "DATE_FORMAT(`%s`, "
				    "'%%Y-%%m-%%dT%%H:%%i:%%s.%%fZ')",
				    col->name);
		else if (!strcmp(col->name, "login"))
			strbuf_adds(&sql, "CASE WHEN `approver` = "
					  "CURRENT_USER() THEN `login` ELSE "
					  "'' END");
		else
			strbuf_addf(&sql, "`%s`", col->name);
		sep = ", ";
	}
	strbuf_adds(&sql, " FROM `schemig`.`approvals` WHERE `db` = "
			  "DATABASE() AND `plan_id` = ");
	my_quote_literal(&sql, plan_id);
	strbuf_adds(&sql, " ORDER BY `at`, `approver`, `login`");
	my_rows r;
	int rc = read_rows(c, &sql, &r, e);
	strbuf_release(&sql);
	if (rc < 0)
		return -1;
	*out = json_array();
	for (int i = 0; i < r.n; i++)
		json_array_append_new(*out,
				      row_object(&r, i, &approvals, true));
	my_rows_release(&r);
	return 0;
}

int my_journal_dry_run(dialect_conn *c, const char *plan_id, char **report,
		       error *e)
{
	*report = NULL;
	int ex = exists(c, "dry_runs", e);
	if (ex <= 0)
		return ex;
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "SELECT `report` FROM `schemig`.`dry_runs` WHERE "
			  "`db` = DATABASE() AND `plan_id` = ");
	my_quote_literal(&sql, plan_id);
	int rc = my_session_query(c, strbuf_str(&sql), report, 1, NULL, e);
	strbuf_release(&sql);
	if (rc < 0)
		return -1;
	return *report ? 1 : 0;
}
