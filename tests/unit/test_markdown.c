/*
 * The one Markdown escaper (strbuf_add_markdown, shared by the review
 * report and the plan's markdown) and the draft record in the plan's
 * markdown and text renderings. A model's words (summary, renames,
 * reasons, step kinds, objects and explanations) are untrusted: the
 * model read the branch under review. None of them may render as a
 * mention, a link, an image, HTML, a heading, emphasis or a new table
 * cell, nor end the line they are on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "util/strbuf.h"

/* Every way out of plain text a model might try at once. */
#define HOSTILE                                                                \
	"@admin [x](http://evil.example) ![i](http://evil.example/p.png) "     \
	"<img src=x onerror=alert(1)> &amp; a|b\n# Heading\r\n*em* _u_ "       \
	"`code` ~~s~~ \\ #12"

/* HOSTILE as strbuf_add_markdown writes it. */
#define HOSTILE_MD                                                             \
	"\\@admin \\[x\\](http://evil.example) \\!\\[i\\](http://evil."        \
	"example/p.png) \\<img src=x onerror=alert(1)\\> \\&amp; a\\|b \\# "   \
	"Heading  \\*em\\* \\_u\\_ \\`code\\` \\~\\~s\\~\\~ \\\\ \\#12"

static void test_escaper(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	strbuf_add_markdown(&sb, HOSTILE);
	assert_string_equal(strbuf_str(&sb), HOSTILE_MD);

	/* Control characters other than line ends and tabs are left out;
	 * NULL adds nothing; plain words, dots, dashes and parentheses
	 * stay as they are. */
	strbuf_reset(&sb);
	strbuf_add_markdown(&sb, "a\tb\x01"
				 "c\x7f"
				 "d");
	strbuf_add_markdown(&sb, NULL);
	strbuf_add_markdown(&sb, " public.users.full-name (same type), ok.");
	assert_string_equal(strbuf_str(&sb),
			    "a bcd public.users.full-name (same type), ok.");

	/* UTF-8 passes through untouched. */
	strbuf_reset(&sb);
	strbuf_add_markdown(&sb, "caf\xc3\xa9 \xe2\x86\x92 ok");
	assert_string_equal(strbuf_str(&sb), "caf\xc3\xa9 \xe2\x86\x92 ok");
	strbuf_release(&sb);
}

/* One engine step, the way plans without a model look. */
static void engine_plan(plan *p)
{
	error e = ERROR_INIT;
	plan_init(p);
	p->source = plan_str(p, "current.sql");
	p->target = plan_str(p, "renamed.sql");
	plan_step *s =
	    plan_add_step(p, "add_column", "public.users.nick", "public.users",
			  "ALTER TABLE public.users ADD nick text;\n");
	s->note = plan_str(p, "a nullable column needs no rewrite");
	plan_step_set_rollback(p, s, "ALTER TABLE public.users DROP nick;\n");
	if (plan_finish(p, &e))
		fail_msg("plan_finish: %s", e.msg);
}

/* A plan without a draft record renders as it always has: the whole
 * markdown, pinned. */
static void test_no_draft_unchanged(void **state)
{
	(void)state;
	plan p;
	strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	engine_plan(&p);
	plan_format_markdown(&p, &sb);
	strbuf_addf(&want,
		    "**Backwards compatible: YES**\n\n"
		    "| # | step | object | lock | rewrite/scan | est. rows | "
		    "est. lock | hazards |\n"
		    "|---:|---|---|---|---|---:|---:|---|\n"
		    "| 1 | add_column | public.users.nick | none |  |  |  |  "
		    "|\n\n"
		    "<details><summary>Step 1: add_column "
		    "public.users.nick</summary>\n\n"
		    "a nullable column needs no rewrite\n\n"
		    "Forward:\n\n"
		    "```sql\nALTER TABLE public.users ADD nick text;\n```\n"
		    "\nRollback:\n\n"
		    "```sql\nALTER TABLE public.users DROP nick;\n```\n"
		    "\n</details>\n\n"
		    "Plan id: `%s`  \n"
		    "Source: current.sql (`no fingerprint`)  \n"
		    "Target: renamed.sql (`no fingerprint`)\n",
		    p.id);
	assert_string_equal(strbuf_str(&sb), strbuf_str(&want));

	strbuf_reset(&sb);
	plan_format_text(&p, &sb);
	assert_null(strstr(strbuf_str(&sb), "rafted"));
	strbuf_release(&sb);
	strbuf_release(&want);
	plan_release(&p);
}

/* A drafted plan whose every word from the model is HOSTILE. */
static void drafted_plan(plan *p, bool accepted)
{
	error e = ERROR_INIT;
	plan_init(p);
	p->source = plan_str(p, "current.sql");
	p->target = plan_str(p, "renamed.sql");
	/* Not accepted: the engine's step, the engine's words. */
	plan_step *s = plan_add_step(
	    p, accepted ? "rename_column|<i>" : "rename_column",
	    accepted ? HOSTILE : "public.users.name", "public.users",
	    "ALTER TABLE public.users RENAME name TO full_name;\n");
	s->drafted_by = plan_str(p, accepted ? "llm" : "engine");
	s->note = plan_str(p, accepted ? HOSTILE : "a declared rename");
	plan_draft *d = plan_draft_get(p);
	d->by = plan_str(p, "anthropic/plan-rename");
	d->accepted = accepted;
	d->summary = plan_str(p, HOSTILE);
	if (!accepted)
		d->reason = plan_str(p, HOSTILE);
	plan_draft_add_rename(p, "public.users.name", HOSTILE, HOSTILE);
	if (plan_finish(p, &e))
		fail_msg("plan_finish: %s", e.msg);
}

/* Does `needle` occur in `md` without a backslash right before it? */
static bool unescaped(const char *md, const char *needle)
{
	for (const char *at = strstr(md, needle); at;
	     at = strstr(at + 1, needle))
		if (at == md || at[-1] != '\\')
			return true;
	return false;
}

/* Nothing the model wrote opens markup in `md`: no heading, mention,
 * link, image, HTML, emphasis or cell break; no CR. */
static void assert_inert(const char *md)
{
	assert_null(strstr(md, "\n# "));
	assert_false(unescaped(md, "<img"));
	assert_false(unescaped(md, "@admin"));
	assert_false(unescaped(md, "[x]"));
	assert_false(unescaped(md, "![i]"));
	assert_false(unescaped(md, "*em"));
	assert_false(unescaped(md, "|b"));
	assert_false(unescaped(md, "`code"));
	assert_false(unescaped(md, "&amp;"));
	assert_null(strstr(md, "\r"));
}

static void test_markdown_accepted(void **state)
{
	(void)state;
	plan p;
	strbuf sb = STRBUF_INIT;
	drafted_plan(&p, true);
	plan_format_markdown(&p, &sb);
	const char *s = strbuf_str(&sb);

	/* The block comes before the steps table. */
	const char *block = strstr(s, "### Drafted by a model\n\n"
				      "Drafted by anthropic/plan-rename: "
				      "proven and used.\n\n");
	assert_non_null(block);
	assert_true(block < strstr(s, "| # | step |"));
	assert_non_null(strstr(s, "\nThe model's summary: " HOSTILE_MD "\n\n"));
	assert_non_null(strstr(s, "\n- rename public.users.name -> " HOSTILE_MD
				  ": " HOSTILE_MD "\n"));
	assert_non_null(
	    strstr(s, "\n- step 1 drafted by llm: " HOSTILE_MD "\n\n"));

	/* The table's cells: the kind's "|" cannot open a cell. */
	assert_non_null(strstr(
	    s, "| 1 | rename\\_column\\|\\<i\\> | " HOSTILE_MD " | none |"));
	/* <summary> is HTML: escaped for HTML, inside <code>, one line. */
	assert_non_null(strstr(
	    s, "<details><summary>Step 1: <code>rename_column|&lt;i&gt;</code> "
	       "<code>@admin [x](http://evil.example) "
	       "![i](http://evil.example/p.png) &lt;img src=x "
	       "onerror=alert(1)&gt; &amp;amp; a|b # Heading  *em* _u_ `code` "
	       "~~s~~ \\ #12</code></summary>\n\n"));
	/* The step's explanation, in its details. */
	assert_non_null(
	    strstr(s, "</summary>\n\nDrafted by llm: " HOSTILE_MD "\n\n"));

	/* Past the <summary> line (HTML, checked above), nothing is live. */
	assert_inert(strstr(s, "</summary>"));
	char *head = strndup(s, (size_t)(strstr(s, "<details>") - s));
	assert_inert(head);
	free(head);
	strbuf_release(&sb);
	plan_release(&p);
}

static void test_markdown_not_used(void **state)
{
	(void)state;
	plan p;
	strbuf sb = STRBUF_INIT;
	drafted_plan(&p, false);
	plan_format_markdown(&p, &sb);
	const char *s = strbuf_str(&sb);
	assert_non_null(strstr(s, "### Drafted by a model\n\n"
				  "Drafted by anthropic/plan-rename: the "
				  "model's draft was not used: " HOSTILE_MD
				  ". The engine's plan stands.\n\n"));
	/* The engine's steps: no "drafted by" line, the engine's cells. */
	assert_null(strstr(s, "- step 1 drafted by"));
	assert_null(strstr(s, "Drafted by llm"));
	assert_inert(strstr(s, "### Drafted"));
	strbuf_release(&sb);
	plan_release(&p);
}

/* The text rendering: the record's lines, and a model's line breaks
 * never make a line of their own. */
static void test_text(void **state)
{
	(void)state;
	plan p;
	strbuf sb = STRBUF_INIT;
	drafted_plan(&p, true);
	p.steps[0].drafted_by = plan_str(&p, "llm\nDROP TABLE users;");
	plan_format_text(&p, &sb);
	const char *s = strbuf_str(&sb);
	assert_non_null(
	    strstr(s, "Drafted by anthropic/plan-rename: proven and used\n"));
	assert_non_null(strstr(s, "  summary: @admin [x]"));
	assert_non_null(strstr(s, "  rename public.users.name -> @admin"));
	assert_non_null(strstr(s, " (drafted by llm DROP TABLE users;)\n"));
	/* HOSTILE holds two line breaks; each of its four appearances
	 * (summary, rename twice, note) stays on its line. */
	assert_null(strstr(s, "\n# Heading"));
	assert_null(strstr(s, "\r"));
	assert_null(strstr(s, "\nDROP TABLE"));
	strbuf_release(&sb);
	plan_release(&p);

	drafted_plan(&p, false);
	plan_format_text(&p, &sb);
	assert_non_null(strstr(strbuf_str(&sb),
			       "Drafted by anthropic/plan-rename: the model's "
			       "draft was not used: @admin"));
	assert_null(strstr(strbuf_str(&sb), "\n# Heading"));
	strbuf_release(&sb);
	plan_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escaper),
	    cmocka_unit_test(test_no_draft_unchanged),
	    cmocka_unit_test(test_markdown_accepted),
	    cmocka_unit_test(test_markdown_not_used),
	    cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
