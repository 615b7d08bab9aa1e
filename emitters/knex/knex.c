/*
 * The Knex emitter: one migration module exporting up and down,
 *
 *   <YYYYMMDDHHMMSS>_<name>.js   (CommonJS, or ESM under "type": "module")
 *   <YYYYMMDDHHMMSS>_<name>.mjs  (ESM, where the team uses .mjs)
 *   <YYYYMMDDHHMMSS>_<name>.ts   (TypeScript, next to a knexfile.ts)
 *
 * Transactions. Knex runs a migration inside one transaction unless the
 * module exports config = { transaction: false }. The plan wants each
 * transactional step in a transaction of its own and each other step
 * (CREATE INDEX CONCURRENTLY, a batched backfill that commits per batch)
 * outside any, so the module opts out and every step says how it runs:
 * inTransaction(knex, [...]) inside knex.transaction, starting with SET
 * LOCAL lock_timeout; outsideTransaction(knex, [...]) on one connection
 * after session-level SETs that it resets before handing the connection
 * back to Knex's pool.
 *
 * Why the SQL does not go through knex.raw (checked with knex 3.3 and
 * pg 8): knex.raw rewrites every "?" of the text into a bind parameter,
 * bindings or not, even inside a string literal ('a?' reached the server
 * as 'a$1'); "\?" escapes one, but nothing can send a backslash right
 * before a "?" ('a\?' in a CHECK's regular expression). And several
 * statements sent in one query string form one implicit transaction, where
 * CREATE INDEX CONCURRENTLY fails, while session SETs sent separately
 * through knex.raw may land on another pooled connection. So the module
 * takes the connection Knex holds (the transaction's, or one lent by the
 * pool: client.acquireConnection, what Knex's own runner uses) and sends
 * the plan's text to the driver unchanged, one query per array item.
 *
 * The driver is the dialect's: pg for PostgreSQL, mysql2 for MySQL and
 * MariaDB. pg's query returns a promise; mysql2's (Knex holds its
 * callback API) returns an object that throws when awaited. Both take a
 * callback, so the module calls them that way; mysql2 replaces "?" only
 * when values are given, and none are.
 *
 * Project detection (module syntax, extension, version): knex_project.c.
 */
#include <string.h>

#include "../../dialects/dialect.h"
#include "../record.h"
#include "knex.h"

/*
 * `len` bytes of `s` as a JavaScript template literal evaluating to
 * exactly those bytes: template literals keep the SQL's lines readable.
 * Escaped: backslash, backquote and "${"; CR (a template literal turns
 * it into LF) and other control characters; U+2028 and U+2029 (legal in
 * a template, but line breaks to many editors and older parsers).
 */
static void js_template(strbuf *out, const char *s, size_t len)
{
	strbuf_addch(out, '`');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\\' || ch == '`' ||
		    (ch == '$' && i + 1 < len && s[i + 1] == '{')) {
			strbuf_addch(out, '\\');
			strbuf_addch(out, (char)ch);
		} else if (ch == '\r') {
			strbuf_adds(out, "\\r");
		} else if ((ch < 0x20 && ch != '\n' && ch != '\t') ||
			   ch == 0x7f) {
			strbuf_addf(out, "\\x%02x", ch);
		} else if (ch == 0xe2 && i + 2 < len &&
			   (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] == 0xa8 ||
			    (unsigned char)s[i + 2] == 0xa9)) {
			strbuf_addf(out, "\\u%s",
				    (unsigned char)s[i + 2] == 0xa8 ? "2028"
								    : "2029");
			i += 2;
		} else {
			strbuf_addch(out, (char)ch);
		}
	}
	strbuf_addch(out, '`');
}

/* `s` as a JavaScript string in double quotes (the dialect's own
 * statements: short, one line). */
static void js_string(strbuf *out, const char *s)
{
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

/* The helpers every module carries (see the file comment); `ts` adds
 * the types a strict TypeScript build wants. `finish` is what resets
 * the session after a step outside a transaction. */
static void add_helpers(strbuf *out, bool ts, const char *finish)
{
	strbuf_adds(out,
		    "// The plan's SQL goes to the driver unchanged, on the "
		    "connection Knex\n"
		    "// holds: knex.raw would read each \"?\" of it as a bind "
		    "parameter, even\n"
		    "// inside a string literal. pg and mysql2 both take a "
		    "callback (mysql2's\n"
		    "// query cannot be awaited): the one way to call both.\n");
	strbuf_adds(out, ts ? "type Conn = {\n"
			      "  query(sql: string, cb: (err: Error | null) => "
			      "void): unknown;\n"
			      "};\n\n"
			      "function query(conn: Conn, sql: string): "
			      "Promise<void> {\n"
			    : "function query(conn, sql) {\n");
	strbuf_adds(out, "  return new Promise((resolve, reject) => {\n"
			 "    conn.query(sql, (err) => (err ? reject(err) : "
			 "resolve()));\n"
			 "  });\n"
			 "}\n\n");
	strbuf_adds(out,
		    ts ? "async function onConnection(db: Knex, fn: "
			 "(conn: Conn) => Promise<void>): Promise<void> {\n"
		       : "async function onConnection(db, fn) {\n");
	strbuf_adds(out, "  const conn = await db.client.acquireConnection();\n"
			 "  try {\n"
			 "    await fn(conn);\n"
			 "  } finally {\n"
			 "    await db.client.releaseConnection(conn);\n"
			 "  }\n"
			 "}\n\n");

	strbuf_adds(out,
		    "// A step in a transaction of its own: knex.transaction "
		    "sends BEGIN, and\n"
		    "// COMMIT, or ROLLBACK when a statement fails.\n");
	strbuf_adds(out, ts ? "async function inTransaction(knex: Knex, "
			      "statements: string[]): Promise<void> {\n"
			    : "async function inTransaction(knex, statements) "
			      "{\n");
	strbuf_adds(out, "  await knex.transaction((trx) =>\n"
			 "    onConnection(trx, async (conn) => {\n"
			 "      for (const sql of statements) await "
			 "query(conn, sql);\n"
			 "    })\n"
			 "  );\n"
			 "}\n\n");

	strbuf_adds(
	    out,
	    "// A step that cannot run in a transaction block: one query per "
	    "statement\n"
	    "// (a query string of several is one implicit transaction), all "
	    "on one\n"
	    "// connection so that the session SETs apply, reset before the "
	    "connection\n"
	    "// goes back to Knex's pool.\n");
	strbuf_adds(out, ts ? "async function outsideTransaction(knex: Knex, "
			      "statements: string[]): Promise<void> {\n"
			    : "async function outsideTransaction(knex, "
			      "statements) {\n");
	strbuf_adds(out, "  await onConnection(knex, async (conn) => {\n"
			 "    try {\n"
			 "      for (const sql of statements) await "
			 "query(conn, sql);\n"
			 "    } finally {\n"
			 "      await query(conn, ");
	js_string(out, finish);
	strbuf_adds(out, ");\n"
			 "    }\n"
			 "  });\n"
			 "}\n\n");
}

/* Each statement of `list` as an item of a step's array. */
static void add_items(strbuf *out, char *const *list, int n)
{
	for (int i = 0; i < n; i++) {
		strbuf_adds(out, "    ");
		js_string(out, list[i]);
		strbuf_adds(out, ",\n");
	}
}

/* One step in its dialect's envelope. A transaction's begin and commit
 * are knex.transaction's, not statements of the array. */
static int add_step(strbuf *out, const plan *p, const plan_step *s,
		    bool rollback, error *e)
{
	dialect_envelope env;
	bool transactional =
	    rollback ? s->rollback_transactional : s->transactional;
	strbuf_addf(out, "\n  // step %d: ", s->n);
	strbuf_add_comment(out, s->kind);
	strbuf_addch(out, ' ');
	strbuf_add_comment(out, s->object);
	if (!transactional)
		strbuf_adds(out, " (outside a transaction)");
	strbuf_addch(out, '\n');
	if (s->drafted_by && strcmp(s->drafted_by, "engine")) {
		strbuf_adds(out, "  // drafted by ");
		strbuf_add_comment(out, s->drafted_by);
		strbuf_addch(out, '\n');
	}
	if (s->note && *s->note) {
		strbuf_adds(out, "  // ");
		strbuf_add_comment(out, s->note);
		strbuf_addch(out, '\n');
	}
	if (plan_step_envelope(p, s, rollback, &env, e) < 0) {
		dialect_envelope_release(&env);
		return -1;
	}
	strbuf_addf(out, "  await %s(knex, [\n",
		    env.transaction ? "inTransaction" : "outsideTransaction");
	add_items(out, env.before, env.nbefore);
	/* The trailing newline means nothing to the server; without it
	 * the literal closes on the SQL's last line. */
	size_t len = strlen(env.body);
	while (len && (env.body[len - 1] == '\n' || env.body[len - 1] == '\r'))
		len--;
	strbuf_adds(out, "    ");
	js_template(out, env.body, len);
	strbuf_adds(out, ",\n");
	add_items(out, env.after, env.nafter);
	strbuf_adds(out, "  ]);\n");
	dialect_envelope_release(&env);
	return 0;
}

static int add_function(strbuf *out, const emit_ctx *c, const knex_project *k,
			bool down, error *e)
{
	const plan *p = c->plan;
	const char *name = down ? "down" : "up";
	switch (k->module) {
	case KNEX_COMMONJS:
		strbuf_addf(out, "exports.%s = async function (knex) {", name);
		break;
	case KNEX_ESM:
		strbuf_addf(out, "export async function %s(knex) {", name);
		break;
	case KNEX_TYPESCRIPT:
		strbuf_addf(out,
			    "export async function %s(knex: Knex): "
			    "Promise<void> {",
			    name);
		break;
	}
	if (down)
		strbuf_adds(out, "\n  // The rollbacks of the steps, last "
				 "step first.");
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[down ? p->nsteps - 1 - i : i];
		if (!down || s->rollback) {
			if (add_step(out, p, s, down, e) < 0)
				return -1;
		} else {
			strbuf_addf(out, "\n  // step %d: no rollback: ", s->n);
			strbuf_add_comment(out, s->no_rollback ? s->no_rollback
							       : "none given");
			strbuf_addch(out, '\n');
		}
	}
	strbuf_adds(out, k->module == KNEX_COMMONJS ? "};\n" : "}\n");
	return 0;
}

/* What resets the session after a step outside a transaction, as one
 * query text: the script-end statements of the dialect's envelope for
 * such a step (the helper is written whether or not the plan has one). */
static int session_reset(const plan *p, strbuf *out, error *e)
{
	plan_step outside = {.n = 0, .kind = "", .forward = ""};
	dialect_envelope env;
	int ret = plan_step_envelope(p, &outside, false, &env, e);
	for (int i = 0; !ret && i < env.nfinish; i++)
		strbuf_addf(out, "%s%s", i ? "; " : "", env.finish[i]);
	dialect_envelope_release(&env);
	return ret;
}

static int knex_generate(const emit_ctx *c, emit_set *out, error *e)
{
	knex_project k;
	if (knex_project_detect(c, &k, e) < 0)
		return -1;

	strbuf path = STRBUF_INIT, body = STRBUF_INIT, reset = STRBUF_INIT;
	int ret = -1;
	strbuf_addf(&path, "%s_%s%s", k.version, c->name, k.ext);
	if (session_reset(c->plan, &reset, e) < 0)
		goto out;

	emit_header(c, "// ", &body);
	strbuf_addch(&body, '\n');
	if (k.module == KNEX_TYPESCRIPT)
		strbuf_adds(&body, "import type { Knex } from \"knex\";\n\n");
	strbuf_adds(&body, "// Knex must not wrap this migration in one "
			   "transaction: each step below\n"
			   "// runs in a transaction of its own, or outside "
			   "any when it cannot run in one.\n");
	strbuf_adds(&body, k.module == KNEX_COMMONJS
			       ? "exports.config = { transaction: false };\n\n"
			       : "export const config = { transaction: false "
				 "};\n\n");
	add_helpers(&body, k.module == KNEX_TYPESCRIPT, strbuf_str(&reset));
	if (add_function(&body, c, &k, false, e) < 0)
		goto out;
	strbuf_addch(&body, '\n');
	if (add_function(&body, c, &k, true, e) < 0)
		goto out;

	emit_set_add(out, path.buf, body.buf);
	ret = 0;
out:
	strbuf_release(&path);
	strbuf_release(&body);
	strbuf_release(&reset);
	return ret;
}

const emitter emitter_knex = {"knex", knex_generate, knex_record_applied};
