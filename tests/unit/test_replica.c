/* replica: which tables a copy holds in which order, which a sample keeps
 * whole, and every column's mask (rules, foreign keys, columns that look
 * personal), with the errors that name a rule's line. No server: the
 * schema is parsed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/dialect.h"
#include "replica/replica.h"
#include "util/xalloc.h"

static const char schema[] =
    "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL "
    "UNIQUE, full_name text, phone text, emailed_at timestamptz, "
    "\"Email Address\" text, total numeric GENERATED ALWAYS AS (1) "
    "STORED);\n"
    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint "
    "REFERENCES customers (id), customer_email text REFERENCES customers "
    "(email), note text NOT NULL);\n"
    "CREATE TABLE order_items (order_id bigint REFERENCES orders (id), "
    "line int, PRIMARY KEY (order_id, line));\n"
    "CREATE TABLE employees (id int PRIMARY KEY, manager_id int "
    "REFERENCES employees (id), work_phone text UNIQUE);\n"
    "CREATE TABLE a (id int PRIMARY KEY, b_id int);\n"
    "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));\n"
    "ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id);\n";

typedef struct fixture {
	model *m;
	replica_job job;
	config *cfg;
	json_t *warnings;
} fixture;

static void setup(fixture *f, int pct)
{
	error e = ERROR_INIT;
	memset(f, 0, sizeof(*f));
	f->m = model_new();
	if (dialect_find("postgres")->parse(f->m, schema, "t.sql", &e) < 0)
		fail_msg("%s", e.msg);
	model_sort(f->m);
	f->job.source = f->m;
	f->job.env = "production";
	f->job.sample_pct = pct;
	replica_job_tables(&f->job);
	f->cfg = config_new_defaults();
	f->warnings = json_array();
}

static void add_rule(fixture *f, const char *column, const char *rule, int line)
{
	config *c = f->cfg;
	c->masks =
	    xrealloc(c->masks, sizeof(*c->masks) * (size_t)(c->nmasks + 1));
	c->masks[c->nmasks++] =
	    (config_mask){xstrdup(column), xstrdup(rule), line};
}

static void teardown(fixture *f)
{
	arena_free(&f->job.arena);
	model_free(f->m);
	config_free(f->cfg);
	json_decref(f->warnings);
}

static int table_at(const fixture *f, const char *name)
{
	for (int i = 0; i < f->job.ntables; i++)
		if (!strcmp(f->job.tables[i].t->name, name))
			return i;
	fail_msg("no table %s", name);
	return -1;
}

static const replica_column *column(const fixture *f, const char *table,
				    const char *name)
{
	const replica_table *t = &f->job.tables[table_at(f, table)];
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].col->name, name))
			return &t->cols[i];
	return NULL;
}

static void test_order_and_cycles(void **state)
{
	(void)state;
	fixture f;
	setup(&f, 10);
	assert_int_equal(f.job.ntables, 6);
	assert_true(table_at(&f, "customers") < table_at(&f, "orders"));
	assert_true(table_at(&f, "orders") < table_at(&f, "order_items"));
	/* A sample keeps a self-reference and a two-table cycle whole. */
	assert_true(f.job.tables[table_at(&f, "employees")].whole);
	assert_true(f.job.tables[table_at(&f, "a")].whole);
	assert_true(f.job.tables[table_at(&f, "b")].whole);
	assert_false(f.job.tables[table_at(&f, "orders")].whole);
	/* The references sit on the parent, naming the child's index. */
	const replica_table *c = &f.job.tables[table_at(&f, "customers")];
	assert_int_equal(c->nrefs, 2);
	assert_int_equal(c->refs[0].child, table_at(&f, "orders"));
	/* A generated column is not copied. */
	assert_null(column(&f, "customers", "total"));
	teardown(&f);

	setup(&f, 100);
	assert_false(f.job.tables[table_at(&f, "employees")].whole);
	teardown(&f);
}

static void test_masks(void **state)
{
	(void)state;
	fixture f;
	error e = ERROR_INIT;
	setup(&f, 100);
	add_rule(&f, "public.customers.email", "email", 7);
	add_rule(&f, "orders.note", "redact", 8);
	assert_int_equal(replica_masks_decide(&f.job, f.cfg, f.warnings, &e),
			 0);

	const replica_column *c = column(&f, "customers", "email");
	assert_int_equal(c->mask, REPLICA_MASK_EMAIL);
	assert_string_equal(c->why, "rule at .schemig.yml:7");
	assert_true(c->in_unique);
	/* The foreign key onto the masked email takes its mask. */
	c = column(&f, "orders", "customer_email");
	assert_int_equal(c->mask, REPLICA_MASK_EMAIL);
	assert_string_equal(c->why,
			    "follows public.customers.email (foreign key)");
	assert_int_equal(column(&f, "orders", "note")->mask,
			 REPLICA_MASK_REDACT);
	/* Guessed: masked by their kind, and warned about. */
	assert_int_equal(column(&f, "customers", "phone")->mask,
			 REPLICA_MASK_PHONE);
	assert_int_equal(column(&f, "customers", "full_name")->mask,
			 REPLICA_MASK_FAKE_NAME);
	assert_int_equal(column(&f, "customers", "Email Address")->mask,
			 REPLICA_MASK_EMAIL);
	/* A unique phone gets a mask that keeps it unique. */
	assert_int_equal(column(&f, "employees", "work_phone")->mask,
			 REPLICA_MASK_HASH);
	/* Not personal: a timestamp named after mail, ids. */
	assert_int_equal(column(&f, "customers", "emailed_at")->mask,
			 REPLICA_MASK_NONE);
	assert_int_equal(column(&f, "orders", "customer_id")->mask,
			 REPLICA_MASK_NONE);
	assert_int_equal(json_array_size(f.warnings), 4);
	assert_non_null(strstr(json_string_value(json_array_get(f.warnings, 0)),
			       "(no rule)"));
	teardown(&f);
}

/* A rule that cannot hold fails, naming its line. */
static void expect_rule_error(const char *column, const char *rule,
			      const char *want)
{
	fixture f;
	error e = ERROR_INIT;
	setup(&f, 100);
	add_rule(&f, column, rule, 12);
	if (!strcmp(rule, "hash"))
		add_rule(&f, "public.orders.customer_email", "email", 13);
	assert_int_equal(replica_masks_decide(&f.job, f.cfg, f.warnings, &e),
			 -1);
	if (!strstr(e.msg, want))
		fail_msg("'%s' lacks '%s'", e.msg, want);
	assert_int_equal(e.code, EXIT_USAGE);
	error_clear(&e);
	teardown(&f);
}

static void test_rule_errors(void **state)
{
	(void)state;
	expect_rule_error("public.customers.nope", "hash",
			  ".schemig.yml:12: mask: public.customers.nope: no "
			  "such column");
	expect_rule_error("public.customers.total", "null", "no such column");
	expect_rule_error("public.orders.note", "null",
			  ".schemig.yml:12: mask: public.orders.note is NOT "
			  "NULL");
	expect_rule_error("public.employees.work_phone", "phone",
			  "is unique and phone gives equal values");
	expect_rule_error("public.customers.email", "hash",
			  "are joined by a foreign key");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_cycles),
	    cmocka_unit_test(test_masks),
	    cmocka_unit_test(test_rule_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
