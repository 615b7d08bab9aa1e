#!/usr/bin/env bash
# Column type changes and the server's casts (dialects/postgres/cast.c):
# a change the server has no cast for is refused, naming the column and
# both types, never written as a migration that fails; one it has a cast
# for gets a USING that applies. The matrix compares schemig with the
# server itself: for every pair of a set of built-in types, whether
# `ALTER COLUMN ... TYPE b USING c::b` succeeds on the server, against
# whether `diff` refuses (file to file, no server) — a refusal where the
# server would succeed, or a migration where it fails, is a failure.
# Also the lock ALTER TABLE ... REPLICA IDENTITY takes (diff_replica.c
# says ACCESS EXCLUSIVE): pg_locks, and the plan's step.
#
#   bash tests/suites/retype.sh BIN
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_DEV_URL,
# SCHEMIG_WORK, SCHEMIG_SUITE_COUNTS.
set -u

SUITE=retype
DB=schemig_retype_$$
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
export SCHEMIG_DEV_URL=${SCHEMIG_DEV_URL:-$URL}
cd "$WORK" || exit 1
DBURL=$(db_url "$DB")

# refused NAME FROM_SQL TO_SQL WANT: `diff` file to file exits 2, prints
# no statement, and says WANT (a fixed string) on stderr.
refused() {
	local name=$1 rc=0
	printf '%s\n' "$2" >"$name.from.sql"
	printf '%s\n' "$3" >"$name.to.sql"
	env -u SCHEMIG_DEV_URL "$BIN" diff --from "$name.from.sql" \
		--to "$name.to.sql" --format sql >"$name.out" 2>"$name.err" || rc=$?
	if [ "$rc" -ne 2 ]; then
		fail "$name" "exit $rc, not 2: $(head -c 300 "$name.out")"
	elif grep -q 'ALTER' "$name.out"; then
		fail "$name" "a statement was printed: $(head -c 300 "$name.out")"
	elif ! grep -qF "$4" "$name.err"; then
		fail "$name" "stderr lacks '$4': $(head -c 300 "$name.err")"
	else
		ok "$name"
	fi
}

# applies NAME FROM_SQL TO_SQL WANT: from a database loaded with FROM_SQL
# to TO_SQL, the migration holds WANT (a fixed string), applies with
# psql, and leaves no diff.
applies() {
	local name=$1 rc=0
	printf '%s\n' "$2" >"$name.from.sql"
	printf '%s\n' "$3" >"$name.to.sql"
	load_db "$DB" -f "$name.from.sql" || {
		fail "$name" "current schema does not load"
		return
	}
	"$BIN" diff --from "$DBURL" --to "$name.to.sql" "${DEVOPT[@]}" \
		--format sql >"$name.sql" 2>"$name.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name" "diff exit $rc: $(head -c 300 "$name.err")"
		return
	fi
	grep -qF "$4" "$name.sql" || {
		fail "$name" "no '$4' in: $(head -c 300 "$name.sql")"
		return
	}
	if ! "${PSQL[@]}" -d "$DBURL" -f "$name.sql" >/dev/null 2>"$name.apply"; then
		fail "$name" "does not apply: $(head -c 300 "$name.apply")"
		return
	fi
	no_diff "$name/converges" "$DBURL" "$name.to.sql"
}

# ---- refusals, with the column and both types named --------------------

refused bigint_to_timestamp \
	'CREATE TABLE t (id integer, c bigint);' \
	'CREATE TABLE t (id integer, c timestamp);' \
	'public.t.c: bigint cannot become timestamp without time zone'
refused boolean_to_bigint \
	'CREATE TABLE t (id integer, flag boolean);' \
	'CREATE TABLE t (id integer, flag bigint);' \
	'public.t.flag: boolean cannot become bigint'
refused scalar_to_array \
	'CREATE TABLE t (id integer, n integer);' \
	'CREATE TABLE t (id integer, n integer[]);' \
	'public.t.n: integer cannot become integer[]'
refused enum_to_integer \
	"CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (m mood);" \
	"CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (m integer);" \
	'public.t.m: public.mood cannot become integer'
refused quoted_names \
	'CREATE SCHEMA "Odd"; CREATE TABLE "Odd"."My T" ("My C" uuid);' \
	'CREATE SCHEMA "Odd"; CREATE TABLE "Odd"."My T" ("My C" date);' \
	'"Odd"."My T"."My C": uuid cannot become date'

# From a database too: the refusal comes before anything is planned.
load_db "$DB" -c 'CREATE TABLE t (id integer, c bigint)'
printf 'CREATE TABLE t (id integer, c timestamp);\n' >live.to.sql
rc=0
"$BIN" diff --from "$DBURL" --to live.to.sql "${DEVOPT[@]}" >live.out 2>live.err || rc=$?
check live_diff_refused "$([ "$rc" -eq 2 ] && grep -qF 'public.t.c: bigint cannot become' live.err && echo 0 || echo 1)" \
	"exit $rc: $(head -c 300 live.err)"
rc=0
"$BIN" plan --from "$DBURL" --to live.to.sql "${DEVOPT[@]}" >plan.out 2>&1 || rc=$?
check live_plan_refused "$([ "$rc" -eq 2 ] && grep -qF 'public.t.c: bigint cannot become' plan.out && echo 0 || echo 1)" \
	"exit $rc: $(head -c 300 plan.out)"

# ---- changes with a cast: USING that applies -----------------------------

applies enum_to_enum_through_text \
	"CREATE TYPE a AS ENUM ('x', 'y'); CREATE TYPE b AS ENUM ('x', 'y', 'z');
	 CREATE TABLE t (v a DEFAULT 'x', vs a[]); INSERT INTO t VALUES ('y', '{x,y}');" \
	"CREATE TYPE a AS ENUM ('x', 'y'); CREATE TYPE b AS ENUM ('x', 'y', 'z');
	 CREATE TABLE t (v b DEFAULT 'y', vs b[]);" \
	'USING vs::text[]::public.b[]'
applies user_cast_enum_to_integer \
	"CREATE TYPE mood AS ENUM ('1', '2');
	 CREATE CAST (mood AS integer) WITH INOUT;
	 CREATE TABLE t (m mood); INSERT INTO t VALUES ('2');" \
	"CREATE TYPE mood AS ENUM ('1', '2');
	 CREATE CAST (mood AS integer) WITH INOUT;
	 CREATE TABLE t (m integer);" \
	'USING m::integer'
applies text_to_integer_with_rows \
	"CREATE TABLE t (n text DEFAULT '7'); INSERT INTO t VALUES ('42');" \
	'CREATE TABLE t (n integer DEFAULT 7);' \
	'USING n::integer'
v=$("${PSQL[@]}" -At -d "$DBURL" -c 'SELECT n FROM t' 2>&1)
check text_to_integer_with_rows/value "$([ "$v" = 42 ] && echo 0 || echo 1)" "got '$v'"

# ---- the matrix against the server ---------------------------------------

TYPES=(smallint integer bigint numeric real 'double precision' boolean text
	'character varying(20)' date 'timestamp without time zone'
	'timestamp with time zone' interval json jsonb uuid bytea inet
	'integer[]' 'text[]')
# The server's answer for every pair, one psql call: a DO block tries each
# change on an empty table and prints "i j ok|no".
{
	echo "CREATE TABLE m (c integer);"
	echo "DO \$\$ DECLARE ts text[] := ARRAY["
	sep=""
	for t in "${TYPES[@]}"; do
		printf "%s'%s'" "$sep" "$t"
		sep=", "
	done
	echo "]; BEGIN"
	echo " FOR i IN 1..array_length(ts, 1) LOOP FOR j IN 1..array_length(ts, 1) LOOP"
	echo "  CONTINUE WHEN i = j;"
	echo "  BEGIN"
	echo "   EXECUTE format('DROP TABLE IF EXISTS m; CREATE TABLE m (c %s)', ts[i]);"
	echo "   EXECUTE format('ALTER TABLE m ALTER COLUMN c TYPE %s USING c::%s', ts[j], ts[j]);"
	echo "   RAISE NOTICE 'pair % % ok', i, j;"
	echo "  EXCEPTION WHEN others THEN RAISE NOTICE 'pair % % no', i, j;"
	echo "  END;"
	echo " END LOOP; END LOOP; END \$\$;"
} >matrix.sql
load_db "$DB" -f matrix.sql 2>matrix.notices
npairs=0
mismatches=""
while read -r _ _ _ i j verdict; do
	from=${TYPES[$((i - 1))]} to=${TYPES[$((j - 1))]}
	printf 'CREATE TABLE m (c %s);\n' "$from" >mx.from.sql
	printf 'CREATE TABLE m (c %s);\n' "$to" >mx.to.sql
	rc=0
	env -u SCHEMIG_DEV_URL "$BIN" diff --from mx.from.sql --to mx.to.sql \
		--format sql >mx.out 2>mx.err || rc=$?
	npairs=$((npairs + 1))
	if [ "$verdict" = ok ] && [ "$rc" -ne 0 ]; then
		mismatches+=" [$from -> $to: refused, the server casts it]"
	elif [ "$verdict" = no ] && [ "$rc" -ne 2 ]; then
		mismatches+=" [$from -> $to: exit $rc, the server has no cast]"
	fi
done < <(grep -o 'pair [0-9]* [0-9]* [a-z]*' matrix.notices | sed 's/^/x x /')
n=${#TYPES[@]}
check matrix/all_pairs "$([ "$npairs" -eq $((n * (n - 1))) ] && echo 0 || echo 1)" \
	"$npairs pairs answered by the server, not $((n * (n - 1)))"
check matrix/agrees_with_server "$([ -z "$mismatches" ] && echo 0 || echo 1)" \
	"$mismatches"

# ---- REPLICA IDENTITY takes ACCESS EXCLUSIVE -----------------------------

load_db "$DB" -c 'CREATE TABLE r (id integer PRIMARY KEY, k text NOT NULL)' \
	-c 'CREATE UNIQUE INDEX r_k ON r (k)'
locks=$("${PSQL[@]}" -At -d "$DBURL" <<'EOF'
BEGIN;
ALTER TABLE r REPLICA IDENTITY USING INDEX r_k;
SELECT mode FROM pg_locks WHERE pid = pg_backend_pid()
  AND relation = 'r'::regclass;
ROLLBACK;
EOF
)
check replica_identity/server_lock "$(grep -qx AccessExclusiveLock <<<"$locks" && echo 0 || echo 1)" \
	"pg_locks: $locks"
printf '%s\n' 'CREATE TABLE r (id integer PRIMARY KEY, k text NOT NULL);' \
	'CREATE UNIQUE INDEX r_k ON r (k);' \
	'ALTER TABLE r REPLICA IDENTITY USING INDEX r_k;' >ri.to.sql
if plan_of replica_identity "$DBURL" ri.to.sql; then
	lock=$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
print(",".join(s["lock"] for s in p["steps"] if s["kind"] == "alter_replica_identity"))
' "$WORK/replica_identity.json" 2>&1)
	check replica_identity/plan_lock "$([ "$lock" = "ACCESS EXCLUSIVE" ] && echo 0 || echo 1)" \
		"plan says '$lock'"
fi

# New identity bounds that exclude the sequence's current value: the
# server would refuse them; the plan's data check says so first, and
# passes bounds that still hold it.
load_db "$DB" -c 'CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY (MAXVALUE 1000), v text)' \
	-c "INSERT INTO s (v) SELECT 'x' FROM generate_series(1, 50)"
printf '%s\n' 'CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY (MAXVALUE 10), v text);' >seq.low.sql
printf '%s\n' 'CREATE TABLE s (id integer GENERATED BY DEFAULT AS IDENTITY (MAXVALUE 100), v text);' >seq.high.sql
for w in low high; do
	if plan_of "sequence_$w" "$DBURL" "seq.$w.sql"; then
		got=$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
print(";".join("%s:%s" % (c["kind"], c["message"]) for c in p["verdict"]["data_checks"]))
' "$WORK/sequence_$w.json" 2>&1)
		case $w in
		low) want="sequence:will fail: the identity sequence of s.id is at a value outside its new bounds (MINVALUE 1 MAXVALUE 10)" ;;
		high) want="sequence:ok: the identity sequence of s.id is within its new bounds (MINVALUE 1 MAXVALUE 100)" ;;
		esac
		check "identity_bounds/$w" "$([ "$got" = "$want" ] && echo 0 || echo 1)" "checks: $got"
	fi
done
"$BIN" plan --from "$DBURL" --to seq.low.sql "${DEVOPT[@]}" --format sql >seq.low.out 2>/dev/null
"${PSQL[@]}" -d "$DBURL" -f seq.low.out >/dev/null 2>seq.low.err
grep -q 'cannot be greater than MAXVALUE' seq.low.err
check identity_bounds/server-agrees $? "$(head -c 300 seq.low.err)"

suite_end summary
