/*
 * fwrecord: record a generated migration as applied in its framework's
 * own history, as `git schemig apply` does after a plan's last step, so
 * that the suites can ask the real framework what it makes of it.
 *
 *   fwrecord FORMAT MIGRATIONS_DIR URL CHANGE_ID
 *
 * FORMAT is an emitter's name (knex, alembic, flyway); the files are the
 * ones under MIGRATIONS_DIR whose header names CHANGE_ID
 * (emit_files_of_change), recorded by the emitter's record_applied and
 * run on URL in one session (the dialect URL names). Prints the files,
 * one a line. Exit: 0 recorded, 1 failed, 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "../../dialects/dialect.h"
#include "../../emitters/emit.h"

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: fwrecord FORMAT MIGRATIONS_DIR URL "
				"CHANGE_ID\n");
		return 2;
	}
	const emitter *em = emitter_find(argv[1]);
	const dialect *d = dialect_for_url(argv[3]);
	if (!em || !em->record_applied || !d) {
		fprintf(stderr, "fwrecord: %s\n",
			!d ? "not a database URL"
			   : "no emitter of that name records history");
		return 2;
	}
	error e = ERROR_INIT;
	strbuf sql = STRBUF_INIT;
	char **files = NULL;
	int nfiles = 0, ret = 1;
	dialect_conn *conn = NULL;
	dialect_run_result res = {.own_lock = -1};
	if (emit_files_of_change(argv[2], argv[4], &files, &nfiles, &e) < 0)
		goto out;
	if (!nfiles) {
		error_set(&e, EXIT_USAGE, "%s: no file of change %s", argv[2],
			  argv[4]);
		goto out;
	}
	if (em->record_applied(argv[2], (const char *const *)files, nfiles, d,
			       1, &sql, &e) < 0 ||
	    d->session_connect(argv[3], &conn, &e) < 0 ||
	    d->session_run(conn, sql.buf, &res, &e) < 0)
		goto out;
	for (int i = 0; i < nfiles; i++)
		printf("%s\n", files[i]);
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "fwrecord: %s\n", e.msg);
	if (conn)
		d->session_close(conn);
	emit_files_free(files, nfiles);
	strbuf_release(&sql);
	error_clear(&e);
	return ret;
}
