/*
 * Every text of a plan that reaches a comment (names in data checks,
 * messages, reasons, notes, step kinds and objects, why a step has no
 * rollback, the source and target specs) goes through one escaper: a
 * column named "c<LF>DROP TABLE users; --" must never become a line of
 * SQL, JavaScript or Python. Rendered as the plan's SQL script and
 * through each emitter (sql, flyway, knex, alembic).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emitters/emit.h"
#include "plan/plan.h"
#include "util/strbuf.h"

/* Each one tries another way out of a comment: LF, CR, CR LF, vertical
 * tab, NEL, U+2028 and U+2029 (JavaScript line terminators), the end of
 * a block comment. (A plan holds UTF-8 only: plan_finish refuses any
 * other byte; the escaper's own test covers one.) */
static const char *const hostile[] = {
    "c\nDROP TABLE users; --",
    "c\rDROP TABLE users; --",
    "c\r\nDROP TABLE users; --",
    "c\vDROP TABLE users; --",
    "c\xc2\x85"
    "DROP TABLE users; --",
    "c\xe2\x80\xa8"
    "DROP TABLE users; //",
    "c\xe2\x80\xa9"
    "DROP TABLE users; //",
    "c */ DROP TABLE users; /* x",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* A plan whose every comment-bound text is hostile, on a table with
 * such a column. */
static void hostile_plan(plan *p)
{
	error e = ERROR_INIT;
	plan_init(p);
	p->source = plan_str(p, hostile[0]);
	p->target = plan_str(p, hostile[5]);
	for (size_t i = 0; i < NHOSTILE; i++) {
		strbuf obj = STRBUF_INIT;
		strbuf_addf(&obj, "public.t.\"%s\"", hostile[i]);
		plan_step *s = plan_add_step(p, hostile[i], obj.buf, "public.t",
					     "SELECT 1;\n");
		int n = s->n;
		s->note = plan_str(p, hostile[(i + 1) % NHOSTILE]);
		plan_step_set_no_rollback(p, &p->steps[n - 1],
					  hostile[(i + 2) % NHOSTILE]);
		plan_add_reason(p, n, obj.buf, "%s", hostile[i]);
		/* A check that ran and failed, once with a message of its
		 * own and once described by its subject (the raw names). */
		plan_check *c = plan_add_check(p, PLAN_CHECK_NARROW, n,
					       "public", hostile[i]);
		plan_check_add_column(p, c, hostile[i]);
		c->ran = true;
		c->failing = 3;
		c = plan_add_check(p, PLAN_CHECK_NOT_NULL, n, "public", "t");
		plan_check_add_column(p, c, hostile[i]);
		c->ran = true;
		c->failing = 2;
		c->message = plan_str(p, hostile[(i + 3) % NHOSTILE]);
		strbuf_release(&obj);
	}
	if (plan_finish(p, &e))
		fail_msg("plan_finish: %s", e.msg);
}

/* Every line holding "DROP TABLE" starts (after blanks) with `comment`,
 * nothing closes or opens a block comment, and no JavaScript line
 * terminator or NEL is left anywhere. */
static void assert_all_in_comments(const char *what, const char *text,
				   const char *comment)
{
	if (strstr(text, "*/") || strstr(text, "/*"))
		fail_msg("%s: a block-comment delimiter survived", what);
	if (strstr(text, "\xe2\x80\xa8") || strstr(text, "\xe2\x80\xa9") ||
	    strstr(text, "\xc2\x85") || strchr(text, '\v') ||
	    strchr(text, '\r'))
		fail_msg("%s: a line terminator survived", what);
	int drops = 0;
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = strndup(line, len);
		if (strstr(l, "DROP TABLE")) {
			const char *p = l + strspn(l, " \t");
			if (strncmp(p, comment, strlen(comment)))
				fail_msg("%s: outside a comment: %s", what, l);
			drops++;
		}
		free(l);
		line += len + (nl ? 1 : 0);
	}
	/* The hostile texts were there, inside comments. */
	if (!drops)
		fail_msg("%s: no hostile text rendered at all", what);
}

static void test_plan_sql_script(void **state)
{
	(void)state;
	plan p;
	hostile_plan(&p);
	for (int rollback = 0; rollback <= 1; rollback++) {
		strbuf out = STRBUF_INIT;
		plan_format_sql(&p, rollback, &out);
		assert_all_in_comments(rollback ? "plan sql (rollback)"
						: "plan sql",
				       out.buf, "--");
		strbuf_release(&out);
	}
	/* The readable summary keeps each text on its own line too. */
	strbuf out = STRBUF_INIT;
	plan_format_text(&p, &out);
	for (const char *l = out.buf; l; l = strchr(l, '\n')) {
		l += *l == '\n';
		if (!strncmp(l, "DROP TABLE", 10))
			fail_msg("text summary: a line starts with: %.40s", l);
	}
	strbuf_release(&out);
	plan_release(&p);
}

static void run_emitter(const emitter *em, const char *comment)
{
	char dir[] = "/tmp/schemig-comments-XXXXXX";
	assert_non_null(mkdtemp(dir));
	plan p;
	hostile_plan(&p);
	emit_ctx c = {&p, dir, dir, "hostile", 0};
	emit_set set;
	error e = ERROR_INIT;
	emit_set_init(&set);
	if (em->generate(&c, &set, &e))
		fail_msg("%s: %s", em->name, e.msg);
	assert_true(set.nfiles > 0);
	for (int i = 0; i < set.nfiles; i++) {
		/* Flyway's .conf holds no text of the plan. */
		if (strstr(set.files[i].path, ".conf"))
			continue;
		assert_all_in_comments(set.files[i].path, set.files[i].content,
				       comment);
	}
	emit_set_release(&set);
	plan_release(&p);
	rmdir(dir);
}

static void test_emitter_sql(void **state)
{
	(void)state;
	run_emitter(&emitter_sql, "--");
}

static void test_emitter_flyway(void **state)
{
	(void)state;
	run_emitter(&emitter_flyway, "--");
}

static void test_emitter_knex(void **state)
{
	(void)state;
	run_emitter(&emitter_knex, "//");
}

static void test_emitter_alembic(void **state)
{
	(void)state;
	run_emitter(&emitter_alembic, "#");
}

/* The escaper itself, byte for byte. */
static void test_escaper(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	strbuf_add_comment(&sb, "a\nb\rc\td*/e/*f\xe2\x80\xa8g\xffh\xc3\xa9");
	assert_string_equal(sb.buf, "a b c d* /e/ *f g?h\xc3\xa9");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escaper),
	    cmocka_unit_test(test_plan_sql_script),
	    cmocka_unit_test(test_emitter_sql),
	    cmocka_unit_test(test_emitter_flyway),
	    cmocka_unit_test(test_emitter_knex),
	    cmocka_unit_test(test_emitter_alembic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
