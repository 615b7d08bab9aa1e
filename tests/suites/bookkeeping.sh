#!/usr/bin/env bash
# The migration frameworks' bookkeeping tables (alembic_version,
# knex_migrations, knex_migrations_lock, flyway_schema_history) are never
# part of a diff or a plan: a plan must not drop them from under the
# framework that runs it.
#
#   tests/suites/bookkeeping.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=bookkeeping
DB=schemig_bookkeeping_$$
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
U=$(db_url "$DB")

load_db "$DB" <<'SQL'
CREATE TABLE items (id bigint PRIMARY KEY, name text);
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer);
CREATE TABLE knex_migrations_lock (index serial PRIMARY KEY, is_locked integer);
CREATE TABLE flyway_schema_history (installed_rank integer PRIMARY KEY, version varchar(50));
GRANT SELECT ON knex_migrations TO PUBLIC;
SQL
check setup $?

printf 'CREATE TABLE items (id bigint PRIMARY KEY, name text);\n' >"$WORK/schema.sql"
"$BIN" diff --from "$U" --to "$WORK/schema.sql" --exit-code >"$WORK/diff.out" 2>&1
check live-vs-file-empty $? "$(head -5 "$WORK/diff.out")"
"$BIN" plan --from "$U" --to "$WORK/schema.sql" --format json >"$WORK/plan.json" 2>/dev/null
! grep -q 'alembic_version\|knex_migrations\|flyway_schema_history' "$WORK/plan.json"
check plan-leaves-them $?

# A pg_dump of a managed database, used as the target, holds them too.
pg_dump --schema-only --no-owner -d "$U" >"$WORK/dump.sql" 2>/dev/null
psql -X -q -d "$U" -c "DROP TABLE alembic_version, knex_migrations, knex_migrations_lock, flyway_schema_history" >/dev/null 2>&1
"$BIN" diff --from "$U" --to "$WORK/dump.sql" --exit-code >"$WORK/diff2.out" 2>&1
check dump-as-target-empty $? "$(head -5 "$WORK/diff2.out")"

suite_end
