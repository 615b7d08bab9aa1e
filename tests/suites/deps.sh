#!/usr/bin/env bash
# Triggers, views and policies step aside only for the columns they depend on
# (`make test` runs it):
#
#   tests/suites/deps.sh BIN
#
# Runs on cases of tests/cases (whose four modes prove that the
# migrations converge) and checks what the migrations do to one trigger
# or view:
#
#   untouched CASE NAME   the live diff, the offline diff and the plan never
#                         mention NAME: a change to columns it does not
#                         read leaves it alone
#   one_step CASE NAME [CHANGE]
#                         the plan drops NAME and makes it again in the same
#                         step as the column change (the first ALTER TABLE
#                         that retypes or drops a column, or matches CHANGE):
#                         one transaction, no row escapes the trigger, no
#                         query finds the view or policy missing; and the
#                         verdict names no window
#   window CASE OBJECT    a trigger that stays missing for some steps is
#                         named by the verdict
#
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_DEV_URL,
# SCHEMIG_WORK, SCHEMIG_SUITE_COUNTS.
set -uo pipefail

SUITE=deps
DB=deps_$$
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
CASES=$TESTS/cases

# Load CASE's current.sql and write, into $WORK/CASE-as-file-name/: the
# live diff (live.sql), the offline diff (file.sql), the plan as text
# (plan.txt) and as SQL (plan.sql). Fails (1) with a FAIL line when a
# command does.
migrations() {
	local case=$1 out=$2 u
	u=$(db_url "$DB")
	mkdir -p "$out"
	load_db "$DB" -f "$CASES/$case/current.sql" 2>"$out/load.log" ||
		{
			fail "$case" "current.sql does not load"
			return 1
		}
	"$BIN" diff --from "$u" --to "$CASES/$case/desired.sql" --format sql >"$out/live.sql" 2>"$out/err" &&
		env -u SCHEMIG_DEV_URL -u SCHEMIG_TEST_PG_URL "$BIN" diff --from "$CASES/$case/current.sql" \
			--to "$CASES/$case/desired.sql" --format sql >"$out/file.sql" 2>>"$out/err" &&
		"$BIN" plan --from "$u" --to "$CASES/$case/desired.sql" --out "$out/plan.json" \
			--format text >"$out/plan.txt" 2>>"$out/err" &&
		"$BIN" plan --plan "$out/plan.json" --format sql >"$out/plan.sql" 2>>"$out/err" ||
		{
			fail "$case" "schemig failed: $(head -c 300 "$out/err" | tr '\n' ' ')"
			return 1
		}
}

untouched() {
	local case=$1 name=$2 out=$WORK/${1//\//_} f hit=""
	migrations "$case" "$out" || return
	for f in live.sql file.sql plan.sql; do
		grep -qw -- "$name" "$out/$f" && hit+="$f "
	done
	if [ -z "$hit" ]; then
		ok "$case/$name-untouched"
	else
		fail "$case/$name-untouched" "mentioned in ${hit% }: $(grep -hw -m1 -- "$name" "$out/live.sql" "$out/plan.sql" | head -n1)"
	fi
}

# The number of the plan step whose SQL holds a line matching REGEX, or
# nothing.
step_of() { # PLAN-SQL REGEX
	awk -v re="$2" '/^-- step [0-9]+:/ { n = $3; sub(":", "", n) } $0 ~ re { print n; exit }' "$1"
}

one_step() {
	local case=$1 name=$2 out=$WORK/${1//\//_} d cr ch
	migrations "$case" "$out" || return
	d=$(step_of "$out/plan.sql" "^DROP (TRIGGER|VIEW|MATERIALIZED VIEW|POLICY) ([a-z_]*\\.)?$name[ ;]")
	cr=$(step_of "$out/plan.sql" "^CREATE (TRIGGER $name |POLICY $name |(MATERIALIZED )?VIEW [a-z_.]*\\.$name AS)")
	ch=$(step_of "$out/plan.sql" "^ALTER TABLE .* ${3:-(TYPE|DROP COLUMN|RENAME COLUMN) }")
	if [ -n "$d" ] && [ "$d" = "$cr" ] && [ "$d" = "$ch" ]; then
		ok "$case/$name-one-step"
	else
		fail "$case/$name-one-step" "dropped at step ${d:-none}, made again at step ${cr:-none}, column changed at step ${ch:-none}"
	fi
	if grep -q "is missing from step" "$out/plan.txt"; then
		fail "$case/$name-no-window" "$(grep -m1 'is missing from step' "$out/plan.txt")"
	else
		ok "$case/$name-no-window"
	fi
}

# A window that remains is named by the verdict.
window() {
	local case=$1 object=$2 out=$WORK/${1//\//_}
	migrations "$case" "$out" || return
	if grep -q "trigger $object is missing from step" "$out/plan.txt"; then
		ok "$case/$object-window-named"
	else
		fail "$case/$object-window-named" "no reason names the trigger's window: $(grep -E '^ +[0-9]+\.' "$out/plan.txt" | tr -s ' ' | tr '\n' ';')"
	fi
}

untouched triggers/when_unrelated_column_changes events_count
one_step triggers/when_column_type_change events_count
one_step triggers/update_of_column_type_change docs_touch
untouched triggers/update_of_column_type_change docs_touch_c
untouched views/unrelated_column_dropped t_a
untouched views/materialized_unrelated_column_dropped t_sum
untouched views/view_on_view_unrelated_column t_ab
untouched views/view_on_view_unrelated_column t_a
one_step views/view_on_view_column_type_change t_ab
one_step views/view_on_view_column_type_change t_a
untouched views/view_on_view_column_type_change t_b
window triggers/window_named public.docs.docs_touch
untouched rls/policy_column_deps p_owner
one_step rls/policy_column_deps p_size "ALTER COLUMN size TYPE "
suite_end
