/*
 * A toy dialect, to prove the seam: a database with tables of named,
 * typed columns, held in memory by this file (its "server"), reached
 * through URLs "toy://NAME", speaking a small SQL of its own with its
 * own transaction and lock-wait statements ("BEGIN TOY", "SET
 * lock_wait = N"). It is written against dialects/dialect.h alone and
 * goes through what a real dialect goes through: parse, introspect,
 * diff, plan, generate with the sql emitter, and the execution core
 * (forward, a failure half-way, undo). Nothing of PostgreSQL may show
 * up on the way: no libpq, no lock_timeout, no BEGIN without TOY.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dialects/dialect.h"
#include "emitters/emit.h"
#include "exec/exec.h"
#include "util/xalloc.h"

/* ---- the in-memory server ------------------------------------------ */

#define TOY_MAX	 8
#define TOY_NAME 32

typedef struct toy_table {
	char name[TOY_NAME];
	int ncols;
	char col[TOY_MAX][TOY_NAME], type[TOY_MAX][TOY_NAME];
} toy_table;

typedef struct toy_db {
	char name[TOY_NAME];
	int ntables;
	toy_table t[TOY_MAX];
} toy_db;

static toy_db servers[2];

static toy_db *toy_db_of(const char *url)
{
	if (strncmp(url, "toy://", 6))
		return NULL;
	for (size_t i = 0; i < sizeof(servers) / sizeof(*servers); i++)
		if (!strcmp(servers[i].name, url + 6))
			return &servers[i];
	return NULL;
}

static toy_table *toy_find(toy_db *db, const char *name)
{
	for (int i = 0; i < db->ntables; i++)
		if (!strcmp(db->t[i].name, name))
			return &db->t[i];
	return NULL;
}

static int toy_find_col(const toy_table *t, const char *col)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->col[i], col))
			return i;
	return -1;
}

/* "a int, b text" into t's columns. */
static int toy_columns(toy_table *t, const char *list)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save = NULL, *item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (t->ncols == TOY_MAX ||
		    sscanf(item, " %31s %31s", t->col[t->ncols],
			   t->type[t->ncols]) != 2)
			return -1;
		t->ncols++;
	}
	return 0;
}

/* Apply one statement of the toy's SQL to `db`. */
static int toy_apply(toy_db *db, const char *stmt, error *e)
{
	char name[TOY_NAME], col[TOY_NAME], type[TOY_NAME], list[256];
	toy_table *t;
	if (sscanf(stmt, " CREATE TABLE %31s (%255[^)])", name, list) == 2) {
		if (toy_find(db, name) || db->ntables == TOY_MAX)
			return error_set(e, EXIT_DB, "toy: table %s exists",
					 name);
		t = &db->t[db->ntables];
		memset(t, 0, sizeof(*t));
		snprintf(t->name, sizeof(t->name), "%s", name);
		if (toy_columns(t, list) < 0)
			return error_set(e, EXIT_DB, "toy: bad columns");
		db->ntables++;
		return 0;
	}
	if (sscanf(stmt, " ALTER TABLE %31s ADD %31s %31s", name, col, type) ==
	    3) {
		if (!(t = toy_find(db, name)) || toy_find_col(t, col) >= 0 ||
		    t->ncols == TOY_MAX)
			return error_set(e, EXIT_DB, "toy: cannot add %s to %s",
					 col, name);
		snprintf(t->col[t->ncols], TOY_NAME, "%s", col);
		snprintf(t->type[t->ncols++], TOY_NAME, "%s", type);
		return 0;
	}
	if (sscanf(stmt, " ALTER TABLE %31s DROP %31s", name, col) == 2) {
		int k;
		if (!(t = toy_find(db, name)) || (k = toy_find_col(t, col)) < 0)
			return error_set(e, EXIT_DB, "toy: no column %s in %s",
					 col, name);
		for (int i = k; i + 1 < t->ncols; i++) {
			memcpy(t->col[i], t->col[i + 1], TOY_NAME);
			memcpy(t->type[i], t->type[i + 1], TOY_NAME);
		}
		t->ncols--;
		return 0;
	}
	if (sscanf(stmt, " DROP TABLE %31s", name) == 1) {
		if (!(t = toy_find(db, name)))
			return error_set(e, EXIT_DB, "toy: no table %s", name);
		*t = db->t[--db->ntables];
		return 0;
	}
	return error_set(e, EXIT_DB, "toy: cannot run \"%s\"", stmt);
}

/* ---- sessions -------------------------------------------------------- */

struct dialect_conn {
	toy_db *db;
	toy_db saved; /* the state at BEGIN TOY */
	bool in_txn;
	int lock_wait; /* the last SET lock_wait */
};

struct dialect_cancel {
	int unused;
};

static int toy_connect(const char *url, dialect_conn **out, error *e)
{
	toy_db *db = toy_db_of(url);
	if (!db)
		return error_set(e, EXIT_DB, "toy: no database %s", url);
	*out = xcalloc(1, sizeof(**out));
	(*out)->db = db;
	return 0;
}

static void toy_close(dialect_conn *c)
{
	free(c);
}

/* Statements separated by ";", as the envelope renders them. */
static int toy_run(dialect_conn *c, const char *sql, dialect_run_result *out,
		   error *e)
{
	char *copy = xstrdup(sql), *save = NULL;
	int rc = 0;
	(void)out;
	for (char *s = strtok_r(copy, ";", &save); s && !rc;
	     s = strtok_r(NULL, ";", &save)) {
		s += strspn(s, " \n\t");
		if (!*s)
			continue;
		if (!strcmp(s, "BEGIN TOY")) {
			c->saved = *c->db;
			c->in_txn = true;
		} else if (!strcmp(s, "COMMIT TOY")) {
			c->in_txn = false;
		} else if (!strcmp(s, "ROLLBACK TOY")) {
			if (c->in_txn)
				*c->db = c->saved;
			c->in_txn = false;
		} else if (sscanf(s, "SET lock_wait = %d", &c->lock_wait) !=
			   1) {
			rc = toy_apply(c->db, s, e);
		}
	}
	free(copy);
	return rc;
}

static dialect_cancel *toy_cancel_new(dialect_conn *c)
{
	(void)c;
	return xcalloc(1, sizeof(dialect_cancel));
}

static void toy_cancel(dialect_cancel *k)
{
	(void)k;
}

static void toy_cancel_free(dialect_cancel *k)
{
	free(k);
}

/* The toy keeps no lock table: locks are never observed. */
static int toy_locks(dialect_conn *mon, dialect_conn *of, const char *table,
		     dialect_locks *out)
{
	(void)mon, (void)of, (void)table, (void)out;
	return -1;
}

static long long toy_bytes(dialect_conn *c, const char *table, bool indexes)
{
	(void)c, (void)table, (void)indexes;
	return -1;
}

static long long toy_rows(dialect_conn *c, const char *table)
{
	(void)c, (void)table;
	return 0;
}

static const char *const toy_lock_modes[] = {"shared", "exclusive", NULL};

/* ---- the step envelope ---------------------------------------------- */

static int toy_envelope(const plan_settings *st, const plan_step *s,
			bool rollback, dialect_envelope *out, error *e)
{
	memset(out, 0, sizeof(*out));
	out->body = rollback ? s->rollback : s->forward;
	if (!out->body)
		return error_set(e, EXIT_USAGE, "toy: step %d has no rollback",
				 s->n);
	out->transaction = true;
	out->begin = "BEGIN TOY";
	out->commit = "COMMIT TOY";
	out->abort = "ROLLBACK TOY";
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "SET lock_wait = %d", st->lock_timeout_ms);
	out->before[out->nbefore++] = strbuf_detach(&sb);
	return 0;
}

/* ---- parse, introspect, diff, plan ---------------------------------- */

static void toy_to_model(const toy_db *db, model *m)
{
	for (int i = 0; i < db->ntables; i++) {
		m_table *t = model_add_table(m);
		t->schema = model_str(m, "main");
		t->name = model_str(m, db->t[i].name);
		for (int j = 0; j < db->t[i].ncols; j++) {
			m_column *c = model_table_add_column(m, t);
			c->name = model_str(m, db->t[i].col[j]);
			c->type = model_str(m, db->t[i].type[j]);
		}
	}
}

/* A file is the statements that build it, run on an empty database. */
static int toy_parse(model *m, const char *sql, const char *filename, error *e)
{
	toy_db scratch = {.name = "file"};
	dialect_conn c = {.db = &scratch};
	dialect_run_result r = {.own_lock = -1};
	if (toy_run(&c, sql, &r, e) < 0) {
		error_prefix(e, "%s", filename);
		return -1;
	}
	toy_to_model(&scratch, m);
	return 0;
}

static int toy_introspect(model *m, const char *url, error *e)
{
	toy_db *db = toy_db_of(url);
	if (!db)
		return error_set(e, EXIT_DB, "toy: no database %s", url);
	toy_to_model(db, m);
	m->introspected = true;
	return 0;
}

/* The typed object of a change, its names in the result's arena. */
static change_object toy_obj(diff_result *r, int kind, const char *table,
			     const char *name)
{
	change_object o = {.kind = kind};
	o.schema = arena_strdup(&r->arena, "main");
	o.table = table ? arena_strdup(&r->arena, table) : NULL;
	o.name = arena_strdup(&r->arena, name);
	return o;
}

static void toy_create(diff_result *r, const m_table *t)
{
	strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "CREATE TABLE %s (", t->name);
	for (int i = 0; i < t->ncolumns; i++)
		strbuf_addf(&sql, "%s%s %s", i ? ", " : "", t->columns[i].name,
			    t->columns[i].type);
	strbuf_addch(&sql, ')');
	diff_stmt *st = diff_result_add(r, "create_table", t->name, sql.buf);
	st->change = CHANGE_CREATE_TABLE;
	st->obj = toy_obj(r, CHANGE_OBJ_TABLE, NULL, t->name);
	st->after.obj = t;
	strbuf_release(&sql);
}

static void toy_columns_diff(diff_result *r, const m_table *a, const m_table *b)
{
	strbuf sql = STRBUF_INIT, obj = STRBUF_INIT;
	for (int i = 0; i < b->ncolumns; i++) {
		if (model_table_find_column(a, b->columns[i].name))
			continue;
		strbuf_reset(&sql);
		strbuf_reset(&obj);
		strbuf_addf(&sql, "ALTER TABLE %s ADD %s %s", b->name,
			    b->columns[i].name, b->columns[i].type);
		strbuf_addf(&obj, "%s.%s", b->name, b->columns[i].name);
		diff_stmt *st =
		    diff_result_add(r, "add_column", obj.buf, sql.buf);
		st->change = CHANGE_ADD_COLUMN;
		st->obj =
		    toy_obj(r, CHANGE_OBJ_COLUMN, b->name, b->columns[i].name);
		st->before.parent = a;
		st->after = (change_side){&b->columns[i], b};
	}
	for (int i = 0; i < a->ncolumns; i++) {
		if (model_table_find_column(b, a->columns[i].name))
			continue;
		strbuf_reset(&sql);
		strbuf_reset(&obj);
		strbuf_addf(&sql, "ALTER TABLE %s DROP %s", a->name,
			    a->columns[i].name);
		strbuf_addf(&obj, "%s.%s", a->name, a->columns[i].name);
		diff_stmt *st =
		    diff_result_add(r, "drop_column", obj.buf, sql.buf);
		st->change = CHANGE_DROP_COLUMN;
		st->destructive = true;
		st->obj =
		    toy_obj(r, CHANGE_OBJ_COLUMN, a->name, a->columns[i].name);
		st->before = (change_side){&a->columns[i], a};
		st->after.parent = b;
	}
	strbuf_release(&sql);
	strbuf_release(&obj);
}

static int toy_diff(const model *from, const model *to, diff_result *out,
		    error *e)
{
	(void)e;
	for (int i = 0; i < to->ntables; i++) {
		const m_table *a =
		    model_find_table(from, "main", to->tables[i].name);
		if (!a)
			toy_create(out, &to->tables[i]);
		else
			toy_columns_diff(out, a, &to->tables[i]);
	}
	for (int i = 0; i < from->ntables; i++)
		if (!model_find_table(to, "main", from->tables[i].name)) {
			strbuf sql = STRBUF_INIT;
			strbuf_addf(&sql, "DROP TABLE %s",
				    from->tables[i].name);
			diff_stmt *st = diff_result_add(
			    out, "drop_table", from->tables[i].name, sql.buf);
			st->change = CHANGE_DROP_TABLE;
			st->destructive = true;
			st->obj = toy_obj(out, CHANGE_OBJ_TABLE, NULL,
					  from->tables[i].name);
			st->before.obj = &from->tables[i];
			strbuf_release(&sql);
		}
	return 0;
}

/* The kind that undoes `kind`. */
static int toy_inverse(int kind)
{
	static const int pairs[][2] = {{CHANGE_CREATE_TABLE, CHANGE_DROP_TABLE},
				       {CHANGE_ADD_COLUMN, CHANGE_DROP_COLUMN}};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		if (kind == pairs[i][0])
			return pairs[i][1];
		if (kind == pairs[i][1])
			return pairs[i][0];
	}
	return CHANGE_NONE;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The same object, by its typed names. */
static bool same_object(const change_object *a, const change_object *b)
{
	return a->kind == b->kind && same_str(a->table, b->table) &&
	       same_str(a->name, b->name);
}

/* One step per change; its rollback is the reverse diff's change to the
 * same object (matched on kind and object, never on SQL). */
static int toy_plan(model *from, const model *to, const char *from_url, plan *p,
		    error *e)
{
	diff_result fwd, rev;
	(void)from_url;
	diff_result_init(&fwd);
	diff_result_init(&rev);
	int rc = toy_diff(from, to, &fwd, e);
	if (!rc)
		rc = toy_diff(to, from, &rev, e);
	for (int i = 0; !rc && i < fwd.nstmts; i++) {
		const diff_stmt *f = &fwd.stmts[i];
		strbuf sql = STRBUF_INIT;
		strbuf_addf(&sql, "%s;\n", f->sql);
		const char *table = f->obj.table ? f->obj.table : f->obj.name;
		plan_step *s =
		    plan_add_step(p, f->kind, f->object, table, sql.buf);
		s->lock = plan_str(p, "exclusive");
		int n = s->n;
		strbuf_release(&sql);
		for (int j = 0; j < rev.nstmts; j++) {
			const diff_stmt *r = &rev.stmts[j];
			if (r->change != toy_inverse(f->change) ||
			    !same_object(&r->obj, &f->obj))
				continue;
			strbuf back = STRBUF_INIT;
			strbuf_addf(&back, "%s;\n", r->sql);
			plan_step_set_rollback(p, &p->steps[n - 1], back.buf);
			strbuf_release(&back);
		}
		if (f->destructive)
			p->steps[n - 1].hazards |= HZ_DELETES_DATA;
	}
	diff_result_release(&fwd);
	diff_result_release(&rev);
	return rc ? -1 : 0;
}

static void toy_quote(strbuf *sb, const char *ident)
{
	strbuf_addf(sb, "`%s`", ident);
}

static char *toy_redact(const char *url)
{
	return xstrdup(url);
}

static const dialect dialect_toy = {
    .name = "toy",
    .parse = toy_parse,
    .introspect = toy_introspect,
    .diff = toy_diff,
    .quote_ident = toy_quote,
    .redact_url = toy_redact,
    .plan = toy_plan,
    .step_envelope = toy_envelope,
    .lock_modes = toy_lock_modes,
    .session_connect = toy_connect,
    .session_close = toy_close,
    .session_run = toy_run,
    .session_cancel_new = toy_cancel_new,
    .session_cancel = toy_cancel,
    .session_cancel_free = toy_cancel_free,
    .session_locks = toy_locks,
    .session_table_bytes = toy_bytes,
    .session_count_rows = toy_rows,
};

/* ---- the tests ------------------------------------------------------- */

static const char target_sql[] =
    "CREATE TABLE orders (id int, note text);\n"
    "CREATE TABLE customers (id int, email text);\n";

static model *load(const dialect *d, const char *url_or_null, const char *sql)
{
	error e = ERROR_INIT;
	model *m = model_new();
	int rc = url_or_null ? d->introspect(m, url_or_null, &e)
			     : d->parse(m, sql, "target.toy", &e);
	if (rc < 0)
		fail_msg("%s", e.msg);
	model_sort(m);
	return m;
}

static void fingerprint(const model *m, char **out, arena *a)
{
	error e = ERROR_INIT;
	assert_int_equal(plan_fingerprint(dialect_find("toy"), m, a, out, &e),
			 0);
}

/* The shop database: orders(id, legacy). */
static void reset_shop(void)
{
	memset(servers, 0, sizeof(servers));
	snprintf(servers[0].name, TOY_NAME, "shop");
	error e = ERROR_INIT;
	assert_int_equal(toy_apply(&servers[0],
				   "CREATE TABLE orders (id int, legacy text)",
				   &e),
			 0);
}

static int setup(void **state)
{
	(void)state;
	return dialect_register(&dialect_toy);
}

/* Plan from the live toy database to the file, through the table. */
static void make_plan(const dialect *d, plan *p)
{
	error e = ERROR_INIT;
	model *from = load(d, "toy://shop", NULL);
	model *to = load(d, NULL, target_sql);
	plan_init(p);
	p->dialect = plan_str(p, d->name);
	fingerprint(from, &p->source_fp, &p->arena);
	fingerprint(to, &p->target_fp, &p->arena);
	if (d->plan(from, to, "toy://shop", p, &e) < 0 || plan_finish(p, &e))
		fail_msg("%s", e.msg);
	model_free(from);
	model_free(to);
}

static void test_diff_and_plan(void **state)
{
	(void)state;
	reset_shop();
	const dialect *d = dialect_find("toy");
	assert_ptr_equal(d, &dialect_toy);
	model *from = load(d, "toy://shop", NULL);
	model *to = load(d, NULL, target_sql);
	diff_result r;
	error e = ERROR_INIT;
	diff_result_init(&r);
	assert_int_equal(d->diff(from, to, &r, &e), 0);
	assert_int_equal(r.nstmts, 3);
	assert_string_equal(r.stmts[0].kind, "create_table");
	assert_string_equal(r.stmts[0].sql,
			    "CREATE TABLE customers (id int, email text)");
	assert_string_equal(r.stmts[1].kind, "add_column");
	assert_string_equal(r.stmts[1].object, "orders.note");
	/* Typed: the kind's code, the object's names, and the column in the
	 * target model. */
	assert_int_equal(r.stmts[1].change, CHANGE_ADD_COLUMN);
	assert_string_equal(change_kind_name(r.stmts[1].change), "add_column");
	assert_string_equal(r.stmts[1].obj.table, "orders");
	assert_ptr_equal(r.stmts[1].after.obj,
			 model_table_find_column(
			     model_find_table(to, "main", "orders"), "note"));
	assert_null(r.stmts[1].before.obj);
	assert_string_equal(r.stmts[2].kind, "drop_column");
	assert_true(r.stmts[2].destructive);
	diff_result_release(&r);

	plan p;
	arena a = ARENA_INIT;
	make_plan(d, &p);
	assert_int_equal(p.nsteps, 3);
	assert_string_equal(p.steps[1].rollback,
			    "ALTER TABLE orders DROP note;\n");
	assert_string_equal(p.steps[2].rollback,
			    "ALTER TABLE orders ADD legacy text;\n");
	assert_true(p.steps[2].hazards & HZ_DELETES_DATA);
	assert_string_not_equal(p.source_fp, p.target_fp);
	plan_release(&p);
	arena_free(&a);
	model_free(from);
	model_free(to);
}

/* The sql emitter writes the toy's envelope, and nothing of another
 * database's. */
static void test_generate_sql(void **state)
{
	(void)state;
	reset_shop();
	const dialect *d = dialect_find("toy");
	plan p;
	arena a = ARENA_INIT;
	make_plan(d, &p);
	emit_ctx c = {.plan = &p,
		      .dir = "migrations",
		      .root = ".",
		      .name = "toy",
		      .now = 1700000000};
	emit_set set;
	error e = ERROR_INIT;
	emit_set_init(&set);
	if (emitter_sql.generate(&c, &set, &e) < 0)
		fail_msg("%s", e.msg);
	assert_true(set.nfiles >= 1);
	const char *up = set.files[0].content;
	assert_non_null(strstr(up, "BEGIN TOY;\nSET lock_wait = 2000;\n"
				   "ALTER TABLE orders ADD note text;\n"
				   "COMMIT TOY;\n"));
	for (int i = 0; i < set.nfiles; i++) {
		assert_null(strstr(set.files[i].content, "lock_timeout"));
		assert_null(strstr(set.files[i].content, "BEGIN;"));
	}
	emit_set_release(&set);
	plan_release(&p);
	arena_free(&a);
}

/* A plan run on the toy shop database through the execution core. */
typedef struct toy_exec {
	const dialect *d;
	plan p;
	arena a;
	exec_ctx x;
	exec_result r;
} toy_exec;

/* The shop database as it starts, and the plan to the target. */
static void exec_begin(toy_exec *t)
{
	memset(t, 0, sizeof(*t));
	reset_shop();
	t->d = dialect_find("toy");
	make_plan(t->d, &t->p);
	exec_result_init(&t->r);
}

static void exec_start(toy_exec *t)
{
	error e = ERROR_INIT;
	if (exec_open(&t->x, t->d, &t->p, "toy://shop", false, &e) < 0)
		fail_msg("%s", e.msg);
}

static void exec_end(toy_exec *t)
{
	exec_close(&t->x);
	exec_result_release(&t->r);
	plan_release(&t->p);
	arena_free(&t->a);
}

/* The execution core runs the plan on the toy server: the database ends
 * at the target (same fingerprint, no diff left); undone, it is back at
 * the source. */
static void test_exec_forward_and_undo(void **state)
{
	(void)state;
	toy_exec t;
	error e = ERROR_INIT;
	exec_begin(&t);
	exec_start(&t);
	assert_true(exec_forward(&t.x, &t.r));
	assert_int_equal(t.r.nsteps, 3);
	assert_int_equal(t.r.failed_step, 0);
	assert_true(t.r.steps[0].ok);
	assert_int_equal(servers[0].ntables, 2);

	model *now = load(t.d, "toy://shop", NULL);
	char *fp;
	fingerprint(now, &fp, &t.a);
	assert_string_equal(fp, t.p.target_fp);
	model *to = load(t.d, NULL, target_sql);
	diff_result left;
	diff_result_init(&left);
	assert_int_equal(t.d->diff(now, to, &left, &e), 0);
	assert_int_equal(left.nstmts, 0);
	diff_result_release(&left);
	model_free(now);
	model_free(to);

	assert_true(exec_undo(&t.x, &t.r));
	assert_int_equal(t.r.nrollback_steps, 3);
	assert_int_equal(t.r.rollback_steps[0].n, 3);
	now = load(t.d, "toy://shop", NULL);
	fingerprint(now, &fp, &t.a);
	assert_string_equal(fp, t.p.source_fp);
	model_free(now);

	/* The typed result has its JSON form, read back as it was. */
	json_t *j = exec_result_json(&t.r);
	exec_result back;
	assert_int_equal(exec_result_from_json(j, &back, &e), 0);
	assert_int_equal(back.nsteps, 3);
	assert_string_equal(back.steps[1].kind, "add_column");
	exec_result_release(&back);
	json_decref(j);

	exec_end(&t);
}

/* A step that fails half-way: its own transaction is rolled back by the
 * envelope's abort, the steps before it are undone, and the database is
 * at the source again. */
static void test_exec_failure(void **state)
{
	(void)state;
	toy_exec t;
	error e = ERROR_INIT;
	exec_begin(&t);
	/* Someone added the column meanwhile: step 2 fails. */
	assert_int_equal(
	    toy_apply(&servers[0], "ALTER TABLE orders ADD x int", &e), 0);
	model *before = load(t.d, "toy://shop", NULL);
	char *fp0, *fp1;
	fingerprint(before, &fp0, &t.a);
	model_free(before);
	t.p.steps[1].forward =
	    plan_str(&t.p, "ALTER TABLE orders ADD note text;\n"
			   "ALTER TABLE orders ADD x int;\n");

	exec_start(&t);
	assert_false(exec_forward(&t.x, &t.r));
	assert_int_equal(t.r.failed_step, 2);
	assert_false(t.r.steps[1].ok);
	assert_non_null(strstr(t.r.steps[1].error, "cannot add x to orders"));
	assert_true(exec_undo(&t.x, &t.r));
	assert_int_equal(t.r.nrollback_steps, 1);
	model *after = load(t.d, "toy://shop", NULL);
	fingerprint(after, &fp1, &t.a);
	assert_string_equal(fp0, fp1);
	model_free(after);
	exec_end(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_diff_and_plan),
	    cmocka_unit_test(test_generate_sql),
	    cmocka_unit_test(test_exec_forward_and_undo),
	    cmocka_unit_test(test_exec_failure),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
