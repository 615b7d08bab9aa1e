#!/usr/bin/env bash
# `git schemig replica`, end to end (`make test` runs it):
#
#   tests/suites/replica.sh BIN      (suite contract: tests/run.sh)
#
# A source of about 200,000 rows (tests/replica: personal data, foreign
# keys onto an id, onto a unique email and onto the table itself, a
# trigger that refuses inserts, views, a partitioned table) is copied
# whole and as a 10 % sample. On each copy: the schema is the source's
# (no diff, same fingerprint); no original value of a masked column is
# anywhere in the copy, checked by joining the copy's text columns with
# the source's values; emails stay unique and the foreign keys valid;
# NULLs stay NULL. A dry run on the sample passes and projects to the
# source's row counts. Then the refusals (an environment's database, a
# database holding other tables, a copy without --refresh, rules that
# cannot hold), a copy killed mid-stream (nothing left), --refresh, and
# ci pr with `replica: schemig`. Never asserts on timing.
set -uo pipefail

SUITE=replica
DB="replica_src_$$"
FULL="replica_full_$$"
SAMPLE="replica_sample_$$"
OTHER="replica_other_$$"
KILLED="replica_killed_$$"
DBS="$FULL $SAMPLE $OTHER $KILLED ${KILLED}_schemig_new"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/replica
suite_cleanup() {
	[ -n "${RUNNING:-}" ] && kill -9 "$RUNNING" 2>/dev/null
	return 0
}

U=$(db_url "$DB")
load_db "$DB" -f "$FIX/source.sql" -f "$FIX/data.sql" || {
	fail setup "cannot create the source"
	exit 0
}
export SRC_URL=$U STAGING_URL
STAGING_URL=$(db_url "$OTHER")
fresh_db "$OTHER"
"${PSQL[@]}" -d "$STAGING_URL" -c "CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (1)"

REPO=$WORK/repo
mkdir -p "$REPO/db"
cp "$FIX/source.sql" "$REPO/db/schema.sql"
cat >"$REPO/.schemig.yml" <<'EOF'
environments:
  production:
    url: env:SRC_URL
    replica:
      provision: schemig
      sample: 10
  staging:
    url: env:STAGING_URL
mask:
  public.customers.email: email
  public.customers.full_name: fake_name
  public.customers.ssn: hash
  public.orders.note: null
EOF
git -C "$REPO" init -q && git -C "$REPO" add -A &&
	git -C "$REPO" -c user.email=t@t -c user.name=t commit -qm schema

run() { # OUT ARGS...
	local out=$1
	shift
	(cd "$REPO" && "$BIN" "$@") >"$WORK/$out.out" 2>"$WORK/$out.err"
}
q() { # DBNAME SQL
	"${PSQL[@]}" -d "$(db_url "$1")" -tAc "$2"
}

# The source's values of every masked column, to look for in a copy.
q "$DB" "COPY (SELECT email FROM customers UNION ALL SELECT full_name FROM
	customers UNION ALL SELECT phone FROM customers WHERE phone IS NOT NULL
	UNION ALL SELECT ssn FROM customers WHERE ssn IS NOT NULL UNION ALL
	SELECT note FROM orders WHERE note IS NOT NULL UNION ALL SELECT
	api_token FROM api_tokens UNION ALL SELECT work_email FROM employees
	UNION ALL SELECT \"Email Address\" FROM \"we\"\"ird; DROP TABLE products; --\"
	WHERE \"Email Address\" IS NOT NULL) TO STDOUT" >"$WORK/originals.txt"

# The copy holds none of the originals in any text column of any table.
no_originals() { # NAME DBNAME
	local n
	n=$("${PSQL[@]}" -d "$(db_url "$2")" -tA <<EOF
CREATE TEMP TABLE orig (v text);
\\copy orig FROM '$WORK/originals.txt'
CREATE INDEX ON orig (v);
SELECT sum(n) FROM (
 SELECT count(*) n FROM customers c JOIN orig o ON o.v IN (c.email, c.full_name, c.phone, c.ssn)
 UNION ALL SELECT count(*) FROM orders x JOIN orig o ON o.v IN (x.note, x.customer_email)
 UNION ALL SELECT count(*) FROM api_tokens x JOIN orig o ON o.v = x.api_token
 UNION ALL SELECT count(*) FROM employees x JOIN orig o ON o.v = x.work_email
 UNION ALL SELECT count(*) FROM products x JOIN orig o ON o.v = x.title
 UNION ALL SELECT count(*) FROM events x JOIN orig o ON o.v = x.kind
 UNION ALL SELECT count(*) FROM "we""ird; DROP TABLE products; --" x JOIN orig o ON o.v = x."Email Address") s;
EOF
	)
	[ "$n" = 0 ]
	check "$1/no-original-value" $? "$n original values found"
}

# What must hold of any copy: the source's schema, masks that keep
# uniqueness, NULLs and the foreign keys.
copy_holds() { # NAME DBNAME
	no_diff "$1/schema-is-the-source" "$U" "$(db_url "$2")"
	no_originals "$1" "$2"
	local v
	v=$(q "$2" "SELECT count(*) = count(DISTINCT email) AND bool_and(email ~ '^u[0-9a-f]{20}@example[.]com$') FROM customers")
	[ "$v" = t ]
	check "$1/emails-unique-and-emails" $? "$v"
	v=$(q "$2" "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")
	[ "$v" = 0 ]
	check "$1/foreign-keys-valid" $? "$v not validated"
	v=$(q "$2" "SELECT count(*) FROM orders o LEFT JOIN customers c ON c.email = o.customer_email WHERE o.customer_email IS NOT NULL AND c.id IS NULL")
	[ "$v" = 0 ]
	check "$1/masked-key-still-joins" $? "$v orders lost their customer"
	v=$(q "$2" "SELECT bool_and((phone IS NULL) = (id % 4 = 0)) AND bool_and((ssn IS NULL) = (id % 5 = 0)) FROM customers")
	[ "$v" = t ]
	check "$1/nulls-kept" $? "$v"
	v=$(q "$2" "SELECT count(*) FROM orders WHERE note IS NOT NULL")
	[ "$v" = 0 ]
	check "$1/null-rule" $? "$v notes left"
	# The identity continues after the source's last key.
	v=$(q "$2" "SELECT last_value >= 100000 FROM orders_id_seq")
	[ "$v" = t ]
	check "$1/sequence-position" $? "$v"
}

# --- a whole copy, into a database that does not exist yet -------------
run full replica --env production --into "$(db_url "$FULL")" --sample 100 --format json
check full/exit-0 $? "$(head -c 600 "$WORK/full.err")"
grep -q "public.customers.phone looks like a phone number (no rule)" "$WORK/full.err" &&
	grep -q "public.api_tokens.api_token looks like a secret" "$WORK/full.err"
check full/warns-unruled-personal-columns $? "$(head -c 600 "$WORK/full.err")"
python3 - "$WORK/full.out" "$(q "$DB" "SELECT count(*) FROM customers")" >"$WORK/py.out" 2>&1 <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t = {x["table"]: x for x in s["tables"]}
assert s["sample_pct"] == 100 and s["into"].find("password") < 0, s["into"]
assert t["public.customers"]["rows"] == int(sys.argv[2]) == 50000, t["public.customers"]
assert t["public.orders"]["rows"] == 100000 and t["public.events"]["rows"] == 1000, t
assert "public.events_low" not in t, "a partition is copied through its root"
m = {x["column"]: x["mask"] for x in s["masked"]}
assert m["public.orders.customer_email"] == "email", m
assert m["public.customers.phone"] == "phone" and m["public.api_tokens.api_token"] == "hash", m
assert m["public.employees.work_email"] == "email", m
assert m['public.we"ird; DROP TABLE products; --.Email Address'] == "email", m
assert t['public.we"ird; DROP TABLE products; --']["rows"] == 3, t
assert "public.orders.amount" not in m and "public.customers.created_at" not in m, m
PY
check full/summary $? "$(cat "$WORK/py.out")"
copy_holds full "$FULL"
v=$(q "$FULL" "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_items) + (SELECT count(*) FROM customers) + (SELECT count(*) FROM employees) + (SELECT count(*) FROM api_tokens) + (SELECT count(*) FROM products) + (SELECT count(*) FROM events)")
[ "$v" = 200000 ]
check full/every-row $? "$v rows"
v=$(q "$FULL" "SELECT (SELECT count(*) FROM order_counts) = (SELECT count(DISTINCT customer_id) FROM orders)")
[ "$v" = t ]
check full/materialized-view-filled $? "$v"
v=$(q "$FULL" "SELECT tgenabled FROM pg_trigger WHERE tgname = 'orders_refuse'")
[ "$v" = O ]
check full/trigger-there-not-fired $? "$v"

# A password in the URLs (the test server does not ask for it) shows
# nowhere: not in the summary, the messages or the copy's record.
SECRET=s3cretPW42
(cd "$REPO" && SRC_URL="$U&password=$SECRET" "$BIN" replica --env production \
	--into "$(db_url "$FULL")&password=$SECRET" --sample 1 --refresh) >"$WORK/pw.out" 2>&1
check password/runs $? "$(head -c 400 "$WORK/pw.out")"
(cd "$REPO" && SRC_URL="$U&password=$SECRET" "$BIN" replica --env production \
	--into "$(db_url "$FULL")&password=$SECRET") >>"$WORK/pw.out" 2>&1
! grep -q "$SECRET" "$WORK/pw.out" && grep -q "already a replica" "$WORK/pw.out" &&
	[ -z "$(q "$FULL" "SELECT 1 FROM schemig.replica WHERE source LIKE '%$SECRET%'")" ]
check password/never-shown $? "$(grep "$SECRET" "$WORK/pw.out" | head -3)"

# --- a 10 % sample (the environment's setting) -------------------------
run sample replica --env production --into "$(db_url "$SAMPLE")" --format json
check sample/exit-0 $? "$(head -c 600 "$WORK/sample.err")"
copy_holds sample "$SAMPLE"
python3 - "$WORK/sample.out" >"$WORK/py.out" 2>&1 <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t = {x["table"]: x for x in s["tables"]}
assert s["sample_pct"] == 10, s["sample_pct"]
items = t["public.order_items"]["rows"]
assert 2000 < items < 6500, ("order_items", items)
orders = t["public.orders"]["rows"]
# Its own 10 % and the orders the kept items reference.
assert 10000 < orders < 30000, ("orders", orders)
assert t["public.employees"]["whole"] and t["public.employees"]["rows"] == 1000, t["public.employees"]
assert t["public.orders"]["source_rows"] == 100000, t["public.orders"]
PY
check sample/sizes $? "$(cat "$WORK/py.out")"

# The dry run on the sample passes and projects to the source's sizes.
cat "$FIX/source.sql" >"$WORK/desired.sql"
echo "CREATE INDEX orders_amount_idx ON orders (amount);" >>"$WORK/desired.sql"
"$BIN" plan "${DEVOPT[@]}" --from "$(db_url "$SAMPLE")" --to "$WORK/desired.sql" \
	--out "$WORK/p.json" >"$WORK/plan.out" 2>&1
check dry-run/plan $? "$(cat "$WORK/plan.out")"
"$BIN" dry-run --plan "$WORK/p.json" --on "$(db_url "$SAMPLE")" --report "$WORK/r.json" \
	>"$WORK/dry.out" 2>&1
check dry-run/ok $? "$(head -c 800 "$WORK/dry.out")"
grep -q "a 10 % masked sample of production, projected" "$WORK/dry.out"
check dry-run/says-sample $? "$(head -3 "$WORK/dry.out")"
python3 - "$WORK/r.json" >"$WORK/py.out" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] and r["replica"]["sample_pct"] == 10, r.get("replica")
s = [x for x in r["steps"] if x["table"] == "public.orders"]
assert s, r["steps"]
for x in s:
    assert x["source_rows"] == 100000, x
    assert x["projected_ms"] is not None and x["projected_ms"] >= x["wall_ms"], x
PY
check dry-run/projected-to-source $? "$(cat "$WORK/py.out")"
"$BIN" report --plan "$WORK/p.json" --dry-run "$WORK/r.json" >"$WORK/report.md" 2>&1
grep -q "a 10 % masked sample of production, projected" "$WORK/report.md"
check report/says-sample $? "$(head -c 400 "$WORK/report.md")"

# --- refusals -------------------------------------------------------------
run env replica --env production --into env:STAGING_URL
[ $? = 2 ] && grep -q "replica refused: env:STAGING_URL is the database of environment 'staging'" "$WORK/env.err"
check refuse/environment $? "$(cat "$WORK/env.err")"
run src replica --env production --into env:SRC_URL
[ $? = 2 ] && grep -q "replica refused" "$WORK/src.err"
check refuse/source $? "$(cat "$WORK/src.err")"
# Another database with tables of its own, not an environment's.
OTHER2="${OTHER}_b"
DBS="$DBS $OTHER2"
load_db "$OTHER2" -c "CREATE TABLE mine (id int); INSERT INTO mine VALUES (7)"
run other replica --env production --into "$(db_url "$OTHER2")"
[ $? = 2 ] && grep -q "holds tables that schemig did not copy" "$WORK/other.err" &&
	[ "$(q "$OTHER2" "SELECT id FROM mine")" = 7 ]
check refuse/foreign-database-untouched $? "$(cat "$WORK/other.err")"
run again replica --env production --into "$(db_url "$SAMPLE")"
[ $? = 2 ] && grep -q "is already a replica (made .* of production); --refresh replaces it" "$WORK/again.err"
check refuse/existing-copy $? "$(cat "$WORK/again.err")"

# Rules that cannot hold are refused before the target is touched.
bad_rule() { # NAME RULE-LINE EXPECTED
	cp "$REPO/.schemig.yml" "$WORK/yml"
	echo "  $2" >>"$REPO/.schemig.yml"
	run "$1" replica --env production --into "$(db_url "${KILLED}")"
	local rc=$?
	cp "$WORK/yml" "$REPO/.schemig.yml"
	[ $rc = 2 ] && grep -q "$3" "$WORK/$1.err" &&
		[ -z "$(q "$DB" "SELECT 1 FROM pg_database WHERE datname = '$KILLED'")" ]
	check "rule/$1" $? "$(cat "$WORK/$1.err")"
}
bad_rule unknown-column "public.customers.nope: hash" "\.schemig\.yml:[0-9]*: mask: public.customers.nope: no such column"
bad_rule null-on-not-null "public.products.title: null" "mask: public.products.title is NOT NULL"
bad_rule not-unique "public.employees.work_email: phone" "is unique and phone gives equal values"
bad_rule unknown-rule "public.products.title: scramble" "unknown rule 'scramble'"
bad_rule wrong-type "public.products.price: email" "email cannot mask a column of type numeric"

# --- killed mid-stream: nothing half-filled -------------------------------
(cd "$REPO" && exec "$BIN" replica --env production --into "$(db_url "$KILLED")" --sample 100) \
	>"$WORK/killed.out" 2>&1 &
RUNNING=$!
caught=
for _ in $(seq 1 1000); do
	if [ -n "$(q "$DB" "SELECT 1 FROM pg_stat_activity WHERE datname = '$KILLED' AND query LIKE 'COPY %FROM STDIN'")" ]; then
		caught=1
		break
	fi
	sleep 0.01
done
kill -9 "$RUNNING" 2>/dev/null
wait "$RUNNING" 2>/dev/null
RUNNING=
[ -n "$caught" ]
check killed/caught-mid-copy $? "the copy was never seen streaming"
for _ in $(seq 1 100); do
	[ -z "$(q "$DB" "SELECT 1 FROM pg_stat_activity WHERE datname = '$KILLED'")" ] && break
	sleep 0.05
done
v=$(q "$KILLED" "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'")
[ "$v" = 0 ]
check killed/nothing-left $? "$v relations left"
# The next run fills the empty database it left.
run refill replica --env production --into "$(db_url "$KILLED")" --sample 100
check killed/next-run-fills $? "$(head -c 400 "$WORK/refill.err")"

# --- --refresh replaces a copy ---------------------------------------------
before=$(q "$SAMPLE" "SELECT made_at FROM schemig.replica")
q "$DB" "INSERT INTO products VALUES (999999, 'Product new', 1)" >/dev/null
run refresh replica --env production --into "$(db_url "$SAMPLE")" --refresh --sample 100
check refresh/exit-0 $? "$(head -c 400 "$WORK/refresh.err")"
after=$(q "$SAMPLE" "SELECT made_at FROM schemig.replica")
[ "$before" != "$after" ] && [ "$(q "$SAMPLE" "SELECT count(*) FROM products WHERE id = 999999")" = 1 ]
check refresh/replaced $? "made_at $before -> $after"
[ -z "$(q "$DB" "SELECT 1 FROM pg_database WHERE datname LIKE '%schemig_new'")" ]
check refresh/no-side-database $? "a _schemig_new database is left"
q "$DB" "DELETE FROM products WHERE id = 999999" >/dev/null

# --- ci pr provisions the sample copy itself, and drops it ------------------
echo "CREATE INDEX orders_amount_idx ON orders (amount);" >>"$REPO/db/schema.sql"
before=$(q "$DB" "SELECT count(*) FROM pg_database")
(cd "$REPO" && "$BIN" ci pr --env production >"$WORK/ci.md" 2>"$WORK/ci.err")
grep -q "^Dry run on dev, a 10 % masked sample of production, projected at .*: ok" "$WORK/ci.md" &&
	grep -q "Replica: made by schemig from production's database" "$WORK/ci.md"
check ci/dry-run-on-provisioned-copy $? "$(head -c 600 "$WORK/ci.err") $(grep -i "dry run" "$WORK/ci.md")"
[ "$(q "$DB" "SELECT count(*) FROM pg_database")" = "$before" ]
check ci/copy-dropped $? "databases before $before, after $(q "$DB" "SELECT count(*) FROM pg_database")"

# Into a named database without keep: made, dry-run, then dropped.
DROPPED="replica_dropped_$$"
DBS="$DBS $DROPPED"
export DROPPED_URL
DROPPED_URL=$(db_url "$DROPPED")
sed -i 's/^      sample: 10$/      sample: 10\n      into: env:DROPPED_URL/' "$REPO/.schemig.yml"
(cd "$REPO" && "$BIN" ci pr --env production >"$WORK/ci2.md" 2>"$WORK/ci2.err")
grep -q "^Dry run on env:DROPPED_URL, a 10 % masked sample of production, projected at .*: ok" "$WORK/ci2.md" &&
	[ -z "$(q "$DB" "SELECT 1 FROM pg_database WHERE datname = '$DROPPED'")" ]
check ci/named-copy-dropped $? "$(head -c 600 "$WORK/ci2.err") $(grep -i "dry run" "$WORK/ci2.md")"

suite_end
