#!/usr/bin/env bash
# The planner's promises, proven under load (`make test` runs it):
#
#   tests/suites/strategies.sh BIN
#
# For each scenario tests/strategies/NAME/ (setup.sql, desired.sql): a
# fresh database is loaded with setup.sql, `BIN plan` plans the change to
# desired.sql, and pgload (tests/tools/pgload.c) runs the plan while two
# writers insert and update rows of public.orders. The per-step figures
# pgload prints (writes done, write errors, locks the migration held)
# are checked against what each strategy promises (check_NAME below);
# then the database must match desired.sql (an empty diff), and after the
# rollback, again under writers, the schema it had after setup.
#
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_TOOLS_DIR,
# SCHEMIG_WORK, SCHEMIG_SUITE_COUNTS; SCHEMIG_PGLOAD overrides the pgload
# binary; SCHEMIG_STRATEGIES="index unique" narrows the scenarios. Never
# asserts on timing: only on counts, locks and results. A scenario may add
# check_rollback_NAME, run after its rollback.
set -uo pipefail

SUITE=strategies
# The scenarios' databases, dropped at exit when a scenario is cut short.
DBS=()
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIXTURES=$TESTS/strategies
PGLOAD=${SCHEMIG_PGLOAD:-${SCHEMIG_TOOLS_DIR:-}/pgload}
# A step that never ends (say, a backfill that keeps chasing the rows the
# writers insert) is cancelled by pgload and fails, rather than hanging.
STEP_LIMIT=${SCHEMIG_STRATEGY_STEP_TIMEOUT:-60}
LOAD_LIMIT=$((STEP_LIMIT * 10))

sql() { # DB-URL QUERY: one value
	"${PSQL[@]}" -A -t -d "$1" -c "$2"
}

if [ ! -x "$PGLOAD" ]; then
	fail "setup" "no pgload binary at '$PGLOAD' (build tests/tools/pgload.c)"
	exit 0
fi

# The lines pgload printed for steps of KIND.
lines_of() {
	grep -E "^step [0-9]+ $1 " "$2"
}
# The first 300 bytes of files, on one line, for a FAIL reason.
oneline() {
	cat "$@" 2>/dev/null | head -c 300 | tr '\n\t' '  '
}
field() { # LINE KEY
	sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# expect_step SCENARIO KIND OUT CHECK...: every step of KIND in OUT passes
# each CHECK: "ops>0" (for a step of 100 ms or more), "errors=0", "ok" (status), "nowait" (no writer
# seen waiting for a lock on the table), "no:LockMode", "has:LockMode". One ok/FAIL line per step and kind.
expect_step() {
	local name=$1 kind=$2 out=$3 lines line why c
	shift 3
	lines=$(lines_of "$kind" "$out")
	if [ -z "$lines" ]; then
		fail "$name/$kind" "the plan has no $kind step ($(grep -oE '^step [0-9]+ [a-z_]+' "$out" | cut -d' ' -f3 | tr '\n' ' '))"
		return
	fi
	while IFS= read -r line; do
		why=""
		for c in "$@"; do
			case "$c" in
			# A step shorter than 100 ms may fall between two
			# writes of a loaded machine: only a longer one must
			# have seen writes go on.
			ops\>0) [ "$(field "$line" ops)" -gt 0 ] 2>/dev/null ||
				[ "$(field "$line" ms)" -lt 100 ] 2>/dev/null ||
				why+="no write completed during the step ($(field "$line" ms) ms); " ;;
			errors=0) [ "$(field "$line" errors)" = 0 ] ||
				why+="$(field "$line" errors) write errors; " ;;
			nowait) [ "$(field "$line" waits)" = 0 ] ||
				why+="writers waited for a lock on the table; " ;;
			ok) [[ $line == *" status=ok" ]] ||
				why+="step ${line#* status=}; " ;;
			no:*) [[ ,$(field "$line" locks), != *,${c#no:},* ]] ||
				why+="held ${c#no:}; " ;;
			has:*) [[ ,$(field "$line" locks), == *,${c#has:},* ]] ||
				why+="did not hold ${c#has:} (locks=$(field "$line" locks)); " ;;
			esac
		done
		local n=${line#step }
		n=${n%% *}
		if [ -z "$why" ]; then
			ok "$name/step$n-$kind"
		else
			fail "$name/step$n-$kind" "${why%; }"
		fi
	done <<<"$lines"
}

# Per-scenario promises. $1 scenario, $2 pgload's forward output, $3 URL.
check_index() {
	expect_step "$1" create_index_concurrently "$2" ok ops\>0 errors=0 nowait \
		no:ShareLock no:AccessExclusiveLock
}
check_drop_index() {
	expect_step "$1" drop_index_concurrently "$2" ok ops\>0 errors=0 nowait \
		no:AccessExclusiveLock
}
check_foreign_key() {
	expect_step "$1" add_foreign_key_not_valid "$2" ok errors=0
	expect_step "$1" validate_constraint "$2" ok ops\>0 errors=0 nowait \
		no:AccessExclusiveLock no:ShareRowExclusiveLock
}
check_check() {
	expect_step "$1" add_check_not_valid "$2" ok errors=0
	expect_step "$1" validate_constraint "$2" ok ops\>0 errors=0 nowait \
		no:AccessExclusiveLock has:ShareUpdateExclusiveLock
}
check_not_null() {
	expect_step "$1" add_check_not_valid "$2" ok errors=0
	expect_step "$1" validate_constraint "$2" ok ops\>0 errors=0 nowait \
		no:AccessExclusiveLock
	expect_step "$1" set_not_null "$2" ok errors=0
	expect_step "$1" drop_check "$2" ok errors=0
}
check_unique() {
	expect_step "$1" create_unique_index_concurrently "$2" ok ops\>0 nowait \
		errors=0 no:ShareLock no:AccessExclusiveLock
	expect_step "$1" add_constraint_using_index "$2" ok errors=0
}
check_constant_default() {
	expect_step "$1" add_column "$2" ok errors=0
	# A constant default is stored in the catalog: one step, no backfill.
	if grep -qE '^step [0-9]+ backfill ' "$2"; then
		fail "$1/no-backfill" "a constant default was backfilled"
	else
		ok "$1/no-backfill"
	fi
}
check_volatile_default() {
	expect_step "$1" backfill "$2" ok ops\>0 errors=0 nowait
	local nulls
	nulls=$(sql "$3" "SELECT count(*) FROM orders WHERE seen_at IS NULL")
	[ "$nulls" = 0 ] && ok "$1/every-row-filled" ||
		fail "$1/every-row-filled" "$nulls rows have no seen_at"
}
check_retype_bigint() {
	local k
	for k in add_shadow_column create_sync_trigger swap_column; do
		expect_step "$1" "$k" "$2" ok errors=0
	done
	expect_step "$1" backfill "$2" ok ops\>0 errors=0 nowait
	local after
	after=$(sql "$3" "$SUM_AMOUNT")
	[ "$after" = "$BEFORE" ] && ok "$1/values-kept" ||
		fail "$1/values-kept" "amount of the original rows changed ($BEFORE -> $after)"
	local t
	t=$(sql "$3" "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount'")
	[ "$t" = bigint ] && ok "$1/type" || fail "$1/type" "amount is $t"
}
check_widen_varchar() {
	local kinds
	kinds=$(grep -oE '^step [0-9]+ [a-z_]+' "$2" | cut -d' ' -f3 | tr '\n' ' ')
	[ "$kinds" = "alter_column_type " ] && ok "$1/single-step" ||
		fail "$1/single-step" "steps: $kinds"
	expect_step "$1" alter_column_type "$2" ok errors=0
}
check_enum_value() {
	expect_step "$1" add_enum_value "$2" ok errors=0
}
check_retry_invalid_index() {
	local valid
	valid=$(sql "$3" "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = 'orders_code_key'::regclass")
	[ "$valid" = t ] && ok "$1/index-valid" ||
		fail "$1/index-valid" "orders_code_key is not valid after the plan ($valid)"
	if grep -qE '^step [0-9]+ create_(unique_)?index_concurrently .* status=ok' "$2"; then
		ok "$1/rebuilt"
	else
		fail "$1/rebuilt" "no index build ran: the invalid index was taken for the desired one"
	fi
}

# The counting trigger fired for every row inserted (pgload inserts v):
# it was never dropped, not even for a step.
counter_matches() { # CHECK-NAME URL
	local n rows
	n=$(sql "$2" "SELECT n FROM order_count")
	rows=$(sql "$2" "SELECT count(*) FROM orders WHERE v IS NOT NULL")
	[ -n "$n" ] && [ "$n" = "$rows" ] && ok "$1" ||
		fail "$1" "the trigger counted ${n:-nothing} of $rows rows: $((rows - ${n:-0})) inserts did not fire it"
}
check_trigger_counter() {
	expect_step "$1" backfill "$2" ok ops\>0 errors=0
	expect_step "$1" create_index_concurrently "$2" ok ops\>0 errors=0
	if grep -qE '^step [0-9]+ (drop|create)_trigger ' "$2"; then
		fail "$1/trigger-untouched" "the plan drops and makes the trigger again"
	else
		ok "$1/trigger-untouched"
	fi
	counter_matches "$1/every-insert-counted" "$3"
}
check_rollback_trigger_counter() {
	counter_matches "$1/every-insert-counted-in-rollback" "$3"
}

# The original rows' amounts, to compare across a type change.
SUM_AMOUNT="SELECT md5(string_agg(id || ':' || coalesce(amount::text, '-'), ',' ORDER BY id)) FROM orders WHERE id <= 50000"
BEFORE=""

run_scenario() {
	local name=$1 dir=$FIXTURES/$1 db ref u ref_u out rc
	db=strat_${name}_$$
	ref=${db}_ref
	u=$(db_url "$db")
	ref_u=$(db_url "$ref")
	out=$WORK/$name
	mkdir -p "$out"
	DBS+=("$db" "$ref")
	fresh_db "$db" || {
		fail "$name" "cannot create database $db"
		return
	}
	if ! "${PSQL[@]}" -d "$u" -f "$dir/setup.sql" >"$out/setup.log" 2>&1; then
		fail "$name/setup" "$(grep -m1 ERROR "$out/setup.log")"
		drop_db "$db"
		return
	fi
	# The schema after setup, kept for the rollback check: a copy made
	# before any writer connects.
	sql "$URL" "CREATE DATABASE $ref TEMPLATE $db" >/dev/null
	[ "$name" = retype_bigint ] && BEFORE=$(sql "$u" "$SUM_AMOUNT")

	rc=0
	"$BIN" plan --from "$u" --to "$dir/desired.sql" --out "$out/plan.json" \
		--format text >"$out/plan.txt" 2>"$out/plan.err" || rc=$?
	if [ ! -s "$out/plan.json" ] || [ "$rc" -gt 1 ]; then
		fail "$name/plan" "exit $rc: $(oneline "$out/plan.err")"
	else
		ok "$name/plan"
		rc=0
		timeout "$LOAD_LIMIT" "$PGLOAD" --url "$u" --table public.orders \
			--writers 2 --step-timeout "$STEP_LIMIT" \
			--plan "$out/plan.json" >"$out/forward.txt" 2>"$out/forward.err" || rc=$?
		if [ "$rc" -eq 0 ]; then
			ok "$name/forward"
		else
			fail "$name/forward" "pgload exit $rc: $(grep -h -m1 -E 'status=failed|pgload:|Sanitizer' "$out/forward.txt" "$out/forward.err" | head -n 1 | cut -c1-300)"
		fi
		"check_$name" "$name" "$out/forward.txt" "$u"
		local total
		total=$(grep '^total ' "$out/forward.txt")
		[ "$(field " $total" errors)" = 0 ] && ok "$name/no-write-errors" ||
			fail "$name/no-write-errors" "$(grep -m1 '^first_error' "$out/forward.txt")"

		rc=0
		"$BIN" diff --from "$u" --to "$dir/desired.sql" --exit-code \
			>"$out/after.sql" 2>"$out/after.err" || rc=$?
		[ "$rc" -eq 0 ] && ok "$name/converged" ||
			fail "$name/converged" "diff exit $rc: $(oneline "$out/after.sql" "$out/after.err")"

		rc=0
		timeout "$LOAD_LIMIT" "$PGLOAD" --url "$u" --table public.orders \
			--writers 2 --step-timeout "$STEP_LIMIT" \
			--plan "$out/plan.json" --rollback >"$out/rollback.txt" 2>"$out/rollback.err" || rc=$?
		if [ "$rc" -eq 0 ]; then
			ok "$name/rollback"
		else
			fail "$name/rollback" "pgload exit $rc: $(grep -h -m1 -E 'status=failed|pgload:|Sanitizer' "$out/rollback.txt" "$out/rollback.err" | head -n 1 | cut -c1-300)"
		fi
		if declare -F "check_rollback_$name" >/dev/null; then
			"check_rollback_$name" "$name" "$out/rollback.txt" "$u"
		fi
		if [ -f "$dir/irreversible" ]; then
			echo "skip strategies/$name/rolled-back: $(head -n1 "$dir/irreversible")"
		else
			rc=0
			"$BIN" diff --from "$u" --to "$ref_u" --exit-code \
				>"$out/back.sql" 2>"$out/back.err" || rc=$?
			[ "$rc" -eq 0 ] && ok "$name/rolled-back" ||
				fail "$name/rolled-back" "diff exit $rc: $(oneline "$out/back.sql" "$out/back.err")"
		fi
	fi
	drop_db "$db" "$ref"
}

for dir in "$FIXTURES"/*/; do
	name=$(basename "$dir")
	[ -f "$dir/setup.sql" ] || continue
	if [ -n "${SCHEMIG_STRATEGIES:-}" ] && [[ " $SCHEMIG_STRATEGIES " != *" $name "* ]]; then
		continue
	fi
	run_scenario "$name"
done
suite_end
