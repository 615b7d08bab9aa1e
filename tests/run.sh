#!/usr/bin/env bash
# The whole test suite, as `make test` runs it:
#
#   tests/run.sh BIN [UNIT_BIN...]
#
# Starts a throwaway PostgreSQL (tests/pg.sh), runs every unit test program,
# then every diff case (tests/run_cases.sh BIN).  Ends with one line
# "N passed, N failed" counting unit programs and case-modes; exits non-zero
# when anything failed.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
UNIT_TIMEOUT=${SCHEMIG_UNIT_TIMEOUT:-300}

cleanup() {
	"$HERE/pg.sh" stop "$PGDIR" >/dev/null 2>&1
	rm -rf "$PGDIR" "$WORK" "$CACHE"
}

# All in one function, so editing this file during a run cannot derail it.
main() {
	[ $# -ge 1 ] || { echo "usage: tests/run.sh BIN [UNIT_BIN...]" >&2; exit 2; }
	BIN=$1
	shift
	case "$BIN" in /*) ;; *) BIN=$(pwd)/$BIN ;; esac

	# The server's socket lives in this directory; a unix socket path must stay
	# under ~100 bytes, so fall back to /tmp when TMPDIR is deep.
	base=${TMPDIR:-/tmp}
	[ ${#base} -le 60 ] || base=/tmp
	PGDIR=$(mktemp -d "$base/schemig-test.XXXXXX") || exit 2
	WORK=$(mktemp -d "$base/schemig-work.XXXXXX") || exit 2
	# The throwaway servers' template cache (dialects/postgres/devtemplate.h) of this
	# run only, never the user's: shared by every test that starts one, so
	# only the first pays for initdb. Under root the server's user must
	# pass through it.
	CACHE=$(mktemp -d "$base/schemig-cache.XXXXXX") || exit 2
	chmod 755 "$CACHE"
	export XDG_CACHE_HOME=$CACHE
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	if ! URL=$("$HERE/pg.sh" start "$PGDIR"); then
		echo "tests/run.sh: cannot start the test PostgreSQL server"
		echo "0 passed, 1 failed"
		exit 1
	fi
	export SCHEMIG_TEST_PG_URL=$URL
	# schemig loads DDL files into scratch databases on this server.
	export SCHEMIG_DEV_URL=$URL
	# Test programs (tests/tools/*.c), built by `make test`.
	if [ -n "${SCHEMIG_TOOLS_DIR:-}" ]; then
		case "$SCHEMIG_TOOLS_DIR" in /*) ;; *) SCHEMIG_TOOLS_DIR=$(pwd)/$SCHEMIG_TOOLS_DIR ;; esac
		export SCHEMIG_TOOLS_DIR
	fi
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

	passed=0
	failed=0

	for t in "$@"; do
		name=$(basename "$t")
		log=$WORK/$name.log
		timeout "$UNIT_TIMEOUT" "$t" >"$log" 2>&1
		rc=$?
		if [ $rc -eq 0 ]; then
			echo "ok   unit $name"
			passed=$((passed + 1))
		else
			[ $rc -eq 124 ] && echo "FAIL unit $name (timed out after ${UNIT_TIMEOUT}s)" ||
				echo "FAIL unit $name (exit $rc)"
			# cmocka prints one line per test; keep the failing ones and the end.
			grep -E '^\[  (FAILED|ERROR) ' "$log" | sed 's/^/    | /'
			tail -n 30 "$log" | sed 's/^/    | /'
			failed=$((failed + 1))
		fi
	done

	counts=$WORK/case-counts
	# SCHEMIG_CASES="views/ enums/" narrows the cases (see run_cases.sh).
	# shellcheck disable=SC2086
	SCHEMIG_CASES_COUNTS=$counts "$HERE/run_cases.sh" "$BIN" ${SCHEMIG_CASES:-}
	if [ -s "$counts" ]; then
		read -r p f <"$counts"
		passed=$((passed + p))
		failed=$((failed + f))
	else
		echo "FAIL cases: tests/run_cases.sh did not run"
		failed=$((failed + 1))
	fi

	# Suites: tests/suites/NAME.sh BIN, each printing "ok   ..." / "FAIL ..."
	# lines and writing "passed failed" into $SCHEMIG_SUITE_COUNTS.
	# SCHEMIG_SUITES="lint plan" narrows them.
	for s in "$HERE"/suites/*.sh; do
		[ -e "$s" ] || continue
		sname=$(basename "$s" .sh)
		if [ -n "${SCHEMIG_SUITES:-}" ] && [[ " $SCHEMIG_SUITES " != *" $sname "* ]]; then
			continue
		fi
		scounts=$WORK/suite-$sname
		rm -f "$scounts"
		t0=$(date +%s)
		SCHEMIG_SUITE_COUNTS=$scounts SCHEMIG_WORK=$WORK bash "$s" "$BIN"
		echo "suite $sname: $(($(date +%s) - t0))s"
		if [ -s "$scounts" ]; then
			read -r p f <"$scounts"
			passed=$((passed + p))
			failed=$((failed + f))
		else
			echo "FAIL suite $sname did not finish"
			failed=$((failed + 1))
		fi
	done

	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

main "$@"
