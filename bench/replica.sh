#!/usr/bin/env bash
# The replica benchmark (`make bench` runs it last).
#
#   bench/replica.sh BIN
#
# Loads tests/replica's source scaled to $BENCH_REPLICA_SCALE times its
# 200,000 rows (default 5: a million rows) into a throwaway PostgreSQL and
# times, with GNU time (wall seconds, peak RSS):
#
#   (a) pg_dump | psql        the floor: an unmasked copy of schema and rows
#   (b) BIN replica           the same copy, every masked column masked
#   (c) BIN replica --sample 10
#
# and prints rows a second for (b) and (c). Environment:
# BENCH_REPLICA_SKIP_DUMP=1 (leave (a) out),
# BENCH_REPLICA_SCALE, SCHEMIG_BENCH_PG_URL (use this server instead of a
# throwaway one; the bench creates and drops databases bench_replica_*).
set -euo pipefail

die() {
	echo "replica bench: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: bench/replica.sh BIN"
BIN=$1
[ -x "$BIN" ] || die "$BIN is not an executable (run make first)"
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
SCALE=${BENCH_REPLICA_SCALE:-5}
[[ $SCALE =~ ^[0-9]+$ ]] && [ "$SCALE" -ge 1 ] || die "BENCH_REPLICA_SCALE must be a number >= 1"

work=$(mktemp -d "${TMPDIR:-/tmp}/schemig-replica.XXXXXX")
chmod 755 "$work"
url=${SCHEMIG_BENCH_PG_URL:-}
started=
PSQL=(env PGOPTIONS=--client-min-messages=warning psql -X -q -v ON_ERROR_STOP=1)
cleanup() {
	set +e
	for db in bench_replica_src bench_replica_dump bench_replica_full bench_replica_sample; do
		[ -n "$url" ] && "${PSQL[@]}" -d "$url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	done
	[ -n "$started" ] && "$root/tests/pg.sh" stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$url" ]; then
	mkdir "$work/pg"
	url=$("$root/tests/pg.sh" start "$work/pg") || die "cannot start PostgreSQL"
	started=1
fi
db() { # NAME: $url naming database NAME
	case "$url" in
	*'?'*) echo "${url%%\?*}" | sed "s|/[^/]*\$|/$1|" | tr -d '\n'; echo "?${url#*\?}" ;;
	*) echo "${url%/*}/$1" ;;
	esac
}

echo "== replica: tests/replica's source at $SCALE x 200,000 rows"
"${PSQL[@]}" -d "$url" -c "CREATE DATABASE bench_replica_src" -c "CREATE DATABASE bench_replica_dump"
src=$(db bench_replica_src)
"${PSQL[@]}" -d "$src" -f "$root/tests/replica/source.sql"
# The fixture's rows, each table's count scaled (ids shifted per round).
sed -e "s/generate_series(1, \([0-9]*\))/generate_series(1, \1 * $SCALE)/" \
	-e "s/% 50000/% (50000 * $SCALE)/g" -e "s/(100000)/(100000 * $SCALE)/" \
	-e "s/FROM (500) TO (100000)/FROM (500) TO (100000000)/" \
	"$root/tests/replica/data.sql" >"$work/data.sql"
"${PSQL[@]}" -d "$src" -f "$work/data.sql" >/dev/null
rows=$("${PSQL[@]}" -d "$src" -tAc "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_items) + (SELECT count(*) FROM products) + (SELECT count(*) FROM employees) + (SELECT count(*) FROM api_tokens) + (SELECT count(*) FROM events)")
mb=$("${PSQL[@]}" -d "$src" -tAc "SELECT pg_database_size(current_database()) / 1048576")
echo "source: $rows rows, $mb MB on disk"

cat >"$work/.schemig.yml" <<'EOF'
environments:
  production: { url: env:BENCH_SRC_URL }
mask:
  public.customers.email: email
  public.customers.full_name: fake_name
  public.customers.ssn: hash
  public.orders.note: null
EOF
git -C "$work" init -q
export BENCH_SRC_URL=$src

timed() { # LABEL COMMAND...: "LABEL  wall s  peak MB"
	local label=$1 t
	shift
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" ||
		{ echo "$label: FAILED: $(tail -3 "$work/err")"; return 1; }
	t=$(cat "$work/time")
	printf '%-34s %8.2f s %7d MB peak\n' "$label" "${t% *}" $((${t#* } / 1024))
	echo "${t% *}" >"$work/last"
}

[ -n "${BENCH_REPLICA_SKIP_DUMP:-}" ] || timed "(a) pg_dump | psql (unmasked)" sh -c "pg_dump -d '$src' | psql -X -q -d '$(db bench_replica_dump)' >/dev/null"
(cd "$work" && timed "(b) replica (masked)" "$BIN" replica --env production --into "$(db bench_replica_full)" --format json)
full=$(cat "$work/last")
(cd "$work" && timed "(c) replica --sample 10" "$BIN" replica --env production --into "$(db bench_replica_sample)" --sample 10 --format json)
sample_rows=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rows'])" "$work/out")
printf '(b) %s rows/s; (c) copied %s rows\n' \
	"$(python3 -c "print(round($rows / $full))")" "$sample_rows"
