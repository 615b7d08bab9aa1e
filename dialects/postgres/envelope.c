/*
 * The step envelope of PostgreSQL (dialect->step_envelope): the one
 * place that says how a plan step is wrapped, for every rendering of a
 * plan and every execution of one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "session.h"

/* What a script runs once at its end when a non-transactional step set
 * session-level timeouts: they must not outlive the migration (the
 * framework's own bookkeeping, the next migration on the connection). */
static const char *const pg_finish[] = {"RESET lock_timeout",
					"RESET statement_timeout"};

static void add_stmt(char **list, int *n, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	list[(*n)++] = xstrdup(buf);
}

int pg_step_envelope(const plan_settings *st, const plan_step *s, bool rollback,
		     dialect_envelope *out, error *e)
{
	memset(out, 0, sizeof(*out));
	out->body = rollback ? s->rollback : s->forward;
	if (!out->body)
		return error_set(e, EXIT_USAGE,
				 "step %d (%s): no %s SQL to run", s->n,
				 s->object ? s->object : "?",
				 rollback ? "rollback" : "forward");
	bool tx = rollback ? s->rollback_transactional : s->transactional;
	if (tx) {
		/* Each step in a transaction of its own, so that no step's
		 * lock outlives it (NOT VALID then VALIDATE must not hold
		 * the first ACCESS EXCLUSIVE lock during the scan). */
		out->transaction = true;
		out->begin = "BEGIN";
		out->commit = "COMMIT";
		out->abort = "ROLLBACK";
		add_stmt(out->before, &out->nbefore,
			 "SET LOCAL lock_timeout = '%dms'",
			 st->lock_timeout_ms);
		/* A step that only changes the catalog should be quick: the
		 * timeout bounds a surprise. Scans and rewrites take as long
		 * as the table needs, and rollbacks must not be cut short. */
		if (st->statement_timeout_ms > 0 && !rollback && !s->scans &&
		    !s->rewrites)
			add_stmt(out->before, &out->nbefore,
				 "SET LOCAL statement_timeout = '%dms'",
				 st->statement_timeout_ms);
		return 0;
	}
	/* A statement that cannot run in a transaction block (CREATE INDEX
	 * CONCURRENTLY, a backfill committing per batch) runs alone after
	 * session-level settings: no statement timeout, it takes as long
	 * as the table needs. */
	add_stmt(out->before, &out->nbefore, "SET lock_timeout = '%dms'",
		 st->lock_timeout_ms);
	add_stmt(out->before, &out->nbefore, "SET statement_timeout = 0");
	out->finish = pg_finish;
	out->nfinish = (int)(sizeof(pg_finish) / sizeof(pg_finish[0]));
	return 0;
}
