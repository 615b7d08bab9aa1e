#!/usr/bin/env bash
# The emitters of `git schemig generate` for MySQL/MariaDB, end to end on
# the harness's MariaDB (SCHEMIG_TEST_MY_URL, tests/mariadb.sh):
#
#   tests/suites/emit_mysql.sh BIN
#
# Two plans between live databases: tests/emit/mysql/v1.sql (with
# rows.sql) towards v2.sql (a new column, a wider varchar, int to bigint,
# an ENUM value, a UNIQUE key, a foreign key, a dropped column and index,
# a new table and a view), and nasty_v1.sql towards nasty_v2.sql (names
# and defaults full of backticks, quotes, backslashes, "?", "%", ":name",
# "${x}"). For each plan, in a database of its own loaded with the source:
#   - sql: the two files, run by the `mariadb` client; no diff against
#     the target, then the down file: no diff against the source;
#   - knex (mysql2 driver): `exports.config = { transaction: false }`,
#     every step behind its SET SESSION lock_wait_timeout, real `knex
#     migrate:latest` then no diff against the target, `knex
#     migrate:rollback` then none against the source;
#   - alembic (PyMySQL): real `alembic upgrade head` and `downgrade base`,
#     the same two diffs, and `upgrade --sql` printing every step;
#   - flyway (no Flyway runtime here): file names, .sql.conf
#     (executeInTransaction=false, no placeholders), the envelope per
#     step, and the V and U scripts run by the `mariadb` client both ways.
# The rows of the source are kept through every round trip.
#
# Knex and mysql2 come from npm, next to emit_knex.sh's Knex
# ($SCHEMIG_WORK/knex-npm or $SCHEMIG_KNEX_DIR, under a lock); Alembic and
# PyMySQL are Debian's (python3-alembic, python3-pymysql). Without them
# the suite FAILS, it never skips.
set -uo pipefail

SUITE=emit_mysql
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/emit/mysql
ALEMBIC=${ALEMBIC:-/usr/bin/alembic}
PYTHON=${PYTHON:-/usr/bin/python3}
export SOURCE_DATE_EPOCH=1764368400 # 2025-11-28T22:20:00Z
TS=20251128222000
cd "$WORK" || exit 1

if [ -z "${SCHEMIG_TEST_MY_URL:-}" ]; then
	fail setup "SCHEMIG_TEST_MY_URL is not set (tests/run.sh starts a MariaDB)"
	suite_end
	exit 1
fi
SOCK=${SCHEMIG_TEST_MY_URL#*socket=}
SOCK=${SOCK%%&*}
MYUSER=${SCHEMIG_TEST_MY_URL#*://}
MYUSER=${MYUSER%%@*}
my() { mariadb --no-defaults -S "$SOCK" -u "$MYUSER" --batch "$@"; }
murl() { echo "mysql://$MYUSER@localhost/$1?socket=$SOCK"; }
MYDBS=()
suite_cleanup() {
	local db
	for db in ${MYDBS[@]+"${MYDBS[@]}"}; do
		my -e "DROP DATABASE IF EXISTS \`$db\`" 2>/dev/null
	done
}
# fresh_my DB FILE...: the database made anew from the files.
fresh_my() {
	local db=$1 f
	shift
	MYDBS+=("$db")
	my -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\`" || return 1
	for f in "$@"; do
		my "$db" <"$f" || return 1
	done
}
# no_diff_my NAME DB TARGET_DB: the live database equals the target.
no_diff_my() {
	local out
	if out=$("$BIN" diff --dialect mysql --exit-code --from "$(murl "$2")" \
		--to "$(murl "$3")" 2>&1); then
		ok "$1"
	else
		fail "$1" "$(head -c 600 <<<"$out")"
	fi
}
# rows_kept NAME DB: the source's rows are all there.
rows_kept() {
	local got
	got=$(my -N "$2" -e "SELECT group_concat(o.id, ':', c.name, ':', o.total ORDER BY o.id)
		FROM orders o JOIN customers c ON c.id = o.customer_id" 2>&1)
	if [ "$got" = "1:Ada:100,2:Ada:250,3:Bob:75" ]; then
		ok "$1"
	else
		fail "$1" "rows: $got"
	fi
}

# ---- Knex and mysql2 from npm ----------------------------------------------

KNEX_DIR=${SCHEMIG_KNEX_DIR:-${SCHEMIG_WORK:-$WORK}/knex-npm}
mkdir -p "$KNEX_DIR"
[ -f "$KNEX_DIR/package.json" ] || echo '{"name":"schemig-knex-test","private":true}' >"$KNEX_DIR/package.json"
# emit_knex.sh may install into the same directory at the same time.
(
	flock 9
	if [ ! -f "$KNEX_DIR/node_modules/knex/bin/cli.js" ] || [ ! -d "$KNEX_DIR/node_modules/mysql2" ]; then
		cd "$KNEX_DIR" && timeout 600 npm install --no-audit --no-fund knex mysql2 >"$WORK/npm.log" 2>&1
	fi
) 9>"$KNEX_DIR.lock"
if [ -f "$KNEX_DIR/node_modules/knex/bin/cli.js" ] && [ -d "$KNEX_DIR/node_modules/mysql2" ]; then
	ok "npm-install (knex $(node -p "require('$KNEX_DIR/node_modules/knex/package.json').version") + mysql2 $(node -p "require('$KNEX_DIR/node_modules/mysql2/package.json').version"))"
else
	fail npm-install "npm could not install knex and mysql2: $(tail -c 400 "$WORK/npm.log" 2>/dev/null)"
	suite_end
	exit 1
fi
if "$PYTHON" -c 'import alembic, pymysql' 2>"$WORK/py.err"; then
	ok python-alembic-pymysql
else
	fail python-alembic-pymysql "Debian's python3-alembic and python3-pymysql are needed: $(cat "$WORK/py.err")"
fi
knex() { node "$KNEX_DIR/node_modules/knex/bin/cli.js" "$@"; }

# ---- one plan, four formats ------------------------------------------------

# steps_enveloped NAME FILE MARK: every step ("MARK step N:") of the file's
# forward half is followed by its SET SESSION lock_wait_timeout.
steps_enveloped() {
	local name=$1 file=$2 mark=$3
	if "$PYTHON" - "$file" "$mark" <<'PY'; then
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
mark = sys.argv[2]
# The forward half only: down() / downgrade() / the U script are separate.
for stop in ("exports.down", "export async function down", "def downgrade"):
    text = text.split(stop)[0]
parts = re.split(r"\n\s*" + re.escape(mark) + r" step \d+:", text)[1:]
assert parts, "no steps"
for p in parts:
    assert "SET SESSION lock_wait_timeout = " in p.split(mark + " step")[0], p[:300]
PY
		ok "$name"
	else
		fail "$name" "a step without its lock_wait_timeout in $file"
	fi
}

# run_case NAME SRC_FILES... -- DST_FILE
run_case() {
	local name=$1 src=() dst d
	shift
	while [ "$1" != "--" ]; do
		src+=("$1")
		shift
	done
	dst=$2
	local S=em_${name}_src_$$ D=em_${name}_dst_$$
	if ! fresh_my "$S" "${src[@]}" || ! fresh_my "$D" "$dst"; then
		fail "$name/setup" "cannot load the schemas"
		return
	fi
	if ! "$BIN" plan --dialect mysql --from "$(murl "$S")" --to "$(murl "$D")" \
		--out "$WORK/$name.json" >"$WORK/$name.plan.out" 2>&1; then
		fail "$name/plan" "$(head -c 400 "$WORK/$name.plan.out")"
		return
	fi
	ok "$name/plan"
	local nsteps
	nsteps=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["steps"]))' "$WORK/$name.json")

	# --- plain SQL through the mariadb client
	local W=em_${name}_sql_$$ dir=$WORK/$name/sql
	fresh_my "$W" "${src[@]}"
	"$BIN" generate --plan "$WORK/$name.json" --emitter sql --dir "$dir" --name "Change it" >"$WORK/gen.out" 2>&1
	check "$name/sql/generate" $? "$(cat "$WORK/gen.out")"
	local fwd=$dir/${TS}_change_it.sql down=$dir/${TS}_change_it.down.sql
	[ -f "$fwd" ] && [ -f "$down" ] && [ "$(ls "$dir" | wc -l)" -eq 2 ]
	check "$name/sql/file-names" $? "$(ls "$dir")"
	grep -q "mariadb" "$fwd" && ! grep -q "psql" "$fwd"
	check "$name/sql/runner-named" $? "$(grep -n 'Run ' "$fwd")"
	steps_enveloped "$name/sql/envelope" "$fwd" "--"
	my "$W" <"$fwd" >"$WORK/fwd.log" 2>&1
	check "$name/sql/forward-runs" $? "$(cat "$WORK/fwd.log")"
	no_diff_my "$name/sql/forward-reaches-target" "$W" "$D"
	my "$W" <"$down" >"$WORK/down.log" 2>&1
	check "$name/sql/down-runs" $? "$(cat "$WORK/down.log")"
	no_diff_my "$name/sql/down-reaches-source" "$W" "$S"
	[ "$name" = demo ] && rows_kept "$name/sql/rows-kept" "$W"

	# --- Knex with mysql2
	W=em_${name}_knex_$$
	local proj=$WORK/$name/knex
	fresh_my "$W" "${src[@]}"
	mkdir -p "$proj/migrations"
	ln -s "$KNEX_DIR/node_modules" "$proj/node_modules"
	echo '{"name":"app","private":true}' >"$proj/package.json"
	printf 'module.exports = {\n  client: "mysql2",\n  connection: { socketPath: %s, user: %s, database: %s },\n  migrations: { directory: "./migrations" },\n};\n' \
		"$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$SOCK")" \
		"\"$MYUSER\"" "\"$W\"" >"$proj/knexfile.js"
	(cd "$proj" && "$BIN" generate --plan "$WORK/$name.json" --emitter knex --dir migrations --name "Change it") >"$WORK/gen.out" 2>&1
	check "$name/knex/generate" $? "$(cat "$WORK/gen.out")"
	local js=$proj/migrations/${TS}_change_it.js
	grep -q '^exports.config = { transaction: false };$' "$js" 2>/dev/null
	check "$name/knex/no-transaction" $? "$(head -c 300 "$js" 2>&1)"
	steps_enveloped "$name/knex/envelope" "$js" "//"
	[ "$(grep -c 'await outsideTransaction(knex' "$js")" -ge "$nsteps" ]
	check "$name/knex/each-step-alone" $? "$(grep -c 'Transaction(knex' "$js") calls for $nsteps steps"
	(cd "$proj" && timeout 50 node "$KNEX_DIR/node_modules/knex/bin/cli.js" migrate:latest) >"$WORK/knex.log" 2>&1
	check "$name/knex/migrate-latest" $? "$(tail -c 600 "$WORK/knex.log")"
	no_diff_my "$name/knex/forward-reaches-target" "$W" "$D"
	(cd "$proj" && timeout 50 node "$KNEX_DIR/node_modules/knex/bin/cli.js" migrate:rollback) >"$WORK/knex.log" 2>&1
	check "$name/knex/migrate-rollback" $? "$(tail -c 600 "$WORK/knex.log")"
	no_diff_my "$name/knex/rollback-reaches-source" "$W" "$S"
	[ "$name" = demo ] && rows_kept "$name/knex/rows-kept" "$W"

	# --- Alembic with PyMySQL
	W=em_${name}_alembic_$$
	proj=$WORK/$name/alembic
	fresh_my "$W" "${src[@]}"
	make_alembic_project "$proj"
	"$BIN" generate --plan "$WORK/$name.json" --emitter alembic --dir "$proj/migrations" --name "Change it" >"$WORK/gen.out" 2>&1
	check "$name/alembic/generate" $? "$(cat "$WORK/gen.out")"
	local py
	py=$(ls "$proj"/migrations/versions/*_change_it.py 2>/dev/null | head -1)
	steps_enveloped "$name/alembic/envelope" "$py" "#"
	local dburl="mysql+pymysql://$MYUSER@localhost/$W?unix_socket=$SOCK"
	(cd "$proj" && DATABASE_URL=$dburl timeout 50 "$ALEMBIC" upgrade head) >"$WORK/alembic.log" 2>&1
	check "$name/alembic/upgrade-head" $? "$(tail -c 600 "$WORK/alembic.log")"
	no_diff_my "$name/alembic/forward-reaches-target" "$W" "$D"
	(cd "$proj" && DATABASE_URL=$dburl timeout 50 "$ALEMBIC" downgrade base) >"$WORK/alembic.log" 2>&1
	check "$name/alembic/downgrade-base" $? "$(tail -c 600 "$WORK/alembic.log")"
	no_diff_my "$name/alembic/downgrade-reaches-source" "$W" "$S"
	# Offline (--sql): the same statements printed, each step's timeout.
	(cd "$proj" && DATABASE_URL=$dburl timeout 50 "$ALEMBIC" upgrade base:head --sql) >"$WORK/offline.sql" 2>"$WORK/alembic.log"
	[ "$(grep -c '^SET SESSION lock_wait_timeout = [0-9]' "$WORK/offline.sql")" -eq "$nsteps" ]
	check "$name/alembic/offline-sql" $? "$(tail -c 400 "$WORK/alembic.log") $(head -c 400 "$WORK/offline.sql")"
	[ "$name" = demo ] && rows_kept "$name/alembic/rows-kept" "$W"

	# --- Flyway: its files, run by the mariadb client (no Flyway here)
	W=em_${name}_flyway_$$
	dir=$WORK/$name/flyway
	fresh_my "$W" "${src[@]}"
	"$BIN" generate --plan "$WORK/$name.json" --emitter flyway --dir "$dir" --name "Change it" >"$WORK/gen.out" 2>&1
	check "$name/flyway/generate" $? "$(cat "$WORK/gen.out")"
	[ "$(ls "$dir" | sort | tr '\n' ' ')" = "U1__change_it.sql U1__change_it.sql.conf V1__change_it.sql V1__change_it.sql.conf " ]
	check "$name/flyway/file-names" $? "$(ls "$dir" | tr '\n' ' ')"
	grep -qx 'executeInTransaction=false' "$dir/V1__change_it.sql.conf" &&
		grep -qx 'placeholderReplacement=false' "$dir/V1__change_it.sql.conf"
	check "$name/flyway/conf" $? "$(cat "$dir/V1__change_it.sql.conf")"
	steps_enveloped "$name/flyway/envelope" "$dir/V1__change_it.sql" "--"
	my "$W" <"$dir/V1__change_it.sql" >"$WORK/fw.log" 2>&1
	check "$name/flyway/V-runs" $? "$(cat "$WORK/fw.log")"
	no_diff_my "$name/flyway/V-reaches-target" "$W" "$D"
	my "$W" <"$dir/U1__change_it.sql" >"$WORK/fw.log" 2>&1
	check "$name/flyway/U-runs" $? "$(cat "$WORK/fw.log")"
	no_diff_my "$name/flyway/U-reaches-source" "$W" "$S"
}

# An Alembic project as `alembic init` leaves it, trimmed; env.py reads
# DATABASE_URL. MySQL's DDL commits by itself: each step of the revision
# runs in an autocommit block of its own.
make_alembic_project() {
	mkdir -p "$1/migrations/versions"
	cat >"$1/alembic.ini" <<'EOF'
[alembic]
script_location = migrations
prepend_sys_path = .
sqlalchemy.url = driver://user:pass@localhost/dbname

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %%(levelname)s %%(message)s
EOF
	cat >"$1/migrations/env.py" <<'EOF'
import os

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if os.environ.get("DATABASE_URL"):
    config.set_main_option("sqlalchemy.url",
                           os.environ["DATABASE_URL"].replace("%", "%%"))


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection,
                          transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
EOF
}

run_case demo "$FIX/v1.sql" "$FIX/rows.sql" -- "$FIX/v2.sql"
run_case nasty "$FIX/nasty_v1.sql" -- "$FIX/nasty_v2.sql"

suite_end
