#!/usr/bin/env bash
# A generated migration recorded as applied in its framework's own history
# (the emitters' record_applied, driven by tests/tools/fwrecord as `git
# schemig apply` drives it after a plan's last step), asked of the real
# frameworks:
#
#   tests/suites/fwrecord.sh BIN
#
# One plan (add a column and an index built CONCURRENTLY) is generated as
# a Knex migration, an Alembic revision and a Flyway script, and applied
# by `git schemig apply --plan` (Knex, Alembic) or psql (`plan --format
# sql`, then fwrecord), not by the framework. Then:
#   - Knex (a project whose earlier migration Knex ran itself): `knex
#     migrate:list` shows ours completed and none pending, `migrate:latest`
#     is already up to date and changes no table, a second fwrecord adds no
#     row, and `migrate:rollback` rolls back our batch alone, to the source;
#   - Alembic (stamped at an earlier revision): `alembic current` names
#     ours as the head, `alembic upgrade head` runs nothing and changes no
#     table, a second fwrecord leaves one row;
#   - on an empty database, the tables fwrecord creates are the ones Knex
#     and Alembic created (pg_dump of both);
#   - Flyway (no Flyway runtime exists here): one flyway_schema_history row
#     for the V script, its checksum the one computed here, independently,
#     as Flyway computes it (CRC-32 over the lines), not for the undo
#     script, still one after a second fwrecord.
#
# Needs Node.js with knex and pg from npm (into $SCHEMIG_WORK/knex-npm, or
# the prepared $SCHEMIG_KNEX_DIR, as emit_knex.sh), Debian's alembic and
# python3-psycopg2 (ALEMBIC, PYTHON override), and the fwrecord tool
# ($SCHEMIG_TOOLS_DIR, from `make test-run`); without them the suite fails.
set -uo pipefail

SUITE=fwrecord
DBS=("fwrecord_knex_$$" "fwrecord_alembic_$$" "fwrecord_empty_$$")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
DEV=${SCHEMIG_DEV_URL:-$URL}
DEVOPT=(--dev-url "$DEV")
ALEMBIC=${ALEMBIC:-/usr/bin/alembic}
PYTHON=${PYTHON:-/usr/bin/python3}
FWRECORD=${SCHEMIG_TOOLS_DIR:-$ROOT/build/test/tools}/fwrecord
export SOURCE_DATE_EPOCH=1764368400 # 2025-11-28T22:20:00Z

if [ ! -x "$FWRECORD" ]; then
	fail setup "no $FWRECORD (make build/test/tools/fwrecord)"
	exit 1
fi
if [[ ! -x $ALEMBIC ]] || ! "$PYTHON" -c 'import alembic, psycopg2' 2>/dev/null; then
	fail setup "needs $ALEMBIC and $PYTHON with alembic and psycopg2"
	exit 1
fi
# Knex and the pg driver, where emit_knex.sh puts them.
KNEX_DIR=${SCHEMIG_KNEX_DIR:-${SCHEMIG_WORK:-$WORK}/knex-npm}
if [ ! -f "$KNEX_DIR/node_modules/knex/bin/cli.js" ] || [ ! -d "$KNEX_DIR/node_modules/pg" ]; then
	mkdir -p "$KNEX_DIR"
	[ -f "$KNEX_DIR/package.json" ] || echo '{"name":"schemig-knex-test","private":true}' >"$KNEX_DIR/package.json"
	(cd "$KNEX_DIR" && timeout 600 npm install --no-audit --no-fund knex pg) >"$WORK/npm.log" 2>&1 ||
		{ fail setup "npm could not install knex and pg: $(tail -c 300 "$WORK/npm.log")"; exit 1; }
fi
knex_in() { # PROJECT ARGS...: output in $WORK/knex.out
	local dir=$1
	shift
	(cd "$dir" && node "$KNEX_DIR/node_modules/knex/bin/cli.js" "$@") >"$WORK/knex.out" 2>&1
}
alembic_in() { # PROJECT DB ARGS...: output in $WORK/alembic.out
	local dir=$1 u
	u=$(db_url "$2")
	shift 2
	(cd "$dir" && DATABASE_URL="postgresql+psycopg2://${u#*://}" "$ALEMBIC" "$@") >"$WORK/alembic.out" 2>&1
}
q() { # DB SQL: one value
	"${PSQL[@]}" -d "$(db_url "$1")" -Atc "$2"
}
schema_of() { # DB [TABLE]: the whole schema, the frameworks' tables
	# included, or one table, as pg_dump writes it (less its comments and
	# the random key of its \restrict lines)
	pg_dump --schema-only --no-owner ${2:+-t "$2"} -d "$(db_url "$1")" 2>&1 |
		grep -v -e '^--' -e '^\\restrict ' -e '^\\unrestrict '
}
# change_of FILE: the change id its header names.
change_of() {
	sed -n 's/^\(\/\/\|#\|--\) Change \([0-9a-f]*\)$/\2/p' "$1" | head -1
}
# record NAME FORMAT DIR DB FILE [FOUND]: fwrecord the change of FILE;
# ok NAME when it finds FOUND (default: FILE alone), relative to DIR, one
# a line.
record() {
	local out
	out=$("$FWRECORD" "$2" "$3" "$(db_url "$4")" "$(change_of "$5")" 2>&1)
	check "$1" $? "$out"
	[ "$out" = "${6:-${5#"$3"/}}" ] || fail "$1-files" "fwrecord found: $out"
}

# ---- one plan --------------------------------------------------------------
cat >"$WORK/current.sql" <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, name text);
SQL
cat >"$WORK/desired.sql" <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);
CREATE INDEX users_email_idx ON users (email);
SQL
ROWS="INSERT INTO users SELECT g, 'n' || g FROM generate_series(1, 100) g"

# fresh NAME DB: DB loaded with the source; the plan to the target in
# $WORK/NAME.json.
fresh() {
	load_db "$2" -f "$WORK/current.sql" -c "$ROWS" || { fail "$1/setup" "cannot load"; return 1; }
	plan_of "$1" "$(db_url "$2")" "$WORK/desired.sql"
}

# schemig_apply NAME FORMAT PROJECT DB: `git schemig apply --plan` in the
# project (its .schemig.yml names the migrations and the database), which
# runs the plan and records the committed migration in the framework's
# history.
schemig_apply() {
	local out
	printf 'migrations: { format: %s, dir: migrations }\nenvironments:\n  test: { url: env:FW_DB_URL }\naudit: { file: %s }\n' \
		"$2" "$WORK/$1.audit" >"$3/.schemig.yml"
	if out=$(cd "$3" && FW_DB_URL=$(db_url "$4") "$BIN" apply --env test --plan "$WORK/$1.json" 2>&1) &&
		grep -q framework_recorded "$WORK/$1.audit"; then
		ok "$1/applied-by-schemig"
	else
		fail "$1/applied-by-schemig" "$(echo "$out" | tail -c 400)"
		return 1
	fi
}

# ---- Knex --------------------------------------------------------------------
knex_case() {
	local db=${DBS[0]} p=$WORK/knexproj f before rows again
	fresh knex "$db" || return
	mkdir -p "$p/migrations" && ln -s "$KNEX_DIR/node_modules" "$p/node_modules"
	printf 'module.exports = { client: "pg", connection: %s, migrations: { directory: "./migrations" } };\n' \
		"$("$PYTHON" - "$(db_url "$db")" <<'PY'
import json, sys
from urllib.parse import urlsplit, parse_qs
u = urlsplit(sys.argv[1])
q = {k: v[-1] for k, v in parse_qs(u.query).items()}
print(json.dumps({"host": q.get("host") or u.hostname, "port": int(q.get("port") or u.port or 5432),
                  "user": q.get("user") or u.username or "postgres", "database": u.path.lstrip("/")}))
PY
)" >"$p/knexfile.js"
	# A migration Knex ran itself, in batch 1: Knex made its tables.
	printf 'exports.up = async () => {};\nexports.down = async () => {};\n' >"$p/migrations/20250101000000_earlier.js"
	knex_in "$p" migrate:latest || { fail knex/earlier "$(head -c 300 "$WORK/knex.out")"; return; }
	(cd "$p" && "$BIN" generate --plan "$WORK/knex.json" --emitter knex --dir migrations --name "Add email") \
		>"$WORK/gen.out" 2>&1 || { fail knex/generate "$(head -c 300 "$WORK/gen.out")"; return; }
	f=$(ls "$p"/migrations/*_add_email.js)
	schemig_apply knex knex "$p" "$db" || return

	knex_in "$p" migrate:list
	grep -qx "$(basename "$f")" "$WORK/knex.out"
	check knex/list-completed $? "migrate:list: $(cat "$WORK/knex.out")"
	grep -q 'No Pending Migration' "$WORK/knex.out"
	check knex/list-none-pending $? "migrate:list: $(cat "$WORK/knex.out")"
	before=$(schema_of "$db")
	knex_in "$p" migrate:latest
	grep -q 'Already up to date' "$WORK/knex.out"
	check knex/latest-up-to-date $? "migrate:latest: $(cat "$WORK/knex.out")"
	[ "$before" = "$(schema_of "$db")" ]
	check knex/latest-changes-nothing $? "the schema changed"
	rows=$(q "$db" "SELECT name || ':' || batch FROM knex_migrations ORDER BY id" | tr '\n' ' ')
	[ "$rows" = "20250101000000_earlier.js:1 $(basename "$f"):2 " ]
	check knex/new-batch $? "knex_migrations: $rows"

	record knex/record-again knex "$p/migrations" "$db" "$f"
	again=$(q "$db" "SELECT name || ':' || batch FROM knex_migrations ORDER BY id" | tr '\n' ' ')
	[ "$again" = "$rows" ] && [ "$(q "$db" "SELECT count(*) FROM knex_migrations_lock")" = 1 ]
	check knex/one-row $? "knex_migrations: $again"
	# Our batch is the last: a rollback undoes our migration alone.
	knex_in "$p" migrate:rollback
	grep -q 'Batch 2 rolled back: 1 migrations' "$WORK/knex.out"
	check knex/rollback $? "migrate:rollback: $(cat "$WORK/knex.out")"
	no_diff knex/rollback-restores-source "$(db_url "$db")" "$WORK/current.sql"
	KNEX_FILE=$f
}

# ---- Alembic -----------------------------------------------------------------
alembic_case() {
	local db=${DBS[1]} p=$WORK/alembicproj f rev before rows
	fresh alembic "$db" || return
	mkdir -p "$p/migrations/versions"
	printf '[alembic]\nscript_location = migrations\n' >"$p/alembic.ini"
	# Alembic's INFO log names every revision it runs.
	cat >"$p/migrations/env.py" <<'PY'
import logging, os
from alembic import context
from sqlalchemy import create_engine

logging.basicConfig(level=logging.INFO, format="%(message)s")
with create_engine(os.environ["DATABASE_URL"]).connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
PY
	printf 'revision = "e0e0e0e0e0e0"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n' \
		>"$p/migrations/versions/e0e0e0e0e0e0_earlier.py"
	alembic_in "$p" "$db" stamp head || { fail alembic/stamp "$(tail -3 "$WORK/alembic.out")"; return; }
	# The log shows what Alembic runs (upgrade-runs-nothing relies on it).
	grep -q 'Running stamp_revision  -> e0e0e0e0e0e0' "$WORK/alembic.out"
	check alembic/log-shows-runs $? "alembic stamp: $(cat "$WORK/alembic.out")"
	(cd "$p" && "$BIN" generate --plan "$WORK/alembic.json" --emitter alembic --dir migrations --name "Add email") \
		>"$WORK/gen.out" 2>&1 || { fail alembic/generate "$(head -c 300 "$WORK/gen.out")"; return; }
	f=$(ls "$p"/migrations/versions/*_add_email.py)
	rev=$(sed -n 's/^revision = "\(.*\)"$/\1/p' "$f")
	schemig_apply alembic alembic "$p" "$db" || return

	alembic_in "$p" "$db" current
	# One line per row of alembic_version (the log's lines aside).
	[ "$(grep -E '^[0-9a-f]{12}( |$)' "$WORK/alembic.out")" = "$rev (head)" ]
	check alembic/current $? "alembic current: $(cat "$WORK/alembic.out")"
	before=$(schema_of "$db")
	alembic_in "$p" "$db" upgrade head
	check alembic/upgrade-ok $? "$(tail -3 "$WORK/alembic.out")"
	! grep -q 'Running upgrade' "$WORK/alembic.out"
	check alembic/upgrade-runs-nothing $? "$(grep 'Running upgrade' "$WORK/alembic.out")"
	[ "$before" = "$(schema_of "$db")" ]
	check alembic/upgrade-changes-nothing $? "the schema changed"
	record alembic/record-again alembic "$p/migrations" "$db" "$f"
	rows=$(q "$db" "SELECT string_agg(version_num, ',') FROM alembic_version")
	[ "$rows" = "$rev" ]
	check alembic/one-row $? "alembic_version: $rows"
	ALEMBIC_FILE=$f
}

# ---- the tables, created on an empty database ------------------------------
tables_case() {
	local db=${DBS[2]} t
	fresh_db "$db" || { fail tables/setup "cannot create $db"; return; }
	if [ -n "${KNEX_FILE:-}" ]; then
		record tables/knex-record knex "$(dirname "$KNEX_FILE")" "$db" "$KNEX_FILE"
		for t in knex_migrations knex_migrations_lock; do
			[ "$(schema_of "${DBS[0]}" "$t")" = "$(schema_of "$db" "$t")" ]
			check "tables/$t-as-knex-makes-it" $? "$(diff <(schema_of "${DBS[0]}" "$t") <(schema_of "$db" "$t") | head -c 400)"
		done
		[ "$(q "$db" "SELECT string_agg(is_locked::text, ',') FROM knex_migrations_lock")" = 0 ]
		check tables/knex-lock-row $?
	fi
	if [ -n "${ALEMBIC_FILE:-}" ]; then
		record tables/alembic-record alembic "$(dirname "$(dirname "$ALEMBIC_FILE")")" "$db" "$ALEMBIC_FILE"
		[ "$(schema_of "${DBS[1]}" alembic_version)" = "$(schema_of "$db" alembic_version)" ]
		check tables/alembic_version-as-alembic-makes-it $? \
			"$(diff <(schema_of "${DBS[1]}" alembic_version) <(schema_of "$db" alembic_version) | head -c 400)"
	fi
}

# ---- Flyway ------------------------------------------------------------------
flyway_case() {
	local db=${DBS[2]} dir=$WORK/flyway/sql f want got
	(cd "$WORK" && "$BIN" generate --plan "$WORK/knex.json" --emitter flyway --dir flyway/sql --name "Add email") \
		>"$WORK/gen.out" 2>&1 || { fail flyway/generate "$(head -c 300 "$WORK/gen.out")"; return; }
	f=$dir/V1__add_email.sql
	[ -f "$f" ] || { fail flyway/generate "no V1__add_email.sql: $(ls "$dir")"; return; }
	# The undo script is of the change too; only the V script is
	# recorded.
	record flyway/record flyway "$dir" "$db" "$f" "$(printf 'U1__add_email.sql\nV1__add_email.sql')"
	# Flyway's checksum, computed apart from the C code: CRC-32 over the
	# lines without terminators (Java's readLine), as a signed int.
	want=$("$PYTHON" - "$f" <<'PY'
import re, sys, zlib
text = open(sys.argv[1], encoding="utf-8").read()
crc = 0
for line in re.split(r"\r\n|\r|\n", text.lstrip("\ufeff")):
    crc = zlib.crc32(line.encode("utf-8"), crc)
print(crc - (1 << 32) if crc >= 1 << 31 else crc)
PY
)
	got=$(q "$db" "SELECT concat_ws('|', installed_rank, version, description, type, script, checksum, success) FROM flyway_schema_history")
	[ "$got" = "1|1|add email|SQL|V1__add_email.sql|$want|t" ]
	check flyway/row $? "got $got, want checksum $want"
	record flyway/record-again flyway "$dir" "$db" "$f" "$(printf 'U1__add_email.sql\nV1__add_email.sql')"
	got=$(q "$db" "SELECT count(*) FROM flyway_schema_history")
	[ "$got" = 1 ]
	check flyway/one-row $? "$got rows"
	got=$(q "$db" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'flyway_schema_history%'")
	[ "$got" = flyway_schema_history,flyway_schema_history_pk,flyway_schema_history_s_idx ]
	check flyway/table-index-names $? "$got"
}

knex_case
alembic_case
tables_case
flyway_case
suite_end
