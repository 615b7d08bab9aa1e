/*
 * Recording an Alembic revision as applied, as `alembic upgrade` records
 * one it ran: alembic_version (created as Alembic creates it, checked
 * with alembic 1.8 on PostgreSQL) ends holding the revision in place of
 * the revisions it revises (its down_revision; several for a merge), so
 * that `alembic current` names it and `alembic upgrade head` has nothing
 * left to run. Alembic's version_table / version_table_schema options
 * live in env.py, which we cannot run: the default table is used.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../dialects/dialect.h"
#include "../../util/xalloc.h"
#include "../record.h"
#include "alembic.h"

#define ALEMBIC_TABLE "alembic_version"

typedef struct revision {
	char *id;
	char **downs;
	int ndowns;
} revision;

/* Does any revision of revs[0..n-1] revise `id`? */
static bool is_revised(const revision *revs, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < revs[i].ndowns; j++)
			if (!strcmp(revs[i].downs[j], id))
				return true;
	return false;
}

static void render(const revision *revs, int n, const struct dialect *d,
		   strbuf *sql)
{
	record_sql(sql, d,
		   "CREATE TABLE IF NOT EXISTS %I (%I varchar(32) NOT NULL, "
		   "CONSTRAINT %I PRIMARY KEY (%I));\n",
		   ALEMBIC_TABLE, "version_num", "alembic_version_pkc",
		   "version_num");
	/* What the revisions revise is no longer a head: Alembic updates
	 * (or, merging, deletes) those rows. Deleting them and inserting the
	 * new heads below leaves the same rows, also when run twice. */
	bool any = false;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < revs[i].ndowns; j++) {
			if (!any)
				record_sql(sql, d,
					   "DELETE FROM %I WHERE %I IN (",
					   ALEMBIC_TABLE, "version_num");
			record_sql(sql, d, "%s%L", any ? ", " : "",
				   revs[i].downs[j]);
			any = true;
		}
	if (any)
		strbuf_adds(sql, ");\n");
	/* A revision of the change that another one of it revises (several
	 * files in one change) is not a head either. */
	for (int i = 0; i < n; i++)
		if (!is_revised(revs, n, revs[i].id))
			record_sql(sql, d,
				   "INSERT INTO %I (%I) SELECT %L WHERE NOT "
				   "EXISTS (SELECT FROM %I WHERE %I = %L);\n",
				   ALEMBIC_TABLE, "version_num", revs[i].id,
				   ALEMBIC_TABLE, "version_num", revs[i].id);
}

int alembic_record_applied(const char *dir, const char *const *files,
			   int nfiles, const struct dialect *d, long long ms,
			   strbuf *sql, error *e)
{
	(void)ms; /* Alembic keeps no duration. */
	if (record_check(d, "Alembic", nfiles, e) < 0)
		return -1;

	revision *revs = xcalloc((size_t)nfiles, sizeof(*revs));
	strbuf path = STRBUF_INIT;
	int ret = 0;
	for (int i = 0; i < nfiles && !ret; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, files[i]);
		ret = alembic_read_revision(path.buf, &revs[i].id,
					    &revs[i].downs, &revs[i].ndowns, e);
	}
	if (!ret)
		render(revs, nfiles, d, sql);
	for (int i = 0; i < nfiles; i++)
		alembic_revision_free(revs[i].id, revs[i].downs,
				      revs[i].ndowns);
	free(revs);
	strbuf_release(&path);
	return ret;
}
