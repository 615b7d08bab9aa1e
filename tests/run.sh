#!/usr/bin/env bash
# The whole test suite, as `make test` runs it:
#
#   tests/run.sh BIN [UNIT_BIN...]
#
# Runs every unit test program, every diff case (tests/run_cases.sh BIN)
# and every suite (tests/suites/NAME.sh BIN), each against a throwaway
# PostgreSQL (tests/pg.sh).  Ends with one line "N passed, N failed"
# counting unit programs, case-modes and suite checks; exits non-zero when
# anything failed.
#
# The cases and the rest run at the same time, in lanes that share nothing
# but the machine: the cases (SCHEMIG_CASES_JOBS workers) on a server of
# their own, and SCHEMIG_TEST_LANES (default 2) lanes that each start their
# own server and take the unit programs and the suites one at a time, the
# slowest first.  Within a lane one program or suite runs at a time, so a
# suite sees its server exactly as when everything ran in a row: no other
# suite's sessions, databases or roles.  Each program's, suite's and the
# cases' output is printed whole once it has finished.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
UNIT_TIMEOUT=${SCHEMIG_UNIT_TIMEOUT:-300}
LANES=${SCHEMIG_TEST_LANES:-2}

# The longest items first, so that no lane starts one of them last and
# runs alone at the end (seconds with the cases running alongside on two
# busy cores: apply 95, deep 81, emit_knex 70, strategies 68, demo 65
# (measured alone), retype 54, viewgap 45, sandbox 55, ci and emit_alembic 50,
# test_pg_tree ~35; draft 40, credential and advice ~20 each; mysql_server
# ~60 alone, most of it the cases through the scratch route).
# Everything not named here follows in name order, units before suites.
SLOW_FIRST="suite:apply suite:deep suite:emit_knex suite:strategies suite:demo suite:mysql_server suite:retype suite:viewgap suite:sandbox
	unit:test_pg_tree suite:ci suite:emit_alembic unit:test_devtemplate suite:deps
	suite:redact suite:replica suite:report suite:unmodelled suite:emit_flyway suite:fuzz suite:dryrun
	suite:fwrecord suite:guardrails suite:draft suite:emit_mysql unit:test_source suite:lint suite:emit_sql"

PGDIRS=()
MYDIR=
TOP=
cleanup() {
	local d
	for d in ${PGDIRS[@]+"${PGDIRS[@]}"}; do
		"$HERE/pg.sh" stop "$d" >/dev/null 2>&1
	done
	[ -z "$MYDIR" ] || "$HERE/mariadb.sh" stop "$MYDIR" >/dev/null 2>&1
	rm -rf "$TOP"
}

# Print a finished item's output in one piece: lanes and the cases finish
# at any time, and their lines must not interleave.
emit() { # FILE
	flock "$WORK/print.lock" cat "$1"
}

# One unit program: "ok   unit NAME" or FAIL with the failing tests and
# the end of its output; "passed failed" into COUNTS.
run_unit() { # PROGRAM OUT COUNTS
	local name rc log
	name=$(basename "$1")
	log=$WORK/$name.log
	timeout "$UNIT_TIMEOUT" "$1" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok   unit $name" >"$2"
		echo "1 0" >"$3"
	else
		{
			[ $rc -eq 124 ] && echo "FAIL unit $name (timed out after ${UNIT_TIMEOUT}s)" ||
				echo "FAIL unit $name (exit $rc)"
			# cmocka prints one line per test; keep the failing ones and the end.
			grep -E '^\[  (FAILED|ERROR) ' "$log" | sed 's/^/    | /'
			tail -n 30 "$log" | sed 's/^/    | /'
		} >"$2"
		echo "0 1" >"$3"
	fi
}

# Suites: tests/suites/NAME.sh BIN, each printing "ok   ..." / "FAIL ..."
# lines and writing "passed failed" into $SCHEMIG_SUITE_COUNTS.
run_suite() { # SCRIPT OUT COUNTS
	local sname scounts t0
	sname=$(basename "$1" .sh)
	scounts=$WORK/suite-$sname
	rm -f "$scounts"
	t0=$(date +%s)
	SCHEMIG_SUITE_COUNTS=$scounts SCHEMIG_WORK=$WORK bash "$1" "$BIN" >"$2" 2>&1 </dev/null
	echo "suite $sname: $(($(date +%s) - t0))s" >>"$2"
	if [ -s "$scounts" ]; then
		cp "$scounts" "$3"
	else
		echo "FAIL suite $sname did not finish" >>"$2"
		echo "0 1" >"$3"
	fi
}

# One lane: start its server, then take the queue's items one at a time.
# An item is taken by creating its claim directory (mkdir is atomic), so
# each runs once whichever lane gets there first. A lane whose server
# does not start takes nothing; the others do its share.
run_lane() { # N
	local dir=${PGDIRS[$1]} url item key
	if ! url=$("$HERE/pg.sh" start "$dir" 2>"$WORK/lane$1.err"); then
		{
			echo "lane $1: cannot start its PostgreSQL server (the other lanes run its share)"
			sed 's/^/    | /' "$WORK/lane$1.err"
		} >"$WORK/lane$1.out"
		emit "$WORK/lane$1.out"
		return 0
	fi
	export SCHEMIG_TEST_PG_URL=$url
	# schemig loads DDL files into scratch databases on this server.
	export SCHEMIG_DEV_URL=$url
	for item in "${QUEUE[@]}"; do
		key=${item%%=*}
		mkdir "$WORK/claim/$key" 2>/dev/null || continue
		case "$key" in
		unit:*) run_unit "${item#*=}" "$WORK/out/$key" "$WORK/count/$key" ;;
		suite:*) run_suite "${item#*=}" "$WORK/out/$key" "$WORK/count/$key" ;;
		esac
		emit "$WORK/out/$key"
	done
}

# All in one function, so editing this file during a run cannot derail it.
main() {
	[ $# -ge 1 ] || { echo "usage: tests/run.sh BIN [UNIT_BIN...]" >&2; exit 2; }
	BIN=$1
	shift
	case "$BIN" in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
	case "$LANES" in '' | *[!0-9]* | 0) echo "tests/run.sh: SCHEMIG_TEST_LANES must be a number above 0" >&2; exit 2 ;; esac

	# Everything of this run (servers, work files, the template cache, the
	# TMPDIR of what runs under it) goes into one directory, on a memory
	# file system when there is one with room to spare: a CREATE DATABASE
	# (every case makes five, schemig a scratch one per file it loads)
	# copies a template and checkpoints, which takes 5 to 30 times longer
	# on a disk even with fsync off, and far longer when someone else's
	# build is writing to that disk. SCHEMIG_TEST_NO_TMPFS=1: keep to TMPDIR.
	# The servers' sockets live in their directories and a unix socket path
	# must stay under ~100 bytes, so fall back to /tmp when TMPDIR is deep.
	base=${TMPDIR:-/tmp}
	[ ${#base} -le 50 ] || base=/tmp
	if [ -z "${SCHEMIG_TEST_NO_TMPFS:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
		[ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge $((2 * 1024 * 1024)) ] 2>/dev/null; then
		base=/dev/shm
	fi
	TOP=$(mktemp -d "$base/schemig-test.XXXXXX") || exit 2
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	# Like /tmp: under root, the servers' user makes its own directories here.
	chmod 1777 "$TOP"
	export TMPDIR=$TOP
	WORK=$(mktemp -d "$TOP/work.XXXXXX") || exit 2
	mkdir -p "$WORK/claim" "$WORK/out" "$WORK/count"
	# The throwaway servers' template cache (dialects/postgres/devtemplate.h) of this
	# run only, never the user's: shared by every test that starts one, so
	# only the first pays for initdb. Under root the server's user must
	# pass through it.
	CACHE=$(mktemp -d "$TOP/cache.XXXXXX") || exit 2
	chmod 755 "$CACHE"
	export XDG_CACHE_HOME=$CACHE
	# Server 0 for the cases, 1..LANES for the lanes.
	for ((i = 0; i <= LANES; i++)); do
		PGDIRS[i]=$(mktemp -d "$TOP/pg$i.XXXXXX") || exit 2
	done

	# psql and pg_dump straight from the server's own directory: Debian's
	# /usr/bin ones are a Perl wrapper that costs ~60 ms a call, and the
	# cases alone call them ~5,000 times.
	if pgbin=$("$HERE/pg.sh" bindir 2>/dev/null) && [ -x "$pgbin/psql" ]; then
		export PATH=$pgbin:$PATH
	fi
	# Test programs (tests/tools/*.c), built by `make test`.
	if [ -n "${SCHEMIG_TOOLS_DIR:-}" ]; then
		case "$SCHEMIG_TOOLS_DIR" in /*) ;; *) SCHEMIG_TOOLS_DIR=$(pwd)/$SCHEMIG_TOOLS_DIR ;; esac
		export SCHEMIG_TOOLS_DIR
	fi
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

	# One MariaDB for the whole run, for the MySQL dialect's unit programs
	# and suites (each makes databases of its own names on it): started
	# only where mariadbd is installed; without it those tests say
	# "skipped". It starts in ~1 s (~2.5 s on a disk), before the lanes.
	if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
		MYDIR=$(mktemp -d "$TOP/my.XXXXXX") || exit 2
		t0=$(date +%s.%N)
		if SCHEMIG_TEST_MY_URL=$("$HERE/mariadb.sh" start "$MYDIR" 2>"$WORK/mariadb.err"); then
			export SCHEMIG_TEST_MY_URL
			echo "mariadb: started in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
		else
			echo "tests/run.sh: cannot start MariaDB; the MySQL tests will fail:"
			sed 's/^/    | /' "$WORK/mariadb.err"
			# Set but unreachable: a test that needs it fails rather
			# than skipping quietly.
			export SCHEMIG_TEST_MY_URL="mysql://root@localhost/?socket=$MYDIR/none.sock"
		fi
	fi

	# The lanes' queue: "KEY=PATH", the slow ones first. SCHEMIG_SUITES="lint
	# plan" narrows the suites.
	local all=() t s sname
	for t in "$@"; do
		all+=("unit:$(basename "$t")=$t")
	done
	for s in "$HERE"/suites/*.sh; do
		[ -e "$s" ] || continue
		sname=$(basename "$s" .sh)
		if [ -n "${SCHEMIG_SUITES:-}" ] && [[ " $SCHEMIG_SUITES " != *" $sname "* ]]; then
			continue
		fi
		all+=("suite:$sname=$s")
	done
	QUEUE=()
	local slow=" ${SLOW_FIRST//[[:space:]]/ } "
	for s in $SLOW_FIRST; do
		for t in ${all[@]+"${all[@]}"}; do
			[ "${t%%=*}" = "$s" ] && QUEUE+=("$t")
		done
	done
	for t in ${all[@]+"${all[@]}"}; do
		[[ $slow == *" ${t%%=*} "* ]] || QUEUE+=("$t")
	done

	started=$(date +%s)
	# The cases, on server 0. SCHEMIG_CASES="views/ enums/" narrows them
	# (see run_cases.sh).
	counts=$WORK/case-counts
	(
		if ! URL=$("$HERE/pg.sh" start "${PGDIRS[0]}" 2>"$WORK/cases.out"); then
			echo "tests/run.sh: cannot start the cases' PostgreSQL server" >>"$WORK/cases.out"
		else
			export SCHEMIG_TEST_PG_URL=$URL SCHEMIG_DEV_URL=$URL
			t0=$(date +%s)
			# shellcheck disable=SC2086
			SCHEMIG_CASES_COUNTS=$counts "$HERE/run_cases.sh" "$BIN" ${SCHEMIG_CASES:-} >"$WORK/cases.out" 2>&1 </dev/null
			echo "cases: $(($(date +%s) - t0))s" >>"$WORK/cases.out"
		fi
		emit "$WORK/cases.out"
	) &
	cases_pid=$!

	lane_pids=()
	for ((i = 1; i <= LANES; i++)); do
		(
			t0=$(date +%s)
			run_lane "$i"
			echo "lane $i: $(($(date +%s) - t0))s" >"$WORK/lane$i.time"
			emit "$WORK/lane$i.time"
		) &
		lane_pids+=($!)
	done
	wait "$cases_pid" "${lane_pids[@]}"

	passed=0
	failed=0
	for t in ${QUEUE[@]+"${QUEUE[@]}"}; do
		key=${t%%=*}
		if [ -s "$WORK/count/$key" ]; then
			read -r p f <"$WORK/count/$key"
			passed=$((passed + p))
			failed=$((failed + f))
		else
			echo "FAIL $key did not run (no lane could start a server)"
			failed=$((failed + 1))
		fi
	done
	if [ -s "$counts" ]; then
		read -r p f <"$counts"
		passed=$((passed + p))
		failed=$((failed + f))
	else
		echo "FAIL cases: tests/run_cases.sh did not run"
		failed=$((failed + 1))
	fi

	echo "all: $(($(date +%s) - started))s"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

main "$@"
