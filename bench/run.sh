#!/usr/bin/env bash
# The introspect / parse / diff benchmark (`make bench`).
#
#   bench/run.sh BIN
#
# For each size N in $BENCH_SIZES (default "1000 5000 10000") it generates a
# schema of N tables and a changed copy (bench/genschema.c), loads the base
# schema into a throwaway PostgreSQL, and times BIN against pg_dump on it.
# See bench/README.md for what each figure means.
#
# Environment: BENCH_SIZES, BENCH_SEED (default 1), BENCH_TIMEOUT (seconds
# per step, default 120), BENCH_VERIFY (first: apply the migration and
# re-diff at the first size only; all; none), BENCH_KEEP=1 keeps the work
# directory (generated schemas, outputs) for inspection.
set -euo pipefail

die() {
	echo "bench: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: bench/run.sh BIN"
BIN=$1
[ -x "$BIN" ] || die "$BIN is not an executable (run make first)"
case "$BIN" in
/*) ;;
*) BIN=$PWD/$BIN ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
SIZES=${BENCH_SIZES:-"1000 5000 10000"}
SEED=${BENCH_SEED:-1}
TARGET_RATIO=1.5
TARGET_MB=300
TARGET_SIZE=5000
STEP_TIMEOUT=${BENCH_TIMEOUT:-120}

work=$(mktemp -d "${TMPDIR:-/tmp}/schemig-bench.XXXXXX")
# The server runs as an unprivileged user when we are root: it must be
# able to reach its directory inside ours.
chmod 755 "$work"

pgdir=$work/pg
own_server=""
url=""

cleanup() {
	set +e
	if [ -n "$own_server" ]; then
		own_pg stop
	elif [ -f "$root/tests/pg.sh" ]; then
		bash "$root/tests/pg.sh" stop "$pgdir"
	fi
	if [ "${BENCH_KEEP:-}" = 1 ]; then
		echo "bench: work directory kept: $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The newest installed server binaries.
pg_bindir() {
	local d best=""
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && best=$d
	done
	if [ -z "$best" ] && command -v pg_config >/dev/null 2>&1; then
		best=$(pg_config --bindir)
	fi
	[ -n "$best" ] || die "no PostgreSQL server binaries found"
	echo "$best"
}
BINDIR=$(pg_bindir)
PG_DUMP=$BINDIR/pg_dump
[ -x "$PG_DUMP" ] || PG_DUMP=$(command -v pg_dump) || die "pg_dump not found"

# Fallback when tests/pg.sh is absent: our own cluster on a unix socket,
# run as an unprivileged user when root (initdb refuses root).
own_pg() {
	local user="" run=()
	if [ "$(id -u)" -eq 0 ]; then
		user=${BENCH_PG_USER:-pgtest}
		id "$user" >/dev/null 2>&1 || useradd -m "$user" ||
			die "cannot create user $user"
		chown "$user" "$pgdir"
		run=(su -s /bin/sh "$user" -c)
	else
		run=(sh -c)
	fi
	# The socket lives in our directory, so any port works; vary it so
	# that two servers never share a System V shared memory key.
	local port=$((20000 + $$ % 20000))
	case "$1" in
	start)
		"${run[@]}" "'$BINDIR/initdb' -D '$pgdir/data' -U postgres --auth=trust -E UTF8 --locale=C -N" \
			>"$pgdir/initdb.log" 2>&1 || die "initdb failed: see $pgdir/initdb.log"
		"${run[@]}" "'$BINDIR/pg_ctl' -D '$pgdir/data' -l '$pgdir/log' -w -o \"-k $pgdir -p $port -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" \
			>/dev/null 2>&1 || die "server did not start: see $pgdir/log"
		echo "postgresql:///postgres?host=$pgdir&port=$port&user=postgres"
		;;
	stop)
		"${run[@]}" "'$BINDIR/pg_ctl' -D '$pgdir/data' -m immediate -w stop" >/dev/null 2>&1
		;;
	esac
}

PSQL=(psql -X -q -v ON_ERROR_STOP=1)
mkdir -p "$pgdir"
if [ -f "$root/tests/pg.sh" ]; then
	url=$(bash "$root/tests/pg.sh" start "$pgdir") || die "tests/pg.sh could not start a server"
else
	own_server=1
	url=$(own_pg start)
fi
# Loading thousands of tables in one transaction (what --dev-url does)
# needs more lock slots than the default 64 per connection.
"${PSQL[@]}" -d "$url" -c "ALTER SYSTEM SET max_locks_per_transaction = 4096" >/dev/null
if [ "$(id -u)" -eq 0 ]; then
	owner=$(stat -c %U "$pgdir/data")
	su -s /bin/sh "$owner" -c "'$BINDIR/pg_ctl' -D '$pgdir/data' -l '$pgdir/log' -w restart" >/dev/null 2>&1
else
	"$BINDIR/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w restart >/dev/null 2>&1
fi || die "cannot restart the server with more lock slots"
# Every database of the bench lives on this one server: swap the name.
db_url() {
	echo "postgresql:///$1?${url#*\?}"
}
# The default run must not pick up a scratch server from the caller's
# environment or a repository's configuration.
unset SCHEMIG_DEV_URL
cd "$work"

cc -O2 -o "$work/genschema" "$here/genschema.c" || die "cannot build bench/genschema.c"

# GNU time gives wall time and peak RSS; without it, bash's time gives
# wall time only.
HAVE_GNU_TIME=""
if /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
	HAVE_GNU_TIME=1
fi

# measure OUT ERR CMD...: run CMD with stdout to OUT and stderr to ERR,
# killed after $LIMIT seconds (0: never; RC is then 124); sets SECS, MB
# (or "-") and RC.
LIMIT=0
measure() {
	local out=$1 err=$2 tf=$work/time.txt
	shift 2
	RC=0
	if [ -n "$HAVE_GNU_TIME" ]; then
		/usr/bin/time -f '%e %M' -o "$tf" timeout "$LIMIT" "$@" >"$out" 2>"$err" || RC=$?
		read -r SECS kb < <(tail -n 1 "$tf")
		MB=$(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }')
	else
		local TIMEFORMAT=%R
		{ time timeout "$LIMIT" "$@" >"$out" 2>"$err" || RC=$?; } 2>"$tf"
		SECS=$(tail -n 1 "$tf")
		MB=-
	fi
}

rows=$work/rows.txt
: >"$rows"
row() { # size step seconds mb note
	printf '%-6s %-40s %9s %8s  %s\n' "$1" "$2" "$3" "$4" "$5" | tee -a "$rows"
}
half() {
	awk -v s="$1" 'BEGIN { printf "%.2f", s / 2 }'
}
# Statements in SQL output: lines ending a statement with ";" (the
# generated schemas have no function bodies, so this is exact enough).
count_stmts() {
	grep -c ';[[:space:]]*$' "$1" || true
}

# step KEY LABEL NOTE ARGS...: time `BIN ARGS` at size $n and print its
# row; returns non-zero when it did not succeed. A step that timed out
# is not tried again at larger sizes: it would only time out again.
declare -A timed_out=()
step() {
	local key=$1 label=$2 note=$3 out=$work/${1}_$n.sql err=$work/${1}_$n.err
	shift 3
	if [ -n "${timed_out[$key]:-}" ]; then
		row "$n" "$label" skipped "" "timed out at ${timed_out[$key]} tables"
		return 1
	fi
	LIMIT=$STEP_TIMEOUT measure "$out" "$err" "$BIN" "$@"
	if [ "$RC" -le 1 ]; then
		row "$n" "$label" "$SECS" "$MB" "$(count_stmts "$out") statements$note"
		return 0
	fi
	if [ "$RC" -eq 124 ]; then
		timed_out[$key]=$n
		row "$n" "$label" TIMEOUT "" "killed after ${STEP_TIMEOUT}s"
	else
		echo "bench: $key at $n tables failed (exit $RC):" >&2
		head -n 5 "$err" >&2
		row "$n" "$label" FAILED "" "exit $RC, see above"
	fi
	return 1
}

echo "bench: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}'), seed $SEED, sizes: $SIZES"
echo "bench: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); server with fsync=off on a unix socket"
echo
printf '%-6s %-40s %9s %8s  %s\n' size step seconds "peak MB" note
verdict=""
VERIFY=${BENCH_VERIFY:-first}
first=${SIZES%% *}
first=${first## }
for n in $SIZES; do
	base=$work/base_$n.sql
	changed=$work/changed_$n.sql
	"$work/genschema" "$n" "$SEED" >"$base"
	"$work/genschema" "$n" "$SEED" --changed >"$changed" 2>"$work/changes_$n.txt"
	db=bench_$n
	u=$(db_url "$db")
	"${PSQL[@]}" -d "$url" -c "CREATE DATABASE $db" >/dev/null
	measure /dev/null "$work/load_$n.err" "${PSQL[@]}" -d "$u" -f "$base"
	[ "$RC" -eq 0 ] || { head -n 5 "$work/load_$n.err" >&2; die "cannot load the base schema of $n tables"; }
	row "$n" "load base schema (psql -f)" "$SECS" "$MB" "$(wc -c <"$base") bytes"

	measure "$work/dump_$n.sql" "$work/dump_$n.err" "$PG_DUMP" --schema-only -d "$u"
	[ "$RC" -eq 0 ] || { head -n 5 "$work/dump_$n.err" >&2; die "pg_dump failed on $n tables"; }
	dump_secs=$SECS
	row "$n" "(iv) pg_dump --schema-only (floor)" "$SECS" "$MB" ""

	if step intro "(i) diff URL URL: 2 introspections" " (expect 0)" \
		diff --from "$u" --to "$u"; then
		row "$n" "    per introspection (half of above)" "$(half "$SECS")" "" "derived"
	fi
	if step parse "(ii) diff file file: 2 parses" " (expect 0)" \
		diff --from "$changed" --to "$changed"; then
		row "$n" "     per parse (half of above)" "$(half "$SECS")" "" "derived"
	fi
	full_ok=""
	if step full "(iii) diff URL -> changed file (full)" "" \
		diff --from "$u" --to "$changed"; then
		full_ok=1
		ratio=$(awk -v a="$SECS" -v b="$dump_secs" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		ok=$(awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { print (r != "-" && r <= t) ? "ok" : "MISSED" }')
		note="target <= ${TARGET_RATIO}x: $ok"
		if [ "$n" = "$TARGET_SIZE" ] && [ "$MB" != - ]; then
			mok=$([ "$MB" -lt "$TARGET_MB" ] && echo ok || echo MISSED)
			note="$note; peak < ${TARGET_MB} MB: $mok"
			verdict="at $n tables: ${ratio}x pg_dump ($ok), ${MB} MB ($mok)"
		fi
		row "$n" "(iii) / (iv) ratio" "${ratio}x" "" "$note"
	elif [ "$n" = "$TARGET_SIZE" ]; then
		verdict="the full diff did not finish at $n tables"
	fi
	# The same job with the scratch database made on the bench server:
	# what (iii) costs without starting a throwaway cluster.
	step fulldev "(iii') same with --dev-url (no initdb)" "" \
		diff --from "$u" --to "$changed" --dev-url "$url" || true
	# The whole file loaded into the scratch database (the route before
	# the partial one): its time, and the same migration, byte for byte.
	if SCHEMIG_FULL_LOAD=1 step whole "(iii*) same, whole file loaded" "" \
		diff --from "$u" --to "$changed" --dev-url "$url" && [ -n "$full_ok" ]; then
		if cmp -s "$work/whole_$n.sql" "$work/full_$n.sql"; then
			row "$n" "    (iii) and (iii*) migrations" "" "" "identical"
		else
			row "$n" "    (iii) and (iii*) migrations" DIFFER "" "see $work/whole_$n.sql (BENCH_KEEP=1)"
		fi
	fi
	# The parser-only route: the file is read without any server, so
	# spelling-only differences (view bodies, some casts) can show up as
	# changes; its statement count next to (iii)'s tells how many.
	step fullparse "(iii'') same with --parse (no scratch load)" "" \
		diff --from "$u" --to "$changed" --parse || true
	# Correctness, not speed: the migration must apply, and afterwards the
	# database must match the file (an empty diff).
	if [ "$VERIFY" = all ] || { [ "$VERIFY" = first ] && [ "$n" = "$first" ]; }; then
		if [ -n "$full_ok" ]; then
			measure /dev/null "$work/apply_$n.err" "${PSQL[@]}" -1 -d "$u" -f "$work/full_$n.sql"
			if [ "$RC" -eq 0 ]; then
				row "$n" "(v) apply (iii) with psql -1" "$SECS" "" "ok"
				step verify "(v) then diff URL -> changed file again" " (expect 0)" \
					diff --from "$u" --to "$changed" --dev-url "$url" || true
			else
				head -n 5 "$work/apply_$n.err" >&2
				row "$n" "(v) apply (iii) with psql -1" FAILED "" "exit $RC, see above"
			fi
		fi
	fi
	echo "       changes made: $(sed 's/^genschema: changes: //' "$work/changes_$n.txt")"
	"${PSQL[@]}" -d "$url" -c "DROP DATABASE $db" >/dev/null
done
echo
if [ -z "$verdict" ]; then
	verdict="not measured (add $TARGET_SIZE to BENCH_SIZES)"
fi
echo "bench: targets (within ${TARGET_RATIO}x of pg_dump, under ${TARGET_MB} MB for $TARGET_SIZE tables): $verdict"
