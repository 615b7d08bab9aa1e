#!/usr/bin/env bash
# Run the MySQL/MariaDB diff acceptance cases under tests/cases_mysql/.
#
#   tests/run_cases_mysql.sh BIN [FILTER...]
#
# Needs SCHEMIG_TEST_MY_URL, the URL of a throwaway MariaDB's root
# (tests/mariadb.sh: mysql://root@localhost/?socket=PATH). The case
# format is tests/cases/README.md's (current.sql, desired.sql, options:
# expect-empty, no-file-mode, no-reverse-mode, and no-live-file-mode:
# no mode that compares a live database with a file); the modes:
#
#   1 live     diff a database loaded with current.sql to desired.sql
#   2 file     diff current.sql to desired.sql with no server at all
#   3 reverse  diff a database loaded with desired.sql to current.sql
#   4 urls     diff a database loaded with current.sql to one loaded
#              with desired.sql (no file read)
#   5 urls-reverse  mode 4 the other way round
#   6 exact    mode 1 through the scratch route: where the parser's
#              reading differs from the live database, desired.sql is
#              loaded into a scratch database on the test server
#              (SCHEMIG_DEV_URL is the test server) and read back
#
# Modes 1 and 3 read the file with the parser alone (diff --parse).
# SCHEMIG_MY_CASES_MODES picks modes by number ("4 5"; default 1 to 5).
#
# A mode passes when its migration applies (the mariadb client, stopping
# at the first error), the migrated database dumps exactly like one
# loaded from the target file (mariadb-dump --no-data), and diffing
# again prints nothing. Prints one line per failing case-mode and the
# totals; writes "PASSED FAILED" to $SCHEMIG_CASES_COUNTS when set.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CASES_DIR=${SCHEMIG_MY_CASES_DIR:-$HERE/cases_mysql}
JOBS=${SCHEMIG_CASES_JOBS:-3}
DIFF_TIMEOUT=${SCHEMIG_DIFF_TIMEOUT:-60}
DETAIL_LINES=30

# shellcheck source=tests/cases_lib.sh
. "$HERE/cases_lib.sh"

die() {
	echo "run_cases_mysql.sh: $*" >&2
	exit 2
}

# The socket of SCHEMIG_TEST_MY_URL, for the mariadb client.
socket_of() {
	local q=${SCHEMIG_TEST_MY_URL#*\?}
	q=${q#*socket=}
	echo "${q%%&*}"
}

db_url() { # NAME
	local base=${SCHEMIG_TEST_MY_URL%%\?*}
	echo "${base%/}/$1?socket=$SOCK"
}

my() { # [DB] mariadb client on the test server, stop at the first error
	mariadb --no-defaults -S "$SOCK" -u root --batch "$@"
}

create_db() { # NAME FILE LOG
	my -e "CREATE DATABASE \`$1\`" >>"$3" 2>&1 && my "$1" <"$2" >>"$3" 2>&1
}

# The oracle: mariadb-dump's view of a database's schema (tables,
# views, triggers and routines), without what differs between two
# databases holding the same schema (the table's AUTO_INCREMENT
# counter, definers, the session settings around each object). Version
# comments are unwrapped, not dropped: a view's ALGORITHM and SQL
# SECURITY and a trigger's whole text live inside them; a trigger's
# name and table and a routine's first line (its parameters) are read
# without their quotes (the server keeps them as the client wrote them). The stand-in
# table a dump makes for each view before the real one is left out.
dump_db() { # NAME OUT LOG
	mariadb-dump --no-defaults -S "$SOCK" -u root --no-data --compact \
		--skip-dump-date --routines "$1" 2>>"$3" >"$2.raw" || return 1
	awk '/^\/\*!50001 CREATE VIEW/ { skip = 1 }
		skip { if (/\*\/;$/) skip = 0; next }
		{ print }' "$2.raw" |
		sed -E -e '/^\/\*M!999999/d' -e 's#/\*M?![0-9]+ ?##g' \
			-e 's# ?\*/##g' -e 's/[[:space:]]+$//' \
			-e '/^(SET |DELIMITER|DROP VIEW IF EXISTS)/d' -e '/^;*$/d' \
			-e 's/ AUTO_INCREMENT=[0-9]+//' \
			-e 's/DEFINER=`[^`]*`@`[^`]*` ?//' \
			-e 's/^(CREATE TRIGGER )`([^`]*)` (BEFORE|AFTER) ([A-Z]+) ON `([^`]*)`/\1\2 \3 \4 ON \5/' \
			-e '/^CREATE (FUNCTION|PROCEDURE) /s/`//g' \
			-e "s/\`$1\`\\./\`DB\`./g" >"$2"
}

# Modes 1 and 3 test the parser against the server: --parse keeps the
# scratch route out (mode 6 takes it). Two URLs ignore it.
run_diff() { # FROM TO OUT ERR
	local route=--parse
	[ "$ROUTE" = exact ] && route=
	timeout "$DIFF_TIMEOUT" "$BIN" diff --dialect mysql --from "$1" --to "$2" \
		$route --format sql >"$3" 2>"$4"
}

run_diff_offline() {
	env -u SCHEMIG_TEST_MY_URL -u SCHEMIG_DEV_URL timeout "$DIFF_TIMEOUT" \
		"$BIN" diff --dialect mysql --from "$1" --to "$2" --format sql >"$3" 2>"$4"
}

apply_and_compare() { # DB MIGRATION WANT-DUMP WORK
	local db=$1 out=$2 want=$3 w=$4
	if ! my "$db" <"$out" >"$w/$db.apply.log" 2>&1; then
		cat "$out" >>"$w/$db.apply.log"
		fail "the migration does not apply (error, then the migration)" "$w/$db.apply.log"
		return 1
	fi
	dump_db "$db" "$w/$db.dump" "$w/log" || { fail "mariadb-dump failed" "$w/log"; return 1; }
	diff -u "$want" "$w/$db.dump" >"$w/$db.dumpdiff" ||
		fail "migrated schema differs from the target (- target, + migrated)" "$w/$db.dumpdiff"
}

# Modes 1 and 3: database DB (loaded here with SRC-FILE, already loaded
# when that is "-") migrated to the target file.
mode_live() { # DB SRC-FILE TARGET-FILE TARGET-DUMP PRISTINE-TARGET-DB WORK
	local db=$1 src=$2 target=$3 tdump=$4 tdb=$5 w=$6 out rc
	if [ "$src" != - ]; then
		create_db "$db" "$src" "$w/log" || { fail "$(basename "$src") does not load" "$w/log"; return 1; }
	fi
	out=$w/$db.mig.sql
	run_diff "$(db_url "$db")" "$target" "$out" "$out.err"
	rc=$?
	diff_ok $rc "$out" "$out.err" "diff" || return 1
	if [ "$EXPECT_EMPTY" = 1 ] && [ -s "$out" ]; then
		fail "expect-empty: the diff is not empty" "$out"
		return 1
	fi
	apply_and_compare "$db" "$out" "$tdump" "$w" || return 1
	check_empty "$(db_url "$db")" "$target" "$w/$db.again.sql" "convergence: diff after migrating" || return 1
	check_empty "$(db_url "$tdb")" "$target" "$w/$db.same.sql" "diff of a database loaded with the target itself"
}

# Modes 4 and 5: both sides live; the target database is left as it is.
mode_urls() { # DB SRC-FILE TARGET-DB TARGET-DUMP WORK
	local db=$1 src=$2 tdb=$3 tdump=$4 w=$5 out rc
	create_db "$db" "$src" "$w/log" || { fail "$(basename "$src") does not load" "$w/log"; return 1; }
	out=$w/$db.mig.sql
	run_diff "$(db_url "$db")" "$(db_url "$tdb")" "$out" "$out.err"
	rc=$?
	diff_ok $rc "$out" "$out.err" "diff" || return 1
	if [ "$EXPECT_EMPTY" = 1 ] && [ -s "$out" ]; then
		fail "expect-empty: the diff is not empty" "$out"
		return 1
	fi
	apply_and_compare "$db" "$out" "$tdump" "$w" || return 1
	check_empty "$(db_url "$db")" "$(db_url "$tdb")" "$w/$db.again.sql" "convergence: diff after migrating"
}

mode_file() { # DB WORK
	local db=$1 w=$2 out=$2/$1.mig.sql rc
	run_diff_offline "$CASE/current.sql" "$CASE/desired.sql" "$out" "$out.err"
	rc=$?
	diff_ok $rc "$out" "$out.err" "offline file diff" || return 1
	if [ "$EXPECT_EMPTY" = 1 ] && [ -s "$out" ]; then
		fail "expect-empty: the file diff is not empty" "$out"
		return 1
	fi
	create_db "$db" "$CASE/current.sql" "$w/log" || { fail "current.sql does not load" "$w/log"; return 1; }
	apply_and_compare "$db" "$out" "$w/want.dump" "$w" || return 1
	check_empty "$CASE/desired.sql" "$CASE/desired.sql" "$w/$db.self.sql" "offline diff of desired.sql with itself" offline
}

run_one() { # IDX CASE-DIR
	local idx=$1 pre modes m name rc started=$SECONDS
	CASE=$(cd "$2" && pwd)
	name=${CASE#"$CASES_DIR"/}
	W=$RESULTS/$idx
	mkdir -p "$W"
	: >"$W/result"
	pre="mc${RUN_TAG}_$idx"
	EXPECT_EMPTY=0
	has_option expect-empty && EXPECT_EMPTY=1
	modes=""
	has_option no-live-file-mode || modes="1:live"
	has_option no-file-mode || modes="$modes 2:file"
	modes="$modes 4:urls"
	has_option no-reverse-mode || cmp -s "$CASE/current.sql" "$CASE/desired.sql" ||
		modes="$modes 5:urls-reverse"
	has_option no-live-file-mode || modes="$modes 6:exact"
	# Last: mode 3 migrates the pristine desired database itself, which
	# the other modes compare with, rather than loading another.
	has_option no-reverse-mode || has_option no-live-file-mode ||
		cmp -s "$CASE/current.sql" "$CASE/desired.sql" || modes="$modes 3:reverse"
	local picked="" want=${SCHEMIG_MY_CASES_MODES:-1 2 3 4 5}
	for m in $modes; do
		[[ " $want " == *" ${m%%:*} "* ]] && picked="$picked $m"
	done
	modes=$picked
	REASON=""
	if ! create_db "${pre}_want" "$CASE/desired.sql" "$W/log"; then
		fail "desired.sql does not load" "$W/log"
	elif ! create_db "${pre}_cur0" "$CASE/current.sql" "$W/log"; then
		fail "current.sql does not load" "$W/log"
	elif ! dump_db "${pre}_want" "$W/want.dump" "$W/log" || ! dump_db "${pre}_cur0" "$W/cur0.dump" "$W/log"; then
		fail "mariadb-dump failed" "$W/log"
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
			ROUTE=parse
			case "${m%%:*}" in
			1) mode_live "${pre}_cur" "$CASE/current.sql" "$CASE/desired.sql" "$W/want.dump" "${pre}_want" "$W" ;;
			2) mode_file "${pre}_fil" "$W" ;;
			3) mode_live "${pre}_want" - "$CASE/current.sql" "$W/cur0.dump" "${pre}_cur0" "$W" ;;
			4) mode_urls "${pre}_ucur" "$CASE/current.sql" "${pre}_want" "$W/want.dump" "$W" ;;
			5) mode_urls "${pre}_urev" "$CASE/desired.sql" "${pre}_cur0" "$W/cur0.dump" "$W" ;;
			6)
				ROUTE=exact
				mode_live "${pre}_exa" "$CASE/current.sql" "$CASE/desired.sql" "$W/want.dump" "${pre}_want" "$W"
				;;
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
		for m in want cur0 cur fil ucur urev exa; do
			my -e "DROP DATABASE IF EXISTS \`${pre}_$m\`" >/dev/null 2>&1
		done
	fi
	echo "$((SECONDS - started)) $name" >"$W/secs"
}

main() {
	if [ "${1:-}" = "--one" ]; then
		BIN=$2
		run_one "${3%%:*}" "${3#*:}"
		exit 0
	fi
	[ $# -ge 1 ] || die "usage: tests/run_cases_mysql.sh BIN [FILTER...]"
	BIN=$1
	shift
	case "$BIN" in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
	[ -x "$BIN" ] || die "$BIN is not an executable"
	[ -n "${SCHEMIG_TEST_MY_URL:-}" ] || die "SCHEMIG_TEST_MY_URL is not set (see tests/mariadb.sh)"
	SOCK=$(socket_of)
	[ -S "$SOCK" ] || die "no server socket in SCHEMIG_TEST_MY_URL"
	my -e 'SELECT 1' >/dev/null || die "cannot connect to the test server"
	RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/schemig-mycases.XXXXXX")
	if [ -n "${SCHEMIG_CASES_KEEP:-}" ]; then
		echo "keeping the work files in $RESULTS and the databases"
	else
		trap 'rm -rf "$RESULTS"' EXIT
	fi
	RUN_TAG=$$
	# The scratch databases of the exact route go on the test server.
	SCHEMIG_DEV_URL=$SCHEMIG_TEST_MY_URL
	export SCHEMIG_DEV_URL
	export RESULTS RUN_TAG CASES_DIR DIFF_TIMEOUT SCHEMIG_TEST_MY_URL SOCK SCHEMIG_MY_CASES_MODES

	cases_list "$CASES_DIR" "$@"
	[ ${#list[@]} -gt 0 ] || die "no cases found"
	started=$(date +%s)
	printf '%s\0' "${list[@]}" | xargs -0 -n1 -P"$JOBS" "$HERE/run_cases_mysql.sh" --one "$BIN"

	cases_report "mysql cases" "$started" "$DETAIL_LINES"
}

main "$@"
