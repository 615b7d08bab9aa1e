/*
 * Recording a Knex migration as applied, the way `knex migrate:latest`
 * records one it ran (checked with knex 3.3 on PostgreSQL):
 *
 *   knex_migrations       (id serial primary key, name varchar(255),
 *                          batch integer, migration_time timestamptz)
 *   knex_migrations_lock  (index serial primary key, is_locked integer)
 *                          holding one row, is_locked 0
 *
 * one row per migration file, named by the file's name, in a new batch
 * (one more than the greatest so far: `knex migrate:rollback` then undoes
 * this migration alone).
 *
 * Knex lets a knexfile rename both tables (migrations.tableName,
 * schemaName); knex_project.c does not read those, so the defaults are
 * used.
 */
#include "../../dialects/dialect.h"
#include "../record.h"

#define KNEX_TABLE "knex_migrations"
#define KNEX_LOCK  "knex_migrations_lock"

int knex_record_applied(const char *dir, const char *const *files, int nfiles,
			const struct dialect *d, long long ms, strbuf *sql,
			error *e)
{
	(void)dir;
	(void)ms; /* Knex keeps no duration. */
	if (record_check(d, "Knex", nfiles, e) < 0)
		return -1;

	record_sql(sql, d,
		   "CREATE TABLE IF NOT EXISTS %I (%I serial PRIMARY KEY, "
		   "%I varchar(255), %I integer, %I timestamptz);\n",
		   KNEX_TABLE, "id", "name", "batch", "migration_time");
	record_sql(sql, d,
		   "CREATE TABLE IF NOT EXISTS %I (%I serial PRIMARY KEY, "
		   "%I integer);\n",
		   KNEX_LOCK, "index", "is_locked");
	/* Knex adds the lock row when the table has none. */
	record_sql(sql, d,
		   "INSERT INTO %I (%I) SELECT 0 WHERE NOT EXISTS "
		   "(SELECT FROM %I);\n",
		   KNEX_LOCK, "is_locked", KNEX_LOCK);

	/* One statement for every file: the subquery sees the table as the
	 * statement started, so all rows share one batch; a name recorded
	 * already (a resumed apply) is not recorded again. */
	record_sql(sql, d,
		   "INSERT INTO %I (%I, %I, %I) SELECT f.name, "
		   "(SELECT coalesce(max(%I), 0) + 1 FROM %I), now() "
		   "FROM (VALUES ",
		   KNEX_TABLE, "name", "batch", "migration_time", "batch",
		   KNEX_TABLE);
	for (int i = 0; i < nfiles; i++)
		record_sql(sql, d, "%s(%L)", i ? ", " : "",
			   record_basename(files[i]));
	record_sql(sql, d,
		   ") AS f (name) WHERE NOT EXISTS (SELECT FROM %I m "
		   "WHERE m.%I = f.name) ORDER BY f.name;\n",
		   KNEX_TABLE, "name");
	return 0;
}
