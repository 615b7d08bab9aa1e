# Shared by the case runners (tests/run_cases.sh for PostgreSQL,
# tests/run_cases_mysql.sh for MySQL/MariaDB): a step's failure, the
# checks on a diff's run, a case's options, the case list and the final
# report. Each runner defines run_diff and run_diff_offline (FROM TO OUT
# ERR) for its dialect before calling check_empty.
#
# Not tests/lib.sh: that is the suites' library, whose fail() records a
# check, where here it only notes why a mode failed.

# Set by a failing step: a one-line reason and a file with the details.
REASON=""
DETAIL=""

fail() { # REASON [DETAIL-FILE]
	REASON=$1
	DETAIL=${2:-}
	return 1
}

# The exit code of a diff run (timeout's 124 included); its stderr in ERR.
diff_ok() { # RC OUT ERR WHAT
	if [ "$1" -eq 124 ]; then
		fail "$4 timed out after ${DIFF_TIMEOUT}s" "$3"
	elif [ "$1" -ne 0 ]; then
		fail "$4 exited $1 (its stderr follows)" "$3"
	fi
}

# The diff from $1 to $2 must print nothing.
check_empty() { # FROM TO OUT WHAT [offline]
	local rc
	if [ "${5:-}" = offline ]; then
		run_diff_offline "$1" "$2" "$3" "$3.err"
	else
		run_diff "$1" "$2" "$3" "$3.err"
	fi
	rc=$?
	diff_ok $rc "$3" "$3.err" "$4" || return 1
	if [ -s "$3" ]; then
		fail "$4 is not empty" "$3"
	fi
}

has_option() { # NAME (in $CASE/options)
	[ -f "$CASE/options" ] && grep -qE "^[[:space:]]*$1([[:space:]]|#|$)" "$CASE/options"
}

# The value of option "NAME: VALUE" (its first word), empty when absent.
option_value() { # NAME
	[ -f "$CASE/options" ] || return 0
	sed -nE "s/^[[:space:]]*$1:[[:space:]]*([^[:space:]#]+).*/\1/p" "$CASE/options" | head -n 1
}

# The cases under DIR (kind/name folders with both files), in name
# order, narrowed by FILTERs (substrings of "kind/name"), into the array
# `list` as "INDEX:PATH".
cases_list() { # DIR [FILTER...]
	local dir=$1 d rel keep f
	shift
	list=()
	for d in "$dir"/*/*/; do
		d=${d%/}
		[ -f "$d/current.sql" ] && [ -f "$d/desired.sql" ] || continue
		rel=${d#"$dir"/}
		if [ $# -gt 0 ]; then
			keep=0
			for f in "$@"; do
				case "$rel" in *"$f"*) keep=1 ;; esac
			done
			[ $keep = 1 ] || continue
		fi
		list+=("${#list[@]}:$d")
	done
}

# After the workers: each failing case-mode with its details, the
# slowest cases, the totals (LABEL: "cases", "mysql cases"); writes
# "PASSED FAILED" to $SCHEMIG_CASES_COUNTS when set. Fails when any
# case-mode failed.
cases_report() { # LABEL STARTED DETAIL-LINES
	local label=$1 started=$2 lines=$3 passed=0 failed=0 ncases=0
	local cases_failed=0 item W p f status mode rest n
	for item in "${list[@]}"; do
		W=$RESULTS/${item%%:*}
		ncases=$((ncases + 1))
		[ -f "$W/result" ] || { echo "FAIL ${item#*:}: the case did not run"; failed=$((failed + 1)); cases_failed=$((cases_failed + 1)); continue; }
		p=$(grep -c '^PASS' "$W/result")
		f=$(grep -c '^FAIL' "$W/result")
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" -eq 0 ] && continue
		cases_failed=$((cases_failed + 1))
		while read -r status mode rest; do
			[ "$status" = FAIL ] || continue
			echo "FAIL $rest (mode $mode)"
			if [ -f "$W/detail.$mode" ] && [ -z "${SCHEMIG_CASES_QUIET:-}" ]; then
				head -n "$lines" "$W/detail.$mode" | sed 's/^/    | /'
				n=$(wc -l <"$W/detail.$mode")
				[ "$n" -le "$lines" ] || echo "    | ... ($((n - lines)) more lines)"
			fi
		done <"$W/result"
	done
	# The slowest cases, to keep the suite's time in view.
	if [ "$ncases" -gt 10 ]; then
		echo "slowest cases (seconds):"
		cat "$RESULTS"/*/secs 2>/dev/null | sort -rn | head -n 8 | sed 's/^/    /'
	fi
	echo "$label: $((ncases - cases_failed))/$ncases cases fully pass; case-modes: $passed passed, $failed failed ($(($(date +%s) - started))s)"
	[ -z "${SCHEMIG_CASES_COUNTS:-}" ] || echo "$passed $failed" >"$SCHEMIG_CASES_COUNTS"
	[ "$failed" -eq 0 ]
}
