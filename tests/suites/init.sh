#!/usr/bin/env bash
# `git schemig init`: the framework is detected from the project's files,
# the written .schemig.yml loads, and an existing one is kept.
#
#   tests/suites/init.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=init
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

# A project directory with FILE holding TEXT; runs init there.
project() { # NAME FILE TEXT
	local d=$WORK/$1
	mkdir -p "$d/db" "$(dirname "$d/$2")"
	: >"$d/db/schema.sql"
	[ -n "$2" ] && printf '%s\n' "$3" >"$d/$2"
	(cd "$d" && "$BIN" init >"$d/out" 2>&1)
}

expect_yml() { # NAME FORMAT DIR
	local y=$WORK/$1/.schemig.yml
	grep -q "format: $2," "$y" && grep -q "dir: \"$3\"" "$y"
	check "$1/detected" $? "$(tr '\n' ' ' <"$y" 2>/dev/null)"
	# The file must load: any command reading the configuration will do.
	(cd "$WORK/$1" && "$BIN" diff --parse --from db/schema.sql --to db/schema.sql >/dev/null 2>"$WORK/$1/err")
	check "$1/loads" $? "$(cat "$WORK/$1/err")"
}

project knex knexfile.js "module.exports = { client: 'pg', migrations: { directory: './db/migrations' } };"
check knex/exit $?
expect_yml knex knex ./db/migrations

project knexts knexfile.ts "export default { client: 'pg' };"
expect_yml knexts knex migrations

project alembic alembic.ini $'[alembic]\nscript_location = migrations\n'
expect_yml alembic alembic migrations

project flyway flyway.conf "flyway.locations=filesystem:sql/migrations,classpath:db/migration"
expect_yml flyway flyway sql/migrations

project flywaydefault conf/flyway.conf "flyway.url=jdbc:postgresql://db/app"
expect_yml flywaydefault flyway db/migration

project plain "" ""
expect_yml plain sql migrations

# An existing configuration is kept unless --force.
(cd "$WORK/plain" && "$BIN" init >/dev/null 2>"$WORK/plain/err2")
[ $? -eq 2 ] && grep -q 'exists already' "$WORK/plain/err2"
check plain/kept $?
(cd "$WORK/plain" && "$BIN" init --force --format flyway --dir "we \"ird\"" >/dev/null 2>&1)
check plain/force $?
expect_yml plain flyway 'we \\"ird\\"'

suite_end
