#!/usr/bin/env bash
# The Flyway emitter of `git schemig generate`, end to end:
#
#   tests/suites/emit_flyway.sh BIN
#
# No Flyway runtime can run here (it needs Java, which the test
# dependencies do not install), so the suite checks
# what Flyway reads (file names, version numbering, the .sql.conf keys)
# and runs the scripts the way Flyway would with executeInTransaction=
# false and placeholderReplacement=false: each pending V script in
# ascending version order, statement by statement in autocommit mode
# (psql without --single-transaction), untouched. Then the U scripts in
# descending order. Cases:
#   - demo/v1.sql (with rows) towards demo/v2.sql, from an empty
#     directory (V1) and from one holding V1..V3 that built the source
#     (V4, applied on top of them);
#   - identifiers and defaults with quotes, backslashes, newlines,
#     non-ASCII letters and ${...}, which must reach the server as is;
#   - numbering: counters, minor versions, '_' separators, leading zeros,
#     timestamps (past and future), files Flyway does not version;
#   - a second generate writes nothing, an existing file is never
#     overwritten, the output depends only on SOURCE_DATE_EPOCH.
#
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_DEV_URL,
# SCHEMIG_WORK, SCHEMIG_SUITE_COUNTS.
set -uo pipefail

BIN=${1:?usage: emit_flyway.sh BIN}
URL=${SCHEMIG_TEST_PG_URL:?SCHEMIG_TEST_PG_URL is not set}
DEV=${SCHEMIG_DEV_URL:-}
WORK=$(mktemp -d "${SCHEMIG_WORK:-${TMPDIR:-/tmp}}/emit_flyway.XXXXXX")
COUNTS=${SCHEMIG_SUITE_COUNTS:-/dev/null}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FIX=$ROOT/tests/emit/flyway
SQLFIX=$ROOT/tests/emit/sql
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
DBS=("emit_fw_empty_$$" "emit_fw_existing_$$" "emit_fw_nasty_$$")
export SOURCE_DATE_EPOCH=1764368400 # 2025-11-28T22:20:00Z
TS=20251128222000
CONF=$'executeInTransaction=false\nplaceholderReplacement=false'

passed=0
failed=0
ok() {
	echo "ok   emit_flyway/$1"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL emit_flyway/$1: $2"
	failed=$((failed + 1))
}
finish() {
	local db
	for db in "${DBS[@]}"; do
		"${PSQL[@]}" -d "$URL" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
	done
	echo "$passed $failed" >"$COUNTS"
	rm -rf "$WORK"
}
trap finish EXIT

db_url() {
	local base=${URL%%\?*} q=""
	[[ $URL == *\?* ]] && q="?${URL#*\?}"
	echo "${base%/*}/$1$q"
}

DEVOPT=()
[ -n "$DEV" ] && DEVOPT=(--dev-url "$DEV")

fresh_db() {
	"${PSQL[@]}" -d "$URL" -c "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1
	"${PSQL[@]}" -d "$URL" -c "CREATE DATABASE $1" >/dev/null
}

no_diff() {
	local out rc=0
	out=$("$BIN" diff --from "$2" --to "$3" "${DEVOPT[@]}" --exit-code 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$1"
	else
		fail "$1" "diff exit $rc: $(echo "$out" | head -c 400)"
	fi
}

# scripts DIR PREFIX ORDER [ABOVE]: the PREFIX (V or U) scripts of DIR
# in Flyway's version order (asc or desc), one name a line; with ABOVE,
# only versions above it (the pending ones).
scripts() {
	python3 - "$@" <<'PY'
import os, re, sys
d, prefix, order = sys.argv[1:4]
above = sys.argv[4] if len(sys.argv) > 4 else None
def key(v):
    parts = [int(x) for x in re.split(r"[._]", v)]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return parts
found = []
for f in os.listdir(d):
    m = re.match(r"^%s([0-9][0-9._]*)__.+\.sql$" % prefix, f, re.I)
    if m and (above is None or key(m.group(1)) > key(above)):
        found.append((key(m.group(1)), f))
for _, f in sorted(found, reverse=(order == "desc")):
    print(f)
PY
}

# apply LABEL DB_URL DIR FILE...: run each script as Flyway would with
# executeInTransaction=false: autocommit, statements in order, stop at
# the first error.
apply() {
	local label=$1 u=$2 dir=$3 f out
	shift 3
	for f in "$@"; do
		if ! out=$("${PSQL[@]}" -d "$u" -f "$dir/$f" 2>&1); then
			fail "$label" "$f: $(echo "$out" | head -c 400)"
			return 1
		fi
	done
	ok "$label"
}

# generate NAME PLAN DIR: run generate; its output in $WORK/NAME.gen.
generate() {
	"$BIN" generate --plan "$2" --emitter flyway --dir "$3" \
		--name "Add orders index" >"$WORK/$1.gen" 2>&1
}

# expect_new LABEL DIR VERSION BEFORE: DIR holds exactly BEFORE's files
# plus the four of version VERSION.
expect_new() {
	local want got
	want=$( (printf '%s\n' "$4" | tr ' ' '\n' && for p in V U; do
		printf '%s\n' "${p}$3__add_orders_index.sql" "${p}$3__add_orders_index.sql.conf"
	done) | sed '/^$/d' | sort | tr '\n' ' ')
	got=$(ls "$2" | sort | tr '\n' ' ')
	if [ "$want" = "$got" ]; then
		ok "$1"
	else
		fail "$1" "want: $want got: $got"
	fi
}

# check_files LABEL DIR VERSION PLAN: the .conf files say exactly what
# they must, both scripts carry the header and keep the plan's
# transactions.
check_files() {
	local label=$1 dir=$2 v=$3 plan=$4 p out id
	for p in V U; do
		if [ "$(cat "$dir/${p}${v}__add_orders_index.sql.conf")" = "$CONF" ]; then
			ok "$label/conf-$p"
		else
			fail "$label/conf-$p" "$(cat "$dir/${p}${v}__add_orders_index.sql.conf")"
		fi
	done
	id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$plan")
	if head -1 "$dir/V${v}__add_orders_index.sql" | grep -q '^-- Migration add_orders_index, generated by git schemig at 2025-11-28T22:20:00Z$' &&
		grep -q "^-- Plan $id " "$dir/V${v}__add_orders_index.sql" &&
		grep -q "^-- Plan $id " "$dir/U${v}__add_orders_index.sql"; then
		ok "$label/header"
	else
		fail "$label/header" "$(head -2 "$dir/V${v}__add_orders_index.sql")"
	fi
	out=$(python3 "$SQLFIX/check_tx.py" "$dir/V${v}__add_orders_index.sql" "$plan" up 2>&1)
	if [ -z "$out" ]; then ok "$label/transactions-V"; else fail "$label/transactions-V" "$out"; fi
	out=$(python3 "$SQLFIX/check_tx.py" "$dir/U${v}__add_orders_index.sql" "$plan" down 2>&1)
	if [ -z "$out" ]; then ok "$label/transactions-U"; else fail "$label/transactions-U" "$out"; fi
}

# plan_of NAME DB_URL TARGET: the plan in $WORK/NAME.json.
plan_of() {
	if "$BIN" plan --from "$2" --to "$3" "${DEVOPT[@]}" --out "$WORK/$1.json" \
		>"$WORK/$1.plan.out" 2>&1; then
		ok "$1/plan"
	else
		fail "$1/plan" "$(head -c 300 "$WORK/$1.plan.out")"
		return 1
	fi
}

ROWS="
INSERT INTO customers (email, name)
	SELECT 'c' || g || '@example.com', 'name ' || g FROM generate_series(1, 200) g;
INSERT INTO orders (customer_id, total, quantity, note)
	SELECT 1 + g % 200, g % 1000, 1 + g % 7, 'note ' || g FROM generate_series(1, 3000) g;"

# roundtrip LABEL DB_URL DIR PENDING_ABOVE TARGET SOURCE: apply the
# pending V scripts, no diff to TARGET; the new U scripts back, no diff
# to SOURCE.
roundtrip() {
	local label=$1 u=$2 dir=$3 above=$4 dst=$5 src=$6
	# shellcheck disable=SC2046
	apply "$label/apply-V" "$u" "$dir" $(scripts "$dir" V asc "$above") || return
	no_diff "$label/V-reaches-target" "$u" "$dst"
	# shellcheck disable=SC2046
	apply "$label/apply-U" "$u" "$dir" $(scripts "$dir" U desc "$above") || return
	no_diff "$label/U-restores-source" "$u" "$src"
}

# ---- an empty directory: V1 ---------------------------------------------
u=$(db_url "${DBS[0]}")
dir=$WORK/empty/db/migration
if fresh_db "${DBS[0]}" && "${PSQL[@]}" -d "$u" -f "$ROOT/demo/v1.sql" -c "$ROWS" >/dev/null &&
	plan_of demo "$u" "$ROOT/demo/v2.sql"; then
	if generate empty "$WORK/demo.json" "$dir"; then
		expect_new empty/files "$dir" 1 ""
		check_files empty "$dir" 1 "$WORK/demo.json"
		roundtrip empty "$u" "$dir" 0 "$ROOT/demo/v2.sql" "$ROOT/demo/v1.sql"
	else
		fail empty/generate "$(cat "$WORK/empty.gen")"
	fi
else
	fail empty/setup "cannot load demo/v1.sql or plan it"
fi

# ---- V1..V3 exist and built the source: V4 on top ------------------------
u=$(db_url "${DBS[1]}")
dir=$WORK/existing/sql
mkdir -p "$dir"
cp "$FIX"/V*.sql "$dir/"
# shellcheck disable=SC2046
if fresh_db "${DBS[1]}" &&
	apply existing/apply-V1-V3 "$u" "$dir" $(scripts "$dir" V asc) &&
	"${PSQL[@]}" -d "$u" -c "$ROWS" >/dev/null &&
	plan_of existing "$u" "$ROOT/demo/v2.sql"; then
	if generate existing "$WORK/existing.json" "$dir"; then
		expect_new existing/files "$dir" 4 "$(ls "$FIX")"
		check_files existing "$dir" 4 "$WORK/existing.json"
		roundtrip existing "$u" "$dir" 3 "$ROOT/demo/v2.sql" "$ROOT/demo/v1.sql"
		# A second generate of the same plan: nothing written.
		before=$(cd "$dir" && ls -l --time-style=+%s.%N && cat ./*)
		generate existing-again "$WORK/existing.json" "$dir"
		after=$(cd "$dir" && ls -l --time-style=+%s.%N && cat ./*)
		if [ "$before" = "$after" ] && grep -q "already generated" "$WORK/existing-again.gen"; then
			ok existing/second-generate-no-op
		else
			fail existing/second-generate-no-op "$(cat "$WORK/existing-again.gen")"
		fi
	else
		fail existing/generate "$(cat "$WORK/existing.gen")"
	fi
else
	fail existing/setup "cannot apply V1..V3 or plan"
fi

# ---- nasty names and ${...} ----------------------------------------------
u=$(db_url "${DBS[2]}")
dir=$WORK/nasty
if fresh_db "${DBS[2]}" && "${PSQL[@]}" -d "$u" -f "$SQLFIX/nasty_current.sql" -c "
INSERT INTO \"we\"\"ird\\tab\" (id, \"ünï\") SELECT g, 'u' || g FROM generate_series(1, 50) g;
INSERT INTO plain VALUES (1, 'x');" >/dev/null &&
	plan_of nasty "$u" "$SQLFIX/nasty_desired.sql"; then
	if generate nasty "$WORK/nasty.json" "$dir"; then
		expect_new nasty/files "$dir" 1 ""
		check_files nasty "$dir" 1 "$WORK/nasty.json"
		# The placeholders are in the script as the plan has them: with
		# placeholderReplacement=false Flyway sends them unchanged.
		if grep -qF "SET DEFAULT '\${x}'::text;" "$dir/V1__add_orders_index.sql" &&
			grep -qF "'\$1 \${a:b} \$\${c}'" "$dir/V1__add_orders_index.sql"; then
			ok nasty/placeholders-verbatim
		else
			fail nasty/placeholders-verbatim "no literal \${x} default in V1"
		fi
		roundtrip nasty "$u" "$dir" 0 "$SQLFIX/nasty_desired.sql" "$SQLFIX/nasty_current.sql"
	else
		fail nasty/generate "$(cat "$WORK/nasty.gen")"
	fi
else
	fail nasty/setup "cannot load nasty_current.sql or plan it"
fi

# ---- numbering -----------------------------------------------------------
# number LABEL WANT FILE...: a directory holding FILEs (empty scripts)
# gets version WANT.
number() {
	local label=$1 want=$2 d=$WORK/num/$1 f
	shift 2
	mkdir -p "$d"
	for f in "$@"; do
		: >"$d/$f"
	done
	if generate "num-$label" "$WORK/demo.json" "$d"; then
		expect_new "numbering/$label" "$d" "$want" "$*"
	else
		fail "numbering/$label" "$(cat "$WORK/num-$label.gen")"
	fi
}
if [ -f "$WORK/demo.json" ]; then
	number counters 4 V1__a.sql V2__b.sql V3__c.sql
	number minor 3 V1__a.sql V2__b.sql V1.1__c.sql
	number underscores 3 V1_1__a.sql V2_5__b.sql
	number leading-zeros 8 V001__a.sql V007__b.sql
	number case 3 V1__a.SQL V2__b.Sql
	number big 10 V9__a.sql V2.99__b.sql
	number timestamps "$TS" V20240101120000__a.sql V20240102093000__b.sql
	number future-timestamp 20991231000001 V20240101120000__a.sql V20991231000000__b.sql
	number baseline 6 V1__a.sql B5__baseline.sql
	number ignored 2 V1__a.sql U9__undo.sql R__views.sql V9__z.sql.conf \
		notes.txt V9x__bad.sql V__none.sql
	number long 100000000000000000000 V99999999999999999999__a.sql
else
	fail numbering "no demo plan"
fi

# ---- never overwrite, deterministic --------------------------------------
if [ -f "$WORK/demo.json" ]; then
	# U1 exists but no V: the version is 1 and its undo name is taken.
	d=$WORK/clash
	mkdir -p "$d"
	printf 'keep me\n' >"$d/U1__add_orders_index.sql"
	if generate clash "$WORK/demo.json" "$d"; then
		fail no-overwrite "generate succeeded over U1__add_orders_index.sql"
	elif [ "$(cat "$d/U1__add_orders_index.sql")" = "keep me" ] &&
		[ "$(ls "$d")" = "U1__add_orders_index.sql" ]; then
		ok no-overwrite
	else
		fail no-overwrite "files now: $(ls "$d" | tr '\n' ' ')"
	fi

	generate det1 "$WORK/demo.json" "$WORK/det1"
	generate det2 "$WORK/demo.json" "$WORK/det2"
	if [ -n "$(ls "$WORK/det1" 2>/dev/null)" ] && diff -r "$WORK/det1" "$WORK/det2" >/dev/null; then
		ok deterministic
	else
		fail deterministic "$(diff -r "$WORK/det1" "$WORK/det2" 2>&1 | head -5)"
	fi
fi
