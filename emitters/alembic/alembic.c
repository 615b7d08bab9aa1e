/*
 * The Alembic emitter: a plan as one revision module,
 * <script location>/versions/<rev>_<slug>.py, following the current head.
 *
 * Alembic runs a whole `upgrade` in one transaction on PostgreSQL
 * (transactional DDL), which would hold the first step's ACCESS EXCLUSIVE
 * lock until the last step ends and refuse CREATE INDEX CONCURRENTLY
 * outright. So every step runs in an autocommit block of its own (its
 * own connection state, no transaction opened by the driver): a
 * transactional step sends "BEGIN; SET LOCAL lock_timeout ...; <sql>
 * COMMIT;" as one text, a non-transactional step sets the session's
 * timeouts and sends its single statement alone.
 *
 * The file holds no other Python than string literals made by
 * alembic_py_string, so no identifier, default or comment of the schema
 * can change what the module does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../dialects/dialect.h"
#include "../../util/xalloc.h"
#include "../record.h"
#include "alembic.h"

int alembic_py_string(strbuf *out, const char *s)
{
	size_t start = out->len;
	strbuf_addch(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		uint32_t cp;
		int n = strbuf_utf8_decode(p, &cp);
		if (!n) {
			strbuf_setlen(out, start);
			return -1;
		}
		p += n;
		switch (cp) {
		case '\\':
			strbuf_adds(out, "\\\\");
			break;
		case '"':
			strbuf_adds(out, "\\\"");
			break;
		case '\n':
			strbuf_adds(out, "\\n");
			break;
		case '\r':
			strbuf_adds(out, "\\r");
			break;
		case '\t':
			strbuf_adds(out, "\\t");
			break;
		default:
			if (cp >= 0x20 && cp < 0x7f)
				strbuf_addch(out, (char)cp);
			else if (cp < 0x100)
				strbuf_addf(out, "\\x%02x", (unsigned)cp);
			else if (cp < 0x10000)
				strbuf_addf(out, "\\u%04x", (unsigned)cp);
			else
				strbuf_addf(out, "\\U%08x", (unsigned)cp);
		}
	}
	strbuf_addch(out, '"');
	return 0;
}

/* Text inside the docstring: letters, digits, '_', '-' and '.' only, so
 * no quote or backslash can end or change it. */
static void add_doc_text(strbuf *out, const char *s)
{
	for (; *s; s++)
		strbuf_addch(out, (*s >= 'a' && *s <= 'z') ||
					  (*s >= 'A' && *s <= 'Z') ||
					  (*s >= '0' && *s <= '9') ||
					  *s == '-' || *s == '.'
				      ? *s
				      : '_');
}

/* `_execute(<literal>)`, the literal cut after each newline into
 * adjacent literals, one per line, so a reviewer reads the SQL as SQL. */
static int add_execute(strbuf *out, const char *indent, const char *sql)
{
	const char *nl = strchr(sql, '\n');
	if (!nl || !nl[1]) {
		strbuf_addf(out, "%s_execute(", indent);
		if (alembic_py_string(out, sql) < 0)
			return -1;
		strbuf_adds(out, ")\n");
		return 0;
	}
	strbuf_addf(out, "%s_execute(\n", indent);
	for (const char *p = sql; *p;) {
		nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		char *piece = xstrndup(p, n);
		strbuf_addf(out, "%s    ", indent);
		int ret = alembic_py_string(out, piece);
		free(piece);
		if (ret < 0)
			return -1;
		strbuf_addch(out, '\n');
		p += n;
	}
	strbuf_addf(out, "%s)\n", indent);
	return 0;
}

/* Each statement of `list` in an _execute call of its own, with its
 * ";" as psql would read it. */
static int add_each(strbuf *out, char *const *list, int n)
{
	for (int i = 0; i < n; i++) {
		strbuf one = STRBUF_INIT;
		strbuf_addf(&one, "%s;", list[i]);
		int ret = add_execute(out, "        ", one.buf);
		strbuf_release(&one);
		if (ret < 0)
			return -1;
	}
	return 0;
}

/* One step in its dialect's envelope, as plan_format_sql renders it for
 * psql, in an autocommit block of its own. A step that leaves session
 * settings behind sets *finish to what the function runs at its end. */
static int add_step(strbuf *out, const plan *p, const plan_step *s,
		    bool rollback, dialect_envelope *finish, error *e)
{
	dialect_envelope env;
	strbuf body = STRBUF_INIT;
	int ret;

	strbuf_addf(out, "    # step %d: ", s->n);
	strbuf_add_comment(out, s->kind ? s->kind : "");
	strbuf_addch(out, ' ');
	strbuf_add_comment(out, s->object ? s->object : "");
	strbuf_addch(out, '\n');
	if (s->drafted_by && strcmp(s->drafted_by, "engine")) {
		strbuf_adds(out, "    # drafted by ");
		strbuf_add_comment(out, s->drafted_by);
		strbuf_addch(out, '\n');
	}
	if (s->note && *s->note) {
		strbuf_adds(out, "    # ");
		strbuf_add_comment(out, s->note);
		strbuf_addch(out, '\n');
	}
	if (plan_step_envelope(p, s, rollback, &env, e) < 0) {
		dialect_envelope_release(&env);
		return -1;
	}
	strbuf_adds(out, "    with op.get_context().autocommit_block():\n");
	if (env.transaction) {
		/* One text, one round trip: the explicit transaction is
		 * the step's, and nothing of Alembic's runs inside it. */
		plan_format_envelope(&env, NULL, &body);
		ret = add_execute(out, "        ", body.buf);
	} else {
		/* A statement that cannot run in a transaction is sent
		 * alone: several in one text would make one implicit
		 * transaction of them. */
		ret = add_each(out, env.before, env.nbefore);
		if (!ret)
			ret = add_execute(out, "        ", env.body);
		if (!ret)
			ret = add_each(out, env.after, env.nafter);
	}
	if (env.nfinish) {
		finish->finish = env.finish;
		finish->nfinish = env.nfinish;
	}
	dialect_envelope_release(&env);
	strbuf_release(&body);
	if (ret < 0)
		return error_set(e, EXIT_USAGE,
				 "step %d (%s): the SQL is not valid UTF-8",
				 s->n, s->object ? s->object : "?");
	return 0;
}

/* The body of upgrade() (forward) or downgrade() (rollbacks, last step
 * first; a step without one becomes a comment saying why). */
static int add_function(strbuf *out, const plan *p, bool rollback, error *e)
{
	dialect_envelope finish = {0};
	bool any = false;
	strbuf_addf(out, "\n\ndef %s():\n", rollback ? "downgrade" : "upgrade");
	for (int k = 0; k < p->nsteps; k++) {
		const plan_step *s =
		    &p->steps[rollback ? p->nsteps - 1 - k : k];
		if (k)
			strbuf_addch(out, '\n');
		if (!rollback || s->rollback) {
			if (add_step(out, p, s, rollback, &finish, e) < 0)
				return -1;
			any = true;
		} else {
			strbuf_addf(out, "    # step %d: no rollback: ", s->n);
			strbuf_add_comment(out, s->no_rollback ? s->no_rollback
							       : "none given");
			strbuf_addch(out, '\n');
		}
	}
	/* The session settings of a non-transactional step must not reach
	 * Alembic's bookkeeping or the next revision of the same run: one
	 * text, on one line. */
	if (finish.nfinish) {
		strbuf text = STRBUF_INIT;
		plan_format_finish(&finish, &text);
		strbuf_adds(out,
			    "\n    with op.get_context().autocommit_block():\n"
			    "        _execute(");
		alembic_py_string(out, text.buf);
		strbuf_adds(out, ")\n");
		strbuf_release(&text);
	}
	if (!any)
		strbuf_adds(out, "    pass\n");
	return 0;
}

static const char execute_helper[] =
    "\n"
    "\n"
    "# The plan's SQL reaches the server as written: exec_driver_sql with\n"
    "# no_parameters hands it to the driver without parameters, so neither\n"
    "# SQLAlchemy (op.execute wraps text in text(), where ':name' is a bind\n"
    "# parameter) nor psycopg2 ('%' starts a placeholder) rewrites it.\n"
    "# Offline (alembic upgrade --sql) the same text is printed.\n"
    "def _execute(sql):\n"
    "    context = op.get_context()\n"
    "    if context.as_sql:\n"
    "        context.impl.static_output(sql)\n"
    "        return\n"
    "    bind = op.get_bind()\n"
    "    raw = {\"no_parameters\": True}\n"
    "    try:\n"
    "        bind.exec_driver_sql(sql, execution_options=raw)\n"
    "    except Exception:\n"
    "        # A failed step leaves its own BEGIN open and aborted: end it,\n"
    "        # so that the step's error is the one Alembic reports.\n"
    "        try:\n"
    "            bind.exec_driver_sql(\"ROLLBACK\", execution_options=raw)\n"
    "        except Exception:\n"
    "            pass\n"
    "        raise\n";

/* True when `name` (quoted, maybe qualified) is Alembic's version table
 * or something in it. */
static bool names_version_table(const char *name)
{
	const char *t = name ? strstr(name, "alembic_version") : NULL;
	return t && (t == name || t[-1] == '.' || t[-1] == '"') &&
	       (!t[15] || t[15] == '.' || t[15] == '"');
}

/* A plan from a database Alembic manages towards a schema file that
 * does not declare alembic_version drops it: the upgrade would then run
 * every step and fail recording itself, leaving Alembic lost. */
static int check_version_table(const plan *p, error *e)
{
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		if (names_version_table(s->table) ||
		    names_version_table(s->object))
			return error_set(
			    e, EXIT_USAGE,
			    "step %d (%s %s) changes Alembic's own version "
			    "table: plan from a source without it, or declare "
			    "alembic_version in the desired schema",
			    s->n, s->kind, s->object);
	}
	return 0;
}

static int alembic_generate(const emit_ctx *c, emit_set *out, error *e)
{
	const plan *p = c->plan;
	char rev[13], *versions = NULL, *head = NULL, when[32];
	const char *prefix = "versions/";
	strbuf file = STRBUF_INIT, header = STRBUF_INIT, path = STRBUF_INIT;
	int ret = -1;

	/* The plan id fixes the revision id: the same plan is the same
	 * revision wherever it is generated. */
	if (strlen(p->id) < 12)
		return error_set(e, EXIT_USAGE,
				 "the plan has no id: finish it first");
	memcpy(rev, p->id, 12);
	rev[12] = '\0';
	if (check_version_table(p, e) < 0 ||
	    alembic_find_versions(c, &versions, &prefix, e) < 0 ||
	    alembic_find_head(versions, rev, c->regenerate != NULL, &head, e) <
		0)
		goto out;

	emit_header(c, "# ", &header);
	strbuf_adds(&file, header.buf);

	/* The docstring is what `alembic history` shows. */
	time_t tt = (time_t)c->now;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	strbuf_adds(&file, "\"\"\"");
	add_doc_text(&file, c->name);
	strbuf_addf(&file, "\n\nRevision ID: %s\nRevises: ", rev);
	add_doc_text(&file, head ? head : "");
	strbuf_addf(&file, "\nCreate Date: %s\n\n\"\"\"\n", when);
	strbuf_addf(&file,
		    "from alembic import op\n\n"
		    "# revision identifiers, used by Alembic.\n"
		    "revision = \"%s\"\n"
		    "down_revision = ",
		    rev);
	if (!head)
		strbuf_adds(&file, "None");
	else if (alembic_py_string(&file, head) < 0) {
		error_set(e, EXIT_USAGE,
			  "%s: the head revision id is not valid UTF-8",
			  versions);
		goto out;
	}
	strbuf_adds(&file, "\nbranch_labels = None\ndepends_on = None\n");
	strbuf_adds(&file, execute_helper);
	if (add_function(&file, p, false, e) < 0 ||
	    add_function(&file, p, true, e) < 0)
		goto out;

	strbuf_addf(&path, "%s%s_%s.py", prefix, rev, c->name);
	emit_set_add(out, path.buf, file.buf);
	ret = 0;
out:
	free(versions);
	free(head);
	strbuf_release(&file);
	strbuf_release(&header);
	strbuf_release(&path);
	return ret;
}

const emitter emitter_alembic = {"alembic", alembic_generate,
				 alembic_record_applied};
