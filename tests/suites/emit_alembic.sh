#!/usr/bin/env bash
# git schemig generate --emitter alembic, run by real Alembic (`make test`
# runs it):
#
#   tests/suites/emit_alembic.sh BIN
#
# A project with alembic.ini, env.py and one existing revision gets the
# revision generated from a plan; `alembic upgrade head` must leave no
# diff against the desired schema, `alembic heads` must show only the new
# revision, `alembic downgrade -1` must leave no diff against the source.
# Plans: the demo (demo/v1.sql with rows -> demo/v2.sql: CONCURRENTLY,
# backfill DO blocks that COMMIT, expand/contract) and tests/emit/alembic/
# nasty (quotes, backslashes, newlines, non-ASCII, '%', ':name', '::cast'
# in identifiers, defaults, comments and bodies); each revision is also
# replayed without a database (tests/emit/alembic/replay.py) to compare
# every text it would send with the plan, byte for byte. Also: a second
# generate writes nothing, several heads are refused naming them, a merge
# revision (tuple down_revision) is followed, offline --sql mode, and a
# failing step leaves the steps before it committed (each step its own
# transaction) and is reported by its own error.
#
# Needs Debian's alembic and python3-psycopg2 (ALEMBIC, PYTHON override
# /usr/bin/alembic and /usr/bin/python3). Environment (from tests/run.sh):
# SCHEMIG_TEST_PG_URL, SCHEMIG_DEV_URL, SCHEMIG_WORK, SCHEMIG_SUITE_COUNTS.
set -uo pipefail

SUITE=emit_alembic
DBS=("emit_alembic_demo_$$" "emit_alembic_nasty_$$" "emit_alembic_fail_$$"
	"emit_alembic_failtx_$$")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# Alembic and the plans always load DDL files on the test server.
DEV=${SCHEMIG_DEV_URL:-$URL}
DEVOPT=(--dev-url "$DEV")
FIX=$TESTS/emit/alembic
ALEMBIC=${ALEMBIC:-/usr/bin/alembic}
PYTHON=${PYTHON:-/usr/bin/python3}
# Reproducible files.
export SOURCE_DATE_EPOCH=1790000000

# check_cmd NAME WHY COMMAND...: ok NAME when COMMAND succeeds, else fail
# NAME WHY.
check_cmd() {
	local name=$1 why=$2
	shift 2
	if "$@"; then ok "$name"; else fail "$name" "$why"; fi
}

if [[ ! -x $ALEMBIC ]] || ! "$PYTHON" -c 'import alembic, psycopg2' 2>/dev/null; then
	fail setup "needs $ALEMBIC and $PYTHON with alembic and psycopg2 (apt-get install alembic python3-psycopg2)"
	exit 0
fi

# The URL of database $1 on the test server for SQLAlchemy.
sa_url() {
	local u
	u=$(db_url "$1")
	echo "postgresql+psycopg2://${u#*://}"
}

# Alembic keeps its bookkeeping table in the database: every schema we
# compare with has it too.
VERSION_TABLE='CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));'
with_version_table() { # SQLFILE OUT
	{ cat "$1"; echo; echo "$VERSION_TABLE"; } >"$2"
}

# A project as `alembic init migrations` would leave it, trimmed, with an
# existing revision that changes nothing (the database is loaded with
# psql and stamped at it).
BASE_REV=0a1b2c3d4e5f
make_project() { # DIR
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


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
EOF
	cat >"$1/migrations/versions/${BASE_REV}_base.py" <<EOF
"""base"""
from alembic import op

revision = '$BASE_REV'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
EOF
}

# Run alembic in project $1 against database $2; output in $WORK/alembic.out.
alembic_in() { # DIR DB ARGS...
	local dir=$1 db=$2
	shift 2
	(cd "$dir" && DATABASE_URL=$(sa_url "$db") "$ALEMBIC" "$@") \
		>"$WORK/alembic.out" 2>&1
}

version_of() { # DB
	"${PSQL[@]}" -d "$(db_url "$1")" -Atc 'SELECT version_num FROM alembic_version'
}

# Plan from a fresh database loaded with CURRENT (plus SQL), stamp the
# project at its base revision, generate. Sets REV and REVFILE.
prepare() { # NAME DB CURRENT DESIRED EXTRA_SQL
	local name=$1 db=$2 current=$3 desired=$4 extra=$5
	REV="" REVFILE=""
	load_db "$db" -f "$current" &&
		"${PSQL[@]}" -d "$(db_url "$db")" -c "$extra" >/dev/null ||
		{ fail "$name/setup" "cannot load $current"; return 1; }
	if ! "$BIN" plan --from "$(db_url "$db")" --to "$desired" \
		--dev-url "$DEV" --out "$WORK/$name.json" >"$WORK/plan.out" 2>&1; then
		fail "$name/plan" "$(tail -3 "$WORK/plan.out")"
		return 1
	fi
	local proj=$WORK/$name
	make_project "$proj"
	alembic_in "$proj" "$db" stamp "$BASE_REV" ||
		{ fail "$name/stamp" "$(tail -3 "$WORK/alembic.out")"; return 1; }
	if ! (cd "$proj" && "$BIN" generate --plan "$WORK/$name.json" \
		--emitter alembic --dir migrations --name "$name migration") \
		>"$WORK/gen.out" 2>&1; then
		fail "$name/generate" "$(tail -3 "$WORK/gen.out")"
		return 1
	fi
	REV=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"][:12])' "$WORK/$name.json")
	REVFILE=$proj/migrations/versions/${REV}_${name}_migration.py
	check_cmd "$name/generate" "no $REVFILE: $(cat "$WORK/gen.out")" test -f "$REVFILE"
	check_cmd "$name/compiles" "$("$PYTHON" -m py_compile "$REVFILE" 2>&1)" \
		"$PYTHON" -m py_compile "$REVFILE"
	"$PYTHON" "$FIX/replay.py" "$WORK/$name.json" "$REVFILE" >"$WORK/replay.out" 2>&1
	rc=$?
	check_cmd "$name/replay-exact" "$(head -5 "$WORK/replay.out")" test "$rc" = 0
	grep -q "^down_revision = \"$BASE_REV\"$" "$REVFILE" &&
		grep -q "^revision = \"$REV\"$" "$REVFILE"
	rc=$?
	check_cmd "$name/revises-head" "revision/down_revision lines wrong" test "$rc" = 0
}

# Upgrade, compare, downgrade, compare.
round_trip() { # NAME DB CURRENT DESIRED
	local name=$1 db=$2 proj=$WORK/$1
	with_version_table "$3" "$WORK/$name.current.sql"
	with_version_table "$4" "$WORK/$name.desired.sql"
	alembic_in "$proj" "$db" heads
	check_cmd "$name/one-head" "alembic heads: $(cat "$WORK/alembic.out")" \
		test "$(grep -c . "$WORK/alembic.out")" = 1 -a \
		"$(cat "$WORK/alembic.out")" = "$REV (head)"
	if ! alembic_in "$proj" "$db" upgrade head; then
		fail "$name/upgrade" "$(tail -5 "$WORK/alembic.out")"
		return
	fi
	ok "$name/upgrade"
	check_cmd "$name/upgrade-version" "alembic_version is $(version_of "$db")" \
		test "$(version_of "$db")" = "$REV"
	no_diff "$name/upgrade-no-diff" "$(db_url "$db")" "$WORK/$name.desired.sql"
	if ! alembic_in "$proj" "$db" downgrade -1; then
		fail "$name/downgrade" "$(tail -5 "$WORK/alembic.out")"
		return
	fi
	ok "$name/downgrade"
	check_cmd "$name/downgrade-version" "alembic_version is $(version_of "$db")" \
		test "$(version_of "$db")" = "$BASE_REV"
	no_diff "$name/downgrade-no-diff" "$(db_url "$db")" "$WORK/$name.current.sql"
}

# ---- the demo: CONCURRENTLY, backfills that COMMIT, expand/contract ------
DEMO_ROWS="
INSERT INTO customers (email, name)
	SELECT 'c' || g || '@example.com', 'name ' || g FROM generate_series(1, 300) g;
INSERT INTO orders (customer_id, total, quantity, note)
	SELECT 1 + g % 300, g * 1.5, 1 + g % 7, 'note ' || g FROM generate_series(1, 2500) g;"
demo_db=${DBS[0]}
if prepare demo "$demo_db" "$ROOT/demo/v1.sql" "$ROOT/demo/v2.sql" "$DEMO_ROWS"; then
	check_cmd demo/concurrently-outside "no CONCURRENTLY step in an autocommit block" \
		grep -q 'CREATE UNIQUE INDEX CONCURRENTLY' "$REVFILE"
	# Offline mode prints the same SQL.
	alembic_in "$WORK/demo" "$demo_db" upgrade "$BASE_REV:head" --sql
	check_cmd demo/offline "$(tail -3 "$WORK/alembic.out")" \
		grep -q 'CREATE INDEX CONCURRENTLY' "$WORK/alembic.out"
	round_trip demo "$demo_db" "$ROOT/demo/v1.sql" "$ROOT/demo/v2.sql"
	rows=$("${PSQL[@]}" -d "$(db_url "$demo_db")" -Atc 'SELECT count(*) FROM orders')
	check_cmd demo/rows-kept "orders has $rows rows" test "$rows" = 2500

	# The same plan again: nothing written.
	before=$(ls "$WORK/demo/migrations/versions" | wc -l)
	(cd "$WORK/demo" && "$BIN" generate --plan "$WORK/demo.json" \
		--emitter alembic --dir migrations --name "demo migration") \
		>"$WORK/gen.out" 2>&1
	rc=$?
	after=$(ls "$WORK/demo/migrations/versions" | wc -l)
	check_cmd demo/second-generate "exit $rc, $before -> $after files: $(cat "$WORK/gen.out")" \
		test "$rc" = 0 -a "$before" = "$after"
	check_cmd demo/second-generate-says "$(cat "$WORK/gen.out")" \
		grep -q 'already generated' "$WORK/gen.out"

	# Planned from the database Alembic now manages, towards a file
	# without alembic_version: the version table is the framework's, not
	# the schema's, so the plan leaves it alone (nothing left to do).
	"$BIN" plan --from "$(db_url "$demo_db")" --to "$ROOT/demo/v2.sql" \
		--dev-url "$DEV" --out "$WORK/demo_av.json" >/dev/null 2>&1
	check_cmd demo/version-table-left-alone "$(grep -o 'alembic_version' "$WORK/demo_av.json" | head -1)" \
		test -s "$WORK/demo_av.json" -a -z "$(grep -o 'alembic_version' "$WORK/demo_av.json")"
fi

# ---- identifiers and defaults that break naive quoting ------------------
nasty_db=${DBS[1]}
if prepare nasty "$nasty_db" "$FIX/nasty/current.sql" "$FIX/nasty/desired.sql" "SELECT 1"; then
	# Only string literals carry the schema's text, as ASCII escapes.
	sed -n '/^from alembic/,$p' "$REVFILE" | grep -v '^ *#' >"$WORK/code.py"
	check_cmd nasty/ascii-only "non-ASCII or control byte outside comments" \
		bash -c "! LC_ALL=C grep -qP '[^\\x0a\\x20-\\x7e]' '$WORK/code.py'"
	round_trip nasty "$nasty_db" "$FIX/nasty/current.sql" "$FIX/nasty/desired.sql"
	rows=$("${PSQL[@]}" -d "$(db_url "$nasty_db")" -Atc 'SELECT string_agg(coalesce("col:name", '\''-'\''), '\'','\'' ORDER BY id) FROM "we""ird\tab"')
	check_cmd nasty/rows-kept "rows are $rows" test "$rows" = "a,b:c,-"
fi

# ---- heads ---------------------------------------------------------------
heads=$WORK/heads
make_project "$heads"
sed -e "s/^revision = .*/revision = '0b0b0b0b0b0b'/" \
	"$heads/migrations/versions/${BASE_REV}_base.py" \
	>"$heads/migrations/versions/0b0b0b0b0b0b_other.py"
(cd "$heads" && "$BIN" generate --plan "$WORK/nasty.json" --emitter alembic \
	--dir migrations --name heads) >"$WORK/gen.out" 2>&1
rc=$?
check_cmd heads/several-refused "exit $rc: $(cat "$WORK/gen.out")" test "$rc" = 2
check_cmd heads/several-named "$(cat "$WORK/gen.out")" \
	grep -q "$BASE_REV.*0b0b0b0b0b0b" "$WORK/gen.out"
check_cmd heads/nothing-written "a file was written" \
	test "$(ls "$heads/migrations/versions" | wc -l)" = 2
# A merge revision in the annotated form of newer templates, its tuple
# over several lines: it is the one head.
cat >"$heads/migrations/versions/0c0c0c0c0c0c_merge.py" <<EOF
from typing import Sequence, Union

revision: str = "0c0c0c0c0c0c"
down_revision: Union[str, Sequence[str], None] = (
    "$BASE_REV",  # the base
    "0b0b0b0b0b0b",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
EOF
(cd "$heads" && "$BIN" generate --plan "$WORK/nasty.json" --emitter alembic \
	--dir migrations --name heads) >"$WORK/gen.out" 2>&1
check_cmd heads/after-merge "$(cat "$WORK/gen.out")" \
	grep -q '^down_revision = "0c0c0c0c0c0c"$' "$heads"/migrations/versions/*_heads.py
alembic_in "$heads" "$nasty_db" heads
check_cmd heads/alembic-agrees "alembic heads: $(cat "$WORK/alembic.out")" \
	test "$(grep -c . "$WORK/alembic.out")" = 1 -a \
	"$(sed 's/ .*//' "$WORK/alembic.out")" = "$(basename "$heads"/migrations/versions/*_heads.py | cut -c1-12)"

# ---- where the revision goes ---------------------------------------------
lay=$WORK/layout
make_project "$lay"
# --dir naming the versions/ directory itself: no nested versions/.
(cd "$lay" && "$BIN" generate --plan "$WORK/nasty.json" --emitter alembic \
	--dir migrations/versions --name lay) >"$WORK/gen.out" 2>&1
check_cmd layout/versions-dir "$(cat "$WORK/gen.out")" \
	test "$(ls "$lay"/migrations/versions/*_lay.py 2>/dev/null | wc -l)" = 1 \
	-a ! -e "$lay/migrations/versions/versions"
rm -f "$lay"/migrations/versions/*_lay.py
# A directory alembic.ini does not name is refused, naming the right one.
mkdir -p "$lay/other"
(cd "$lay" && "$BIN" generate --plan "$WORK/nasty.json" --emitter alembic \
	--dir other --name lay) >"$WORK/gen.out" 2>&1
rc=$?
check_cmd layout/ini-mismatch "exit $rc: $(cat "$WORK/gen.out")" \
	test "$rc" = 2 -a -z "$(ls "$lay/other")"
check_cmd layout/ini-mismatch-says "$(cat "$WORK/gen.out")" \
	grep -q "script_location is 'migrations'" "$WORK/gen.out"
# A down_revision that is not a literal is an error at its line, never
# a guess.
printf 'revision = "0d0d0d0d0d0d"\ndown_revision = BASE\n' \
	>"$lay/migrations/versions/0d0d0d0d0d0d_const.py"
(cd "$lay" && "$BIN" generate --plan "$WORK/nasty.json" --emitter alembic \
	--dir migrations --name lay) >"$WORK/gen.out" 2>&1
rc=$?
check_cmd layout/unreadable-down "exit $rc: $(cat "$WORK/gen.out")" \
	test "$rc" = 2
check_cmd layout/unreadable-down-says "$(cat "$WORK/gen.out")" \
	grep -q "0d0d0d0d0d0d_const.py:2: cannot read down_revision" "$WORK/gen.out"

rm -f "$lay/migrations/versions/0d0d0d0d0d0d_const.py"
# version_locations replaces migrations/versions: a revision elsewhere
# would never run.
sed -i 's|^script_location = .*|&\nversion_locations = %(here)s/elsewhere|' "$lay/alembic.ini"
(cd "$lay" && "$BIN" generate --plan "$WORK/nasty.json" --emitter alembic \
	--dir migrations --name lay) >"$WORK/gen.out" 2>&1
rc=$?
check_cmd layout/version-locations "exit $rc: $(cat "$WORK/gen.out")" \
	test "$rc" = 2
check_cmd layout/version-locations-says "$(cat "$WORK/gen.out")" \
	grep -q "version_locations is '.*/elsewhere'" "$WORK/gen.out"
sed -i 's|^version_locations = .*|version_locations = %(here)s/migrations/versions|' "$lay/alembic.ini"
(cd "$lay" && "$BIN" generate --plan "$WORK/nasty.json" --emitter alembic \
	--dir migrations --name lay) >"$WORK/gen.out" 2>&1
rc=$?
check_cmd layout/version-locations-listed "exit $rc: $(cat "$WORK/gen.out")" \
	test "$rc" = 0

# ---- each step its own transaction --------------------------------------
# Duplicate names planted after planning make the unique index built
# CONCURRENTLY fail: the upgrade stops there, the revision is not
# recorded, and the steps before it stay committed.
fail_db=${DBS[2]}
if prepare fail "$fail_db" "$ROOT/demo/v1.sql" "$ROOT/demo/v2.sql" "$DEMO_ROWS"; then
	"${PSQL[@]}" -d "$(db_url "$fail_db")" -c \
		"INSERT INTO customers (email, name) VALUES ('dup1@x', 'dup'), ('dup2@x', 'dup')" >/dev/null
	alembic_in "$WORK/fail" "$fail_db" upgrade head
	rc=$?
	check_cmd fail/upgrade-fails "exit $rc" test "$rc" != 0
	check_cmd fail/not-recorded "alembic_version is $(version_of "$fail_db")" \
		test "$(version_of "$fail_db")" = "$BASE_REV"
	cols=$("${PSQL[@]}" -d "$(db_url "$fail_db")" -Atc \
		"SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name IN ('country', 'api_key')")
	check_cmd fail/earlier-steps-committed "customers has $cols of the new columns" \
		test "$cols" = 2
fi

# A transactional step that fails (VALIDATE finds a NULL planted after
# planning) is reported by its own error: its aborted BEGIN is rolled
# back before Alembic cleans up, which would otherwise fail again.
failtx_db=${DBS[3]}
if prepare failtx "$failtx_db" "$ROOT/demo/v1.sql" "$ROOT/demo/v2.sql" "$DEMO_ROWS"; then
	"${PSQL[@]}" -d "$(db_url "$failtx_db")" -c \
		"INSERT INTO orders (customer_id, total, note) VALUES (1, 1, NULL)" >/dev/null
	alembic_in "$WORK/failtx" "$failtx_db" upgrade head
	rc=$?
	check_cmd failtx/upgrade-fails "exit $rc" test "$rc" != 0
	check_cmd failtx/own-error "$(grep -i error "$WORK/alembic.out" | head -3)" \
		grep -q 'CheckViolation' "$WORK/alembic.out"
	check_cmd failtx/no-follow-up-error "$(grep InFailedSqlTransaction "$WORK/alembic.out" | head -2)" \
		bash -c "! grep -q InFailedSqlTransaction '$WORK/alembic.out'"
	check_cmd failtx/not-recorded "alembic_version is $(version_of "$failtx_db")" \
		test "$(version_of "$failtx_db")" = "$BASE_REV"
fi

suite_end summary
