/*
 * The plain-SQL emitter: two psql scripts sharing a version prefix,
 *
 *   <YYYYMMDDHHMMSS>_<name>.sql       the plan's steps, forward
 *   <YYYYMMDDHHMMSS>_<name>.down.sql  their rollbacks, in reverse order
 *
 * for teams whose deploy runs `psql -v ON_ERROR_STOP=1 -f FILE` (or any
 * runner that sends a script statement by statement in autocommit mode;
 * for MySQL and MariaDB, `mariadb DATABASE < FILE`: the comment names the
 * dialect's dialect->script_runner).
 *
 * The body is plan_format_sql's rendering, the reference, without its
 * header (emit_header says the same and more): each transactional step
 * in a BEGIN/COMMIT of its own that starts with SET LOCAL lock_timeout
 * (and statement_timeout), each non-transactional step on its own
 * between them after session-level SETs, reset at the end.
 */
#include "../../dialects/dialect.h"
#include "../emit.h"

static int sql_generate(const emit_ctx *c, emit_set *out, error *e)
{
	char ts[15];
	strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	(void)e;

	/* The generation time is the version: names sort in the order
	 * they were generated, and SOURCE_DATE_EPOCH makes them
	 * reproducible. */
	emit_timestamp(c->now, ts);

	for (int down = 0; down <= 1; down++) {
		strbuf_reset(&path);
		strbuf_reset(&body);
		strbuf_addf(&path, "%s_%s%s", ts, c->name,
			    down ? ".down.sql" : ".sql");
		emit_header(c, "-- ", &body);
		if (down)
			strbuf_adds(&body, "-- Rollback: undoes the steps of "
					   "the forward script, last first.\n");
		/* A runner that wraps the file in one transaction would put
		 * CONCURRENTLY inside it and merge the steps' transactions.
		 * The client that runs it is the dialect's. */
		const dialect *d = dialect_find(c->plan->dialect);
		strbuf_addf(&body,
			    "-- Run statement by statement in autocommit "
			    "(%s), never in one transaction.\n",
			    d && d->script_runner
				? d->script_runner
				: "psql -v ON_ERROR_STOP=1 -f FILE");
		plan_format_sql_body(c->plan, down, &body);
		emit_set_add(out, path.buf, body.buf);
	}
	strbuf_release(&path);
	strbuf_release(&body);
	return 0;
}

/* Plain SQL files keep no history of their own. */
const emitter emitter_sql = {"sql", sql_generate, NULL};
