# shellcheck shell=bash
# What every suite of tests/suites needs around its checks (suite
# contract: tests/run.sh). A suite sets SUITE (the name in its "ok
# SUITE/NAME" lines), optionally DB, DBS and SUITE_* below, sources this
# file with its own arguments (". "$(dirname "$0")/../lib.sh"") and ends
# with suite_end.
#
# Before sourcing:
#   SUITE                     the suite's name
#   SUITE_NO_SERVER=1         the suite needs no PostgreSQL: SCHEMIG_TEST_PG_URL
#                             may be unset
#   SUITE_QUIET_OK=1          ok counts without printing (the suite prints
#                             a summary of its own)
#
# Set here:
#   $BIN                      the suite's first argument, made absolute
#   $TESTS, $ROOT             the tests/ directory and the repository
#   $WORK                     a scratch directory, removed at exit
#   $URL                      SCHEMIG_TEST_PG_URL, the test server
#   $PSQL                     psql that stops on the first error (an array)
#   $DEVOPT                   (--dev-url SCHEMIG_DEV_URL) when that is set,
#                             else empty (an array)
#
# Results:
#   ok NAME                   count a pass: "ok   SUITE/NAME"
#   fail NAME [WHY]           count a failure: "FAIL SUITE/NAME: WHY", or
#                             "FAIL SUITE/NAME" without WHY
#   check NAME STATUS [WHY]   ok NAME when STATUS is 0, else fail NAME WHY
#                             (an empty WHY is left out)
#   suite_end [summary]       the suite's last command: marks it finished
#                             and, with "summary", prints "SUITE: N passed,
#                             N failed"; returns 0 when nothing failed
#
# Databases on the test server:
#   db_url DBNAME             $URL naming another database
#   spelled URL               the same database reached another way: the
#                             socket directory percent-encoded into the
#                             authority with a trailing "/." (or, for a
#                             URL without host=, an application_name added)
#   fresh_db DBNAME           drop DBNAME if it exists and create it empty;
#                             psql's errors go to stderr
#   load_db DBNAME PSQL_ARG...
#                             fresh_db, then $PSQL with PSQL_ARG... (-f FILE,
#                             -c SQL; none: stdin) in it, stdout dropped
#   drop_db DBNAME...         drop each database, even with sessions left
#   no_diff NAME FROM TO      ok NAME when `BIN diff --exit-code` (with
#                             $DEVOPT) finds nothing from FROM to TO, else
#                             fail NAME with the exit code and the diff's
#                             first 400 bytes
#   plan_of NAME FROM TO      `BIN plan` (with $DEVOPT) from FROM to TO into
#                             $WORK/NAME.json: ok NAME/plan, or fail
#                             NAME/plan with its output's start and return 1
#
# The stand-in for the GitHub and GitLab APIs (tests/report/fake_api.py):
#   start_fake NAME [OPTION...]
#                             stop the one running, start another with
#                             fake_api.py's OPTIONs, recording the requests
#                             into $LOG ($WORK/NAME.log); sets API (its base
#                             URL) and FAKE_PID; 1 when it never listened
#   stop_fake                 stop it (at exit too)
#
# At exit (an EXIT trap): $DB and every database in $DBS are dropped,
# suite_cleanup runs when the suite defines one (stop its helpers, drop
# its roles, remove files outside WORK), "passed failed" goes to
# SCHEMIG_SUITE_COUNTS for tests/run.sh, and WORK is removed. A suite that
# exits before suite_end without any failure gets one, "FAIL
# SUITE/finished: ...", so that a suite cut short never passes.

: "${SUITE:?set SUITE before sourcing tests/lib.sh}"
BIN=${1:?usage: tests/suites/$SUITE.sh BIN}
case "$BIN" in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # for the suites
ROOT=$(dirname "$TESTS")
if [ -n "${SUITE_NO_SERVER:-}" ]; then
	URL=${SCHEMIG_TEST_PG_URL:-}
else
	URL=${SCHEMIG_TEST_PG_URL:?SCHEMIG_TEST_PG_URL is not set}
fi
WORK=$(mktemp -d "${SCHEMIG_WORK:-${TMPDIR:-/tmp}}/$SUITE.XXXXXX") || exit 2
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
DEVOPT=()
[ -n "${SCHEMIG_DEV_URL:-}" ] && DEVOPT=(--dev-url "$SCHEMIG_DEV_URL")

passed=0
failed=0
SUITE_ENDED=
FAKE_PID=
ok() {
	[ -n "${SUITE_QUIET_OK:-}" ] || echo "ok   $SUITE/$1"
	passed=$((passed + 1))
}
fail() {
	if [ $# -ge 2 ]; then
		echo "FAIL $SUITE/$1: $2"
	else
		echo "FAIL $SUITE/$1"
	fi
	failed=$((failed + 1))
}
check() {
	if [ "$2" -eq 0 ]; then
		ok "$1"
	elif [ -n "${3:-}" ]; then
		fail "$1" "$3"
	else
		fail "$1"
	fi
}
suite_end() {
	SUITE_ENDED=1
	[ "${1:-}" = summary ] && echo "$SUITE: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

drop_db() {
	local db
	for db in "$@"; do
		"${PSQL[@]}" -d "$URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	done
}
suite_finish() {
	local rc=$?
	# An early exit that follows a failure is the suite giving up; one
	# without (set -u, a failed cd) would otherwise count as a pass.
	[ -z "$SUITE_ENDED" ] && [ "$failed" -eq 0 ] &&
		fail finished "the suite stopped before its end (exit $rc)"
	if [ -n "$URL" ]; then
		drop_db ${DB:+"$DB"} ${DBS[@]+"${DBS[@]}"}
	fi
	stop_fake
	stop_fake_llm
	declare -F suite_cleanup >/dev/null && suite_cleanup
	echo "$passed $failed" >"${SCHEMIG_SUITE_COUNTS:-/dev/null}"
	rm -rf "$WORK"
}
trap suite_finish EXIT

db_url() {
	local base=${URL%%\?*} q=""
	[[ $URL == *\?* ]] && q="?${URL#*\?}"
	echo "${base%/*}/$1$q"
}

spelled() {
	local h p d=${1%%\?*}
	d=${d##*/}
	h=$(sed -n 's/.*[?&]host=\([^&]*\).*/\1/p' <<<"$1")
	p=$(sed -n 's/.*[?&]port=\([^&]*\).*/\1/p' <<<"$1")
	if [ -n "$h" ]; then
		echo "postgres://postgres@${h//\//%2F}%2F.${p:+:$p}/$d"
	else
		echo "$1&application_name=spelled"
	fi
}

fresh_db() {
	"${PSQL[@]}" -d "$URL" -c "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1
	"${PSQL[@]}" -d "$URL" -c "CREATE DATABASE $1" >/dev/null
}

load_db() {
	local db=$1
	shift
	fresh_db "$db" && "${PSQL[@]}" -d "$(db_url "$db")" "$@" >/dev/null
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

plan_of() {
	if "$BIN" plan --from "$2" --to "$3" "${DEVOPT[@]}" --out "$WORK/$1.json" \
		>"$WORK/$1.plan.out" 2>&1; then
		ok "$1/plan"
	else
		fail "$1/plan" "$(head -c 300 "$WORK/$1.plan.out")"
		return 1
	fi
}

start_fake() {
	local port=$WORK/fake.port
	stop_fake
	LOG=$WORK/$1.log
	: >"$LOG"
	rm -f "$port"
	shift
	python3 "$TESTS/report/fake_api.py" "$port" "$LOG" "$@" &
	FAKE_PID=$!
	# It writes its port once it listens; a loaded machine may take a while.
	for _ in $(seq 600); do [ -s "$port" ] && break; sleep 0.05; done
	API=http://127.0.0.1:$(cat "$port" 2>/dev/null)
	[ -s "$port" ]
}
stop_fake() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
}

# The stand-in model API (tests/llm/fake_llm.py; no hosted provider can be
# reached from here): its requests go to $LLOG, one JSON line each; $BASE
# is its URL. Fails when it never listened.
LLM_PID=
start_fake_llm() {
	LLOG=$WORK/llm.log
	: >"$LLOG"
	rm -f "$WORK/llm.port"
	python3 "$TESTS/llm/fake_llm.py" "$WORK/llm.port" "$LLOG" &
	LLM_PID=$!
	for _ in $(seq 600); do [ -s "$WORK/llm.port" ] && break; sleep 0.05; done
	BASE=http://127.0.0.1:$(cat "$WORK/llm.port" 2>/dev/null)
	[ -s "$WORK/llm.port" ]
}
stop_fake_llm() {
	[ -n "$LLM_PID" ] && kill "$LLM_PID" 2>/dev/null && wait "$LLM_PID" 2>/dev/null
	LLM_PID=
}

# Run git-schemig with ARGS in the suite's repository ($REPO): stdout and
# stderr to $WORK/OUT.out and $WORK/OUT.err; the exit code is its own.
repo_run() { # OUT ARGS...
	local out=$1
	shift
	(cd "$REPO" && "$BIN" "$@") >"$WORK/$out.out" 2>"$WORK/$out.err"
}
