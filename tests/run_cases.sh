#!/usr/bin/env bash
# Run the diff acceptance cases under tests/cases/<kind>/<name>/.
#
#   tests/run_cases.sh BIN [FILTER...]
#
# BIN is git-schemig; FILTERs (substrings of "kind/name") pick a subset.
# Needs SCHEMIG_TEST_PG_URL (a superuser URL to the "postgres" database of a
# throwaway server, see tests/pg.sh) and SCHEMIG_DEV_URL.  Every case runs
# these modes (see tests/cases/README.md):
#
#   1 live     diff a live database loaded with current.sql to desired.sql
#   2 file     diff current.sql to desired.sql with no server at all
#   3 reverse  diff a live database loaded with desired.sql to current.sql
#   4 plan     plan from a live database loaded with current.sql to
#              desired.sql, apply every step (psql), expect no diff left
#              and the target's dump; then apply every rollback in reverse
#              order and expect no diff from current.sql
#
# A mode passes when its migration applies, the migrated database dumps
# exactly like one loaded from the target file, and diffing again prints
# nothing.  Prints one line per failing case-mode and the totals; writes
# "PASSED FAILED" to $SCHEMIG_CASES_COUNTS when that is set.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CASES_DIR=${SCHEMIG_CASES_DIR:-$HERE/cases}
JOBS=${SCHEMIG_CASES_JOBS:-3}
DIFF_TIMEOUT=${SCHEMIG_DIFF_TIMEOUT:-120}
DETAIL_LINES=40

# Warnings and errors only: NOTICEs from loading the cases are noise.
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

# shellcheck source=tests/cases_lib.sh
. "$HERE/cases_lib.sh"

die() {
	echo "run_cases.sh: $*" >&2
	exit 2
}

# The URL of database $1 on the test server: swap the database name in
# SCHEMIG_TEST_PG_URL ("postgresql:///postgres?host=...").
db_url() {
	local base=$SCHEMIG_TEST_PG_URL
	local scheme=${base%%://*} rest=${base#*://}
	local hostpart=${rest%%/*} after=${rest#*/}
	local query=""
	case "$after" in *\?*) query="?${after#*\?}" ;; esac
	echo "$scheme://$hostpart/$1$query"
}

q() { # psql on the maintenance database, quiet, stop at the first error
	psql -X -q -v ON_ERROR_STOP=1 -d "$SCHEMIG_TEST_PG_URL" "$@"
}

# FILE_COPY (PostgreSQL 15+) copies the template's files instead of
# writing every page of it to the WAL: on the test server, where fsync is
# off and a checkpoint costs nothing, that halves the time of a CREATE
# DATABASE, and every case creates five.
create_db() { # NAME FILE LOG
	q -c "CREATE DATABASE \"$1\"${CREATE_STRATEGY:-}" >>"$3" 2>&1 &&
		psql -X -q -v ON_ERROR_STOP=1 -d "$(db_url "$1")" -f "$2" >>"$3" 2>&1
}

# A database loaded with current.sql, copied from the pristine one the
# case loaded first rather than loaded again: the realworld files take
# longer to load than to copy. CREATE DATABASE waits (5 s) for the
# sessions of an earlier step on the template to end.
copy_current() { # NAME LOG
	q -c "CREATE DATABASE \"$1\" TEMPLATE \"${PRE}_cur0\"${CREATE_STRATEGY:-}" >>"$2" 2>&1
}

apply_sql() { # NAME FILE LOG
	psql -X -q -v ON_ERROR_STOP=1 -d "$(db_url "$1")" -f "$2" >>"$3" 2>&1
}

# The oracle: pg_dump's view of a database, minus what differs between
# two databases holding the same schema (comments, SET lines, the
# per-run \restrict key, the database's own name).
dump_db() { # NAME OUT LOG
	pg_dump --schema-only --no-owner -d "$(db_url "$1")" 2>>"$3" >"$2.raw" || return 1
	sed -e '/^--/d' -e '/^[[:space:]]*$/d' -e '/^SET /d' -e '/set_config(/d' \
		-e '/^\\restrict /d' -e '/^\\unrestrict /d' -e "s/\\b$1\\b/DB/g" "$2.raw" >"$2"
}

# BIN diff with a time limit; stdout to $3, stderr to $4.
run_diff() { # FROM TO OUT ERR
	timeout "$DIFF_TIMEOUT" "$BIN" diff --from "$1" --to "$2" --format sql >"$3" 2>"$4"
}

# run_diff without any server in reach: file-to-file diffs must not need one.
run_diff_offline() {
	env -u SCHEMIG_DEV_URL -u SCHEMIG_TEST_PG_URL -u PGHOST -u PGPORT -u PGDATABASE \
		timeout "$DIFF_TIMEOUT" "$BIN" diff --from "$1" --to "$2" --format sql >"$3" 2>"$4"
}

# ---- one case (runs in a worker) -----------------------------------------

compare_dumps() { # GOT-DB WANT-DUMP WORK WHAT
	dump_db "$1" "$3/$1.dump" "$3/log" || { fail "pg_dump of the migrated database failed" "$3/log"; return 1; }
	if ! diff -u "$2" "$3/$1.dump" >"$3/$1.dumpdiff"; then
		fail "$4: migrated schema differs from the target (- target, + migrated)" "$3/$1.dumpdiff"
	fi
}

# Modes 1 and 3: migrate database DB (loaded with the source file; created
# here unless SRC-FILE is "-") to the target file, compare with the
# target's dump, diff again.
mode_live() { # DB TARGET-FILE TARGET-DUMP PRISTINE-TARGET-DB WORK SRC-FILE
	local db=$1 target=$2 tdump=$3 tdb=$4 w=$5 src=$6 out rc
	if [ "$src" != - ]; then
		copy_current "$db" "$w/log" || { fail "copying the database loaded with $(basename "$src") failed" "$w/log"; return 1; }
	fi
	out=$w/$db.mig.sql
	run_diff "$(db_url "$db")" "$target" "$out" "$out.err"
	rc=$?
	diff_ok $rc "$out" "$out.err" "diff" || return 1
	if [ "$EXPECT_EMPTY" = 1 ] && [ -s "$out" ]; then
		fail "expect-empty: the diff is not empty" "$out"
		return 1
	fi
	# The partial route (only what differs is loaded into the scratch
	# database) must say exactly what loading the whole file says.
	SCHEMIG_FULL_LOAD=1 run_diff "$(db_url "$db")" "$target" "$out.full" "$out.full.err"
	rc=$?
	diff_ok $rc "$out.full" "$out.full.err" "diff loading the whole file" || return 1
	if ! diff -u "$out.full" "$out" >"$out.routes"; then
		fail "the partial route's migration differs from the whole file's (- whole, + partial)" "$out.routes"
		return 1
	fi
	apply_sql "$db" "$out" "$w/$db.apply.log" ||
		{
			cat "$out" >>"$w/$db.apply.log"
			fail "the migration does not apply (psql error, then the migration)" "$w/$db.apply.log"
			return 1
		}
	compare_dumps "$db" "$tdump" "$w" "oracle" || return 1
	check_empty "$(db_url "$db")" "$target" "$w/$db.again.sql" "convergence: diff after migrating" || return 1
	check_empty "$(db_url "$tdb")" "$target" "$w/$db.same.sql" "diff of a database loaded with the target itself"
}

# Mode 2: file to file, offline; applied to a fresh database.
mode_file() { # DB WORK
	local db=$1 w=$2 out=$2/$1.mig.sql rc
	run_diff_offline "$CASE/current.sql" "$CASE/desired.sql" "$out" "$out.err"
	rc=$?
	diff_ok $rc "$out" "$out.err" "offline file diff" || return 1
	if [ "$EXPECT_EMPTY" = 1 ] && [ -s "$out" ]; then
		fail "expect-empty: the file diff is not empty" "$out"
		return 1
	fi
	copy_current "$db" "$w/log" || { fail "copying the database loaded with current.sql failed" "$w/log"; return 1; }
	apply_sql "$db" "$out" "$w/$db.apply.log" ||
		{
			cat "$out" >>"$w/$db.apply.log"
			fail "the migration does not apply (psql error, then the migration)" "$w/$db.apply.log"
			return 1
		}
	compare_dumps "$db" "$w/want.dump" "$w" "oracle" || return 1
	check_empty "$CASE/desired.sql" "$CASE/desired.sql" "$w/$db.self.sql" "offline diff of desired.sql with itself" offline
}

# Mode 4: the safe plan converges both ways. Expand and contract moves a
# retyped column to the end of its table, which schemig's diff ignores
# but pg_dump shows, so the dump oracle is skipped for such plans; enum
# values cannot be removed, so a plan adding one is not rolled back.
mode_plan() { # DB WORK
	local db=$1 w=$2 pf=$2/$1.plan.json rc
	copy_current "$db" "$w/log" || { fail "copying the database loaded with current.sql failed" "$w/log"; return 1; }
	local online=()
	has_option plan-online && online=(--rebuild-online-ms 0)
	timeout "$DIFF_TIMEOUT" "$BIN" plan --from "$(db_url "$db")" --to "$CASE/desired.sql" \
		"${online[@]}" --out "$pf" --format text >"$pf.txt" 2>"$pf.err"
	rc=$?
	diff_ok $rc "$pf.err" "$pf.err" "plan" || return 1
	"$BIN" plan --plan "$pf" --format sql >"$w/$db.fwd.sql" 2>>"$w/log" &&
		"$BIN" plan --plan "$pf" --format sql --rollback >"$w/$db.rb.sql" 2>>"$w/log" ||
		{ fail "plan --plan could not render the plan file" "$w/log"; return 1; }
	apply_sql "$db" "$w/$db.fwd.sql" "$w/$db.apply.log" ||
		{
			cat "$w/$db.fwd.sql" >>"$w/$db.apply.log"
			fail "the plan does not apply (psql error, then the plan)" "$w/$db.apply.log"
			return 1
		}
	if ! grep -q '^-- step [0-9]*: swap_column' "$w/$db.fwd.sql"; then
		compare_dumps "$db" "$w/want.dump" "$w" "plan oracle" || return 1
	fi
	check_empty "$(db_url "$db")" "$CASE/desired.sql" "$w/$db.pagain.sql" "convergence: diff after the plan" || return 1
	grep -q '^-- step [0-9]*: add_enum_value' "$w/$db.fwd.sql" && return 0
	apply_sql "$db" "$w/$db.rb.sql" "$w/$db.rb.log" ||
		{
			cat "$w/$db.rb.sql" >>"$w/$db.rb.log"
			fail "the rollback does not apply (psql error, then the rollback)" "$w/$db.rb.log"
			return 1
		}
	check_empty "$(db_url "$db")" "$CASE/current.sql" "$w/$db.pback.sql" "rollback: diff from current.sql after the rollback"
}

# Prints "PASS|FAIL MODE NAME [reason]" lines into $W/result and the
# details of each failure into $W/detail.<mode>.
run_one() { # IDX CASE-DIR
	local idx=$1 pre modes m name rc started=$SECONDS
	CASE=$(cd "$2" && pwd)
	name=${CASE#"$CASES_DIR"/}
	W=$RESULTS/$idx
	mkdir -p "$W"
	: >"$W/result"
	pre="sc${RUN_TAG}_$idx"
	PRE=$pre
	EXPECT_EMPTY=0
	has_option expect-empty && EXPECT_EMPTY=1
	modes="1:live"
	has_option no-file-mode || modes="$modes 2:file"
	# With the same file on both sides, the reverse mode is the live mode
	# again, and these are the cases with the biggest files.
	has_option no-reverse-mode || cmp -s "$CASE/current.sql" "$CASE/desired.sql" ||
		modes="$modes 3:reverse"
	has_option no-plan-mode || modes="$modes 4:plan"

	# The two pristine databases every oracle compares against. A
	# desired.sql written out of dependency order (psql runs statements
	# as they come) names, with oracle-ordered, the same schema in an
	# order psql loads; desired.sql itself still goes to schemig.
	local want_file=$CASE/desired.sql ordered
	ordered=$(option_value oracle-ordered)
	[ -z "$ordered" ] || want_file=$CASE/$ordered
	REASON=""
	if ! create_db "${pre}_want" "$want_file" "$W/log"; then
		fail "desired.sql does not load" "$W/log"
	elif ! create_db "${pre}_cur0" "$CASE/current.sql" "$W/log"; then
		fail "current.sql does not load" "$W/log"
	elif ! dump_db "${pre}_want" "$W/want.dump" "$W/log" || ! dump_db "${pre}_cur0" "$W/cur0.dump" "$W/log"; then
		fail "pg_dump failed" "$W/log"
	fi
	if [ -n "$REASON" ]; then
		for m in $modes; do
			echo "FAIL ${m%%:*} $name ${m#*:}: $REASON" >>"$W/result"
			cp "$DETAIL" "$W/detail.${m%%:*}" 2>/dev/null
		done
	else
		for m in $modes; do
			REASON=""
			DETAIL=""
			case "${m%%:*}" in
			1) mode_live "${pre}_cur" "$CASE/desired.sql" "$W/want.dump" "${pre}_want" "$W" "$CASE/current.sql" ;;
			2) mode_file "${pre}_fil" "$W" ;;
			4) mode_plan "${pre}_pln" "$W" ;;
			# Creating databases is the slow part: mode 3 migrates the
			# pristine desired database, which nothing needs after mode 1.
			3) mode_live "${pre}_want" "$CASE/current.sql" "$W/cur0.dump" "${pre}_cur0" "$W" - ;;
			esac
			rc=$?
			if [ $rc -eq 0 ]; then
				echo "PASS ${m%%:*} $name ${m#*:}" >>"$W/result"
			else
				echo "FAIL ${m%%:*} $name ${m#*:}: ${REASON:-failed}" >>"$W/result"
				[ -n "$DETAIL" ] && cp "$DETAIL" "$W/detail.${m%%:*}" 2>/dev/null
			fi
		done
	fi

	if [ -z "${SCHEMIG_CASES_KEEP:-}" ]; then
		local drops=()
		for m in want cur0 cur fil pln; do
			drops+=(-c "DROP DATABASE IF EXISTS \"${pre}_$m\" WITH (FORCE)")
		done
		psql -X -q -d "$SCHEMIG_TEST_PG_URL" "${drops[@]}" >/dev/null 2>&1
	fi
	echo "$((SECONDS - started)) $name" >"$W/secs"
}

# ---- main ------------------------------------------------------------------

# All in one function: bash has read the whole of it before running any,
# so editing this file during a run cannot derail the run.
main() {
	if [ "${1:-}" = "--one" ]; then
		BIN=$2
		run_one "${3%%:*}" "${3#*:}"
		exit 0
	fi

	[ $# -ge 1 ] || die "usage: tests/run_cases.sh BIN [FILTER...]"
	BIN=$1
	shift
	case "$BIN" in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
	[ -x "$BIN" ] || die "$BIN is not an executable"
	[ -n "${SCHEMIG_TEST_PG_URL:-}" ] || die "SCHEMIG_TEST_PG_URL is not set (see tests/pg.sh)"
	export SCHEMIG_DEV_URL=${SCHEMIG_DEV_URL:-$SCHEMIG_TEST_PG_URL}
	# psql and pg_dump of the server's own version, without Debian's Perl
	# wrapper (~60 ms a call; tests/run.sh does the same for the suites).
	if pgbin=$("$HERE/pg.sh" bindir 2>/dev/null) && [ -x "$pgbin/psql" ]; then
		export PATH=$pgbin:$PATH
	fi
	psql -X -q -d "$SCHEMIG_TEST_PG_URL" -c 'SELECT 1' >/dev/null || die "cannot connect to the test server"

	RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/schemig-cases.XXXXXX")
	if [ -n "${SCHEMIG_CASES_KEEP:-}" ]; then
		echo "keeping the work files in $RESULTS and the databases"
	else
		trap 'rm -rf "$RESULTS"' EXIT
	fi
	RUN_TAG=$$
	CREATE_STRATEGY=""
	[ "$(q -tAc 'SHOW server_version_num')" -ge 150000 ] && CREATE_STRATEGY=" STRATEGY FILE_COPY"
	export RESULTS RUN_TAG CASES_DIR DIFF_TIMEOUT SCHEMIG_TEST_PG_URL CREATE_STRATEGY

	cases_list "$CASES_DIR" "$@"
	if [ ${#list[@]} -eq 0 ]; then
		# A filter that matches nothing (SCHEMIG_CASES=none) runs no case.
		[ $# -gt 0 ] || die "no cases found under $CASES_DIR"
		echo "cases: none matches $*"
		[ -z "${SCHEMIG_CASES_COUNTS:-}" ] || echo "0 0" >"$SCHEMIG_CASES_COUNTS"
		exit 0
	fi

	started=$(date +%s)
	printf '%s\0' "${list[@]}" | xargs -0 -n1 -P"$JOBS" "$HERE/run_cases.sh" --one "$BIN"

	cases_report cases "$started" "$DETAIL_LINES"
}

main "$@"
