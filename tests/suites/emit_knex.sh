#!/usr/bin/env bash
# The Knex emitter of `git schemig generate`, end to end with real Knex:
#
#   tests/suites/emit_knex.sh BIN
#
# Knex, pg, TypeScript 5 and ts-node come from npm (into
# $SCHEMIG_WORK/knex-npm, or the prepared directory $SCHEMIG_KNEX_DIR);
# without them the suite FAILS, it never skips. Cases:
#   - demo/v1.sql (with rows) towards demo/v2.sql (36 steps: CONCURRENTLY,
#     batched backfills, expand/contract) in a CommonJS project that
#     already has a migration whose version is later than ours would be;
#   - names and defaults full of quotes, backslashes, backticks, ${...},
#     newlines, U+2028 and "?" (tests/emit/knex/nasty_*.sql) in an ES
#     module project ("type": "module", .js) and in one that loads .mjs;
#   - a step outside a transaction meets a held lock: lock_timeout must
#     stop it (the session SET reached the statement's connection);
#   - the nasty names again in TypeScript, next to a knexfile.ts (Knex
#     runs it through ts-node);
#   - a knexfile whose loadExtensions allows nothing usable is refused.
# For each migration: file name, header, every query the migration would
# send (check_calls.mjs, a fake knex), `knex migrate:latest` then no diff
# against the target, `knex migrate:rollback` then no diff against the
# source; a second generate writes nothing; output depends only on
# SOURCE_DATE_EPOCH.
#
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_DEV_URL,
# SCHEMIG_WORK, SCHEMIG_SUITE_COUNTS; optional SCHEMIG_KNEX_DIR.
set -uo pipefail

SUITE=emit_knex
DBS=("emit_knex_demo_$$" "emit_knex_nasty_$$" "emit_knex_mjs_$$" "emit_knex_lock_$$" "emit_knex_ts_$$")
HOLDER=""
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$ROOT/tests/emit/knex
export SOURCE_DATE_EPOCH=1764368400 # 2025-11-28T22:20:00Z
TS=20251128222000
# The session holding a lock in lock_case, left by an early exit.
suite_cleanup() {
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
}

# ---- Knex and pg from npm ------------------------------------------------

KNEX_DIR=${SCHEMIG_KNEX_DIR:-${SCHEMIG_WORK:-$WORK}/knex-npm}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	fail "npm-install" "node and npm are needed (Debian packages nodejs, npm)"
	exit 1
fi
# TypeScript 5 and ts-node run (and type-check) a .ts migration as Knex
# does next to a knexfile.ts; ts-node 10 does not work with TypeScript 6+.
NPM_PKGS=(knex pg typescript@5 ts-node @types/node)
if [ ! -f "$KNEX_DIR/node_modules/knex/bin/cli.js" ] || [ ! -d "$KNEX_DIR/node_modules/pg" ] ||
	[ ! -d "$KNEX_DIR/node_modules/ts-node" ] || [ ! -x "$KNEX_DIR/node_modules/typescript/bin/tsc" ]; then
	mkdir -p "$KNEX_DIR"
	# A package.json of its own, so that npm installs here and not into
	# whatever project lies above.
	[ -f "$KNEX_DIR/package.json" ] || echo '{"name":"schemig-knex-test","private":true}' >"$KNEX_DIR/package.json"
	# emit_mysql.sh installs mysql2 into the same directory: one npm
	# at a time (the lock file next to it).
	if ! (cd "$KNEX_DIR" && flock 9 && timeout 600 npm install --no-audit --no-fund "${NPM_PKGS[@]}") \
		>"$WORK/npm.log" 2>&1 9>"$KNEX_DIR.lock"; then
		fail "npm-install" "npm could not install ${NPM_PKGS[*]} (is the npm registry reachable?): $(tail -c 400 "$WORK/npm.log")"
		exit 1
	fi
fi
ok "npm-install ($(node -p "require('$KNEX_DIR/node_modules/knex/package.json').version") + pg $(node -p "require('$KNEX_DIR/node_modules/pg/package.json').version"))"
# The CLI itself (what `npx knex` runs): npm does not always link
# node_modules/.bin, so no npx.
knex() {
	node "$KNEX_DIR/node_modules/knex/bin/cli.js" "$@"
}
tsc() {
	node "$KNEX_DIR/node_modules/typescript/bin/tsc" "$@"
}

# ---- helpers ---------------------------------------------------------------

# Knex's connection object for database $1 of the test server (the URL's
# host is a socket directory).
conn_js() {
	python3 - "$(db_url "$1")" <<'PY'
import json, sys
from urllib.parse import urlsplit, parse_qs, unquote
u = urlsplit(sys.argv[1])
q = {k: v[-1] for k, v in parse_qs(u.query).items()}
c = {"host": q.get("host") or u.hostname or "localhost",
     "port": int(q.get("port") or u.port or 5432),
     "user": q.get("user") or unquote(u.username or "postgres"),
     "database": u.path.lstrip("/")}
if q.get("password") or u.password:
    c["password"] = q.get("password") or unquote(u.password)
print(json.dumps(c))
PY
}

# new_project DIR KIND DB: a Knex project on database DB; KIND is cjs
# (CommonJS), esm ("type": "module", .js), mjs (ESM loading only .mjs),
# ts (knexfile.ts) or badext (loadExtensions it cannot satisfy).
new_project() {
	local dir=$1 kind=$2 conn
	conn=$(conn_js "$3") || return 1
	mkdir -p "$dir/migrations" || return 1
	git -C "$dir" init -q
	ln -s "$KNEX_DIR/node_modules" "$dir/node_modules"
	case $kind in
	cjs | badext | ts) echo '{"name":"app","private":true}' >"$dir/package.json" ;;
	*) echo '{"name":"app","private":true,"type":"module"}' >"$dir/package.json" ;;
	esac
	case $kind in
	cjs) printf 'module.exports = {\n  client: "pg",\n  connection: %s,\n  migrations: { directory: "./migrations" },\n};\n' "$conn" >"$dir/knexfile.js" ;;
	esm) printf 'export default {\n  client: "pg",\n  connection: %s,\n  migrations: { directory: "./migrations" },\n};\n' "$conn" >"$dir/knexfile.js" ;;
	mjs) printf 'export default {\n  development: {\n    client: "pg",\n    connection: %s,\n    migrations: { directory: "./migrations", loadExtensions: [".mjs"] },\n  },\n};\n' "$conn" >"$dir/knexfile.js" ;;
	ts) printf 'import type { Knex } from "knex";\nconst config: Knex.Config = { client: "pg", connection: %s };\nexport default config;\n' "$conn" >"$dir/knexfile.ts" ;;
	badext) printf 'module.exports = {\n  client: "pg",\n  connection: %s,\n  migrations: { loadExtensions: [".ts", ".coffee"] },\n};\n' "$conn" >"$dir/knexfile.js" ;;
	esac
}

# generate NAME PROJECT PLAN: `git schemig generate` in PROJECT.
generate() {
	(cd "$2" && "$BIN" generate --plan "$3" --emitter knex --dir migrations \
		--name "Add orders index" 2>&1)
}

# run_case NAME KIND DB SOURCE_FILE TARGET_FILE ROWS EXT [PREVIOUS]
# PREVIOUS: the version of a migration the project already has.
run_case() {
	local name=$1 kind=$2 db=$3 src=$4 dst=$5 rows=$6 ext=$7 prev=${8:-}
	local u proj=$WORK/$name out f id version=$TS
	u=$(db_url "$db")
	if ! load_db "$db" -f "$src" -c "$rows"; then
		fail "$name/setup" "cannot load $src"
		return
	fi
	plan_of "$name" "$u" "$dst" || return
	if ! new_project "$proj" "$kind" "$db"; then
		fail "$name/project" "cannot make the project"
		return
	fi
	if [ -n "$prev" ]; then
		# A migration made earlier that changes nothing, versioned
		# after SOURCE_DATE_EPOCH (a colleague's clock ahead): ours
		# must still sort, and run, after it.
		if [ "$kind" = cjs ]; then
			printf 'exports.up = async function () {};\nexports.down = async function () {};\n'
		else
			printf 'export async function up() {}\nexport async function down() {}\n'
		fi >"$proj/migrations/${prev}_previous$ext"
		version=$((prev + 1))
	fi
	if ! out=$(generate "$name" "$proj" "$WORK/$name.json"); then
		fail "$name/generate" "$out"
		return
	fi
	f=$proj/migrations/${version}_add_orders_index$ext
	local nfiles=1
	[ -n "$prev" ] && nfiles=2
	if [ -f "$f" ] && [ "$(ls "$proj/migrations" | wc -l)" -eq "$nfiles" ]; then
		ok "$name/file-name"
	else
		fail "$name/file-name" "want $(basename "$f"), got: $(ls "$proj/migrations" | tr '\n' ' ')"
		return
	fi
	id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/$name.json")
	if head -1 "$f" | grep -q '^// Migration add_orders_index, generated by git schemig at 2025-11-28T22:20:00Z$' &&
		grep -q "^// Plan $id " "$f"; then
		ok "$name/header"
	else
		fail "$name/header" "$(head -3 "$f")"
	fi
	# Valid JavaScript; TypeScript that a strict build accepts, checked
	# (as JavaScript) through what tsc makes of it.
	local js=$f
	if [ "$ext" = .ts ]; then
		js=$WORK/$name.tsout/$(basename "$f" .ts).js
		out=$(cd "$proj" && tsc --strict --skipLibCheck --types node --module commonjs \
			--target es2020 --outDir "$WORK/$name.tsout" "$f" 2>&1)
	else
		out=$(node --check "$f" 2>&1)
	fi
	if [ $? -eq 0 ]; then
		ok "$name/syntax"
	else
		fail "$name/syntax" "$(echo "$out" | head -c 400)"
	fi
	# Every query, in order, byte for byte, on the right connection.
	out=$(cd "$proj" && node "$FIX/check_calls.mjs" "$js" "$WORK/$name.json" 2>&1)
	[ -z "$out" ] && ok "$name/queries" || fail "$name/queries" "$(echo "$out" | head -c 600)"

	# A second generate of the same plan writes nothing.
	local before after
	before=$(cd "$proj/migrations" && ls -l --time-style=+%s.%N && cat ./*)
	out=$(generate "$name" "$proj" "$WORK/$name.json")
	after=$(cd "$proj/migrations" && ls -l --time-style=+%s.%N && cat ./*)
	if [ "$before" = "$after" ] && [[ $out == *"already generated"* ]]; then
		ok "$name/second-generate-no-op"
	else
		fail "$name/second-generate-no-op" "output: $out"
	fi
	# Same plan and project, same SOURCE_DATE_EPOCH: the same bytes.
	local again=$WORK/$name.again
	mkdir -p "$again" && cp -P "$proj/package.json" "$proj/knexfile."* "$again/" && mkdir "$again/migrations" &&
		{ [ -z "$prev" ] || cp "$proj/migrations/${prev}_previous$ext" "$again/migrations/"; }
	if generate "$name" "$again" "$WORK/$name.json" >/dev/null && diff -r "$proj/migrations" "$again/migrations" >/dev/null; then
		ok "$name/deterministic"
	else
		fail "$name/deterministic" "$(diff -r "$proj/migrations" "$again/migrations" 2>&1 | head -5)"
	fi

	# Real Knex: forward reaches the target exactly.
	if out=$(cd "$proj" && knex migrate:latest 2>&1); then
		ok "$name/migrate-latest"
	else
		fail "$name/migrate-latest" "$(echo "$out" | head -c 600)"
		return
	fi
	# Knex's own tables (knex_migrations, knex_migrations_lock) are never
	# part of a diff: the target file needs no copy of them.
	no_diff "$name/forward-reaches-target" "$u" "$dst"
	if [ -n "$prev" ]; then
		out=$("${PSQL[@]}" -At -d "$u" -c "SELECT name FROM knex_migrations ORDER BY id" | tr '\n' ' ')
		if [ "$out" = "${prev}_previous$ext $(basename "$f") " ]; then
			ok "$name/runs-after-existing"
		else
			fail "$name/runs-after-existing" "knex_migrations: $out"
		fi
	fi
	# Rollback restores the source exactly.
	if out=$(cd "$proj" && knex migrate:rollback 2>&1); then
		ok "$name/migrate-rollback"
	else
		fail "$name/migrate-rollback" "$(echo "$out" | head -c 600)"
		return
	fi
	no_diff "$name/rollback-restores-source" "$u" "$src"
}

# ---- cases -----------------------------------------------------------------

run_case demo cjs "${DBS[0]}" "$ROOT/demo/v1.sql" "$ROOT/demo/v2.sql" "
INSERT INTO customers (email, name)
	SELECT 'c' || g || '@example.com', 'name ' || g FROM generate_series(1, 200) g;
INSERT INTO orders (customer_id, total, quantity, note)
	SELECT 1 + g % 200, g % 1000, 1 + g % 7, 'note ' || g FROM generate_series(1, 3000) g;" \
	.js 20251128223000

NASTY_ROWS="
INSERT INTO \"we\"\"ird \`tab\` \${x}\" (id, \"ünï ☃\") SELECT g, 'u' || g FROM generate_series(1, 50) g;
INSERT INTO docs SELECT g, jsonb_build_object('id', g) FROM generate_series(1, 20) g;"
run_case nasty-esm esm "${DBS[1]}" "$FIX/nasty_current.sql" "$FIX/nasty_desired.sql" "$NASTY_ROWS" .js
run_case nasty-mjs mjs "${DBS[2]}" "$FIX/nasty_current.sql" "$FIX/nasty_desired.sql" "$NASTY_ROWS" .mjs 20251128222000
run_case nasty-ts ts "${DBS[4]}" "$FIX/nasty_current.sql" "$FIX/nasty_desired.sql" "$NASTY_ROWS" .ts

# ---- lock_timeout reaches a step outside a transaction ---------------------
# An index built CONCURRENTLY while another session holds a SHARE lock on
# the table: with the session's lock_timeout on the statement's own
# connection the step gives up (and knex records nothing); without it, it
# would wait for the holder.
lock_case() {
	local db=${DBS[3]} u proj=$WORK/lock out
	u=$(db_url "$db")
	printf 'CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);\n' >"$WORK/lock_desired.sql"
	if ! load_db "$db" -c "CREATE TABLE t (a int); INSERT INTO t SELECT generate_series(1, 100);" ||
		! "$BIN" plan --from "$u" --to "$WORK/lock_desired.sql" "${DEVOPT[@]}" --lock-timeout 300 \
			--out "$WORK/lock.json" >"$WORK/lock.plan.out" 2>&1 ||
		! new_project "$proj" cjs "$db" ||
		! generate lock "$proj" "$WORK/lock.json" >/dev/null; then
		fail "lock-timeout/setup" "$(head -c 300 "$WORK/lock.plan.out")"
		return
	fi
	if ! grep -q 'outsideTransaction' "$proj"/migrations/*.js; then
		fail "lock-timeout/setup" "no step outside a transaction in the plan"
		return
	fi
	# The holder: a SHARE lock for at most 60 s, ended below by PID.
	"${PSQL[@]}" -d "$u" -c "BEGIN; LOCK TABLE t IN SHARE MODE; SELECT pg_sleep(60);" >/dev/null 2>&1 &
	HOLDER=$!
	local i
	for i in $(seq 1 100); do
		[ "$("${PSQL[@]}" -At -d "$u" -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND c.relname = 't' AND l.mode = 'ShareLock' AND l.granted")" = 1 ] && break
		sleep 0.1
	done
	out=$(cd "$proj" && timeout 50 node "$KNEX_DIR/node_modules/knex/bin/cli.js" migrate:latest 2>&1)
	if [[ $out == *"lock timeout"* ]] &&
		[ "$("${PSQL[@]}" -At -d "$u" -c "SELECT count(*) FROM knex_migrations")" = 0 ]; then
		ok "lock-timeout/gives-up"
	else
		fail "lock-timeout/gives-up" "$(echo "$out" | head -c 400)"
	fi
	kill "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
	HOLDER=""
	"${PSQL[@]}" -d "$u" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(60)%'" >/dev/null 2>&1
	for i in $(seq 1 100); do
		[ "$("${PSQL[@]}" -At -d "$u" -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND c.relname = 't' AND l.mode = 'ShareLock'")" = 0 ] && break
		sleep 0.1
	done
	# Run again once the lock is gone: the migration completes.
	if out=$(cd "$proj" && knex migrate:latest 2>&1); then
		ok "lock-timeout/retry"
	else
		fail "lock-timeout/retry" "$(echo "$out" | head -c 400)"
		return
	fi
	no_diff "lock-timeout/retry-reaches-target" "$u" "$WORK/lock_desired.sql"
}
lock_case

# ---- project detection -------------------------------------------------------
detect_case() {
	local proj out f
	# A knexfile whose loadExtensions would make Knex ignore the file.
	proj=$WORK/badext
	new_project "$proj" badext "${DBS[0]}"
	if out=$(generate badext "$proj" "$WORK/demo.json"); then
		fail "detect/load-extensions-refused" "generate succeeded: $(ls "$proj/migrations")"
	elif [[ $out == *loadExtensions* ]] && [ -z "$(ls "$proj/migrations")" ]; then
		ok "detect/load-extensions-refused"
	else
		fail "detect/load-extensions-refused" "$out"
	fi
}
detect_case
suite_end
