#!/usr/bin/env bash
# No view is missing between steps (`make test` runs it):
#
#   tests/suites/viewgap.sh BIN      (suite contract: tests/run.sh)
#
# Views whose own definitions change, over a column retyped by expand and
# contract (shadow column, backfill, swap), one stacked on another, and a
# materialized view, beside a concurrent index build and a foreign key
# validated beside the old one (tests/viewgap/), with 6,000 rows; then the
# demo's v1 schema towards v2 with as many rows. For each: the plan names
# no window ("is missing from step"), drops and makes the views again in
# one step, and a dry run passes both proofs while a reader session
# queries the views all along (forward steps and rollback), with no error
# and at least MIN_READS answers. Then every views/gap_* case plans with
# no window, and `git schemig demo` shows a verdict without one. Never
# asserts on timing.
set -uo pipefail

SUITE=viewgap
DB="viewgap_$$"
DBS="viewgap_demo_$$"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/viewgap
MIN_READS=20
# A reader left running by an early exit.
suite_cleanup() {
	touch "$WORK/stop" 2>/dev/null
	[ -n "${READER:-}" ] && wait "$READER" 2>/dev/null
}

# reader NAME URL QUERY: one session running QUERY over and over until
# $WORK/stop exists; answers into NAME.out, errors into NAME.err. ON_ERROR
# _STOP is off: a failed query is counted, not the end of the session.
# Each view is read by a statement of its own, as an application does: one
# statement reading several views could take their locks in the opposite
# order to the step that drops them, and one of the two would be chosen
# as a deadlock's victim.
reader() {
	rm -f "$WORK/stop"
	(
		while [ ! -e "$WORK/stop" ]; do
			echo "$3"
			sleep 0.01
		done | psql -X -At -v ON_ERROR_STOP=0 -d "$2" \
			>"$WORK/$1.out" 2>"$WORK/$1.err"
	) &
	READER=$!
	# It answers before the dry run starts.
	for _ in $(seq 1 200); do
		[ -s "$WORK/$1.out" ] && break
		sleep 0.05
	done
}

stop_reader() {
	touch "$WORK/stop"
	wait "$READER"
	READER=
}

# no_window NAME PLAN_TEXT: the verdict names no view missing between steps.
no_window() {
	if grep -q "is missing from step" "$2"; then
		fail "$1/no-window" "$(grep -m3 'is missing from step' "$2")"
	else
		ok "$1/no-window"
	fi
}

# scenario NAME URL TARGET QUERY: plan, then dry-run with a reader.
scenario() {
	local name=$1 u=$2 to=$3 query=$4 reads errs
	"$BIN" plan --from "$u" --to "$to" "${DEVOPT[@]}" --batch-size 500 \
		--out "$WORK/$name.json" >"$WORK/$name.plan" 2>&1
	check "$name/plan" $? "$(head -c 400 "$WORK/$name.plan")"
	no_window "$name" "$WORK/$name.plan"
	grep -q "dropped and made again in this one transaction" \
		"$WORK/$name.plan"
	check "$name/one-step" $? "$(grep -E '^ +[0-9]+\.' "$WORK/$name.plan")"
	# The rollback makes the old views again in its own one step too.
	python3 - "$WORK/$name.json" >"$WORK/$name.rb" 2>&1 <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
def drops(f):
    return "DROP VIEW" in f or "DROP MATERIALIZED VIEW" in f
both = [s for s in p["steps"] if drops(s["forward"]) and "CREATE " in s["forward"]]
assert both, "no step drops and makes a view"
for s in both:
    rb = s["rollback"] or ""
    assert s["transactional"] and s["rollback_transactional"], s["n"]
    assert "DROP " in rb and "CREATE " in rb and "VIEW" in rb, (s["n"], rb)
for s in p["steps"]:
    if s not in both and drops(s["forward"]):
        raise SystemExit("step %d drops a view alone" % s["n"])
PY
	check "$name/rollback-one-step" $? "$(cat "$WORK/$name.rb")"

	reader "$name.reader" "$u" "$query"
	"$BIN" dry-run --plan "$WORK/$name.json" --on "$u" \
		>"$WORK/$name.run" 2>&1
	local rc=$?
	stop_reader
	check "$name/dry-run" $rc "$(tail -c 600 "$WORK/$name.run")"
	grep -q "forward proof (reaches the target): ok" "$WORK/$name.run" &&
		grep -q "rollback proof (back to the source): ok" "$WORK/$name.run"
	check "$name/proofs" $? "$(tail -c 600 "$WORK/$name.run")"
	reads=$(grep -c . "$WORK/$name.reader.out")
	errs=$(grep -c "ERROR" "$WORK/$name.reader.err")
	[ "$errs" = 0 ]
	check "$name/reader-no-error" $? \
		"$errs failed queries: $(grep -m3 ERROR "$WORK/$name.reader.err")"
	[ "$reads" -ge "$MIN_READS" ]
	check "$name/reader-answers" $? "$reads answers, want $MIN_READS"
	echo "    $name: $reads answers to the reader, $errs errors"
}

# ---- views over an expanded and contracted column -------------------------
if load_db "$DB" -f "$FIX/source.sql" -f "$FIX/data.sql"; then
	scenario retype "$(db_url "$DB")" "$FIX/desired.sql" \
		"SELECT count(*) FROM order_totals; SELECT count(*) FROM big_customers; SELECT count(*) FROM qty_by_customer;"
else
	fail retype/setup "cannot load $FIX/source.sql"
fi

# ---- the demo's schemas, v1 towards v2 -------------------------------------
if load_db "$DBS" -f "$ROOT/demo/v1.sql" -f "$FIX/demo_data.sql"; then
	scenario demo-schemas "$(db_url "$DBS")" "$ROOT/demo/v2.sql" \
		"SELECT count(*) FROM order_totals;"
else
	fail demo-schemas/setup "cannot load demo/v1.sql"
fi

# ---- the views/gap_* cases plan without a window ---------------------------
for c in "$TESTS"/cases/views/gap_*/; do
	n=$(basename "$c")
	if load_db "$DB" -f "$c/current.sql"; then
		"$BIN" plan --from "$(db_url "$DB")" --to "$c/desired.sql" \
			"${DEVOPT[@]}" >"$WORK/$n.plan" 2>&1
		check "cases/$n/plan" $? "$(head -c 400 "$WORK/$n.plan")"
		no_window "cases/$n" "$WORK/$n.plan"
	else
		fail "cases/$n/setup" "cannot load $c/current.sql"
	fi
done

# ---- git schemig demo: its verdict names no window -------------------------
(cd "$WORK" && env -u SCHEMIG_DEMO_LLM_PROVIDER -u SCHEMIG_DEMO_LLM_MODEL \
	-u ANTHROPIC_API_KEY -u OPENAI_API_KEY "$BIN" demo >"$WORK/demo.out" 2>&1)
check demo/runs $? "$(tail -c 600 "$WORK/demo.out")"
grep -q "order_totals" "$WORK/demo.out"
check demo/shows-the-view $? "$(grep -n '^==' "$WORK/demo.out" | head)"
no_window demo "$WORK/demo.out"

suite_end
