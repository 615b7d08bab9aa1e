#!/usr/bin/env bash
# `git schemig dry-run`, end to end (`make test` runs it):
#
#   tests/suites/dryrun.sh BIN      (suite contract: tests/run.sh)
#
# A table of 200,000 rows is planned towards NOT NULL, a new column, an
# index and a foreign key; the dry run on that database must measure the
# real row counts, pass both proofs and leave the schema and the rows as
# they were. A plan with its last steps cut off (and a recomputed id) must
# fail the forward proof with the leftover shown; a dry run interrupted
# with SIGTERM during a long backfill must leave the database as it was;
# --on the production environment is refused. Never asserts on timing.
set -uo pipefail

SUITE=dryrun
DB="dryrun_$$"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/dryrun
# A dry run left running by an early exit.
suite_cleanup() {
	[ -n "${RUNNING:-}" ] && kill "$RUNNING" 2>/dev/null && wait "$RUNNING"
}
U=$(db_url "$DB")

load_db "$DB" -f "$FIX/source.sql" -f "$FIX/data.sql" ||
	{
		fail setup "cannot create the database"
		exit 0
	}

# The database is as it was: no schema difference from source.sql and
# every row still there.
unchanged() { # NAME
	local d rows
	d=$("$BIN" diff --from "$U" --to "$FIX/source.sql" 2>&1)
	check "$1/schema-unchanged" $? "$d"
	[ -z "$d" ] || fail "$1/schema-diff-empty" "$d"
	rows=$("${PSQL[@]}" -d "$U" -tAc "SELECT count(*) FROM orders")
	[ "$rows" = 200000 ]
	check "$1/rows-unchanged" $? "orders has $rows rows"
}

# --- a good plan: measured, both proofs pass ---------------------------
"$BIN" plan --from "$U" --to "$FIX/desired.sql" --out "$WORK/p.json" \
	>"$WORK/plan.out" 2>&1
check plan $? "$(cat "$WORK/plan.out")"
"$BIN" dry-run --plan "$WORK/p.json" --on "$U" --report "$WORK/r.json" \
	>"$WORK/run.out" 2>&1
check good/exit-0 $? "$(cat "$WORK/run.out")"
grep -q "forward proof (reaches the target): ok" "$WORK/run.out" &&
	grep -q "rollback proof (back to the source): ok" "$WORK/run.out"
check good/proof-lines $? "$(cat "$WORK/run.out")"
python3 - "$WORK/r.json" >"$WORK/check.out" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["format"] == 1 and r["ok"] is True and r["error"] is None, r
p = r["proof"]
assert p["forward_empty"] and p["rollback_empty"], p
assert p["forward_leftover"] is None and p["rollback_leftover"] is None
kinds = {s["kind"] for s in r["steps"]}
for k in ("create_index_concurrently", "validate_constraint",
          "add_foreign_key_not_valid", "set_not_null"):
    assert k in kinds, (k, kinds)
for s in r["steps"]:
    assert s["ok"], s
    if s["kind"] in ("create_index_concurrently", "validate_constraint"):
        # Steps that go through the whole table: the real count.
        assert s["rows"] == 200000, s
        assert s["source_rows"] == 200000, s
        assert s["projected_ms"] is not None, s
    if s["kind"] == "create_index_concurrently":
        assert s["index_bytes_after"] > s["index_bytes_before"], s
        assert s["wal_bytes"] > 0, s
        assert s["strongest_lock"] == "ShareUpdateExclusiveLock", s
    if s["kind"] == "set_not_null":
        assert s["strongest_lock"] == "AccessExclusiveLock", s
undone = [s["n"] for s in r["rollback_steps"]]
assert undone == sorted(undone, reverse=True), undone
assert set(r["totals"]) == {"wall_ms", "max_lock_held_ms", "wal_bytes"}
PY
check good/report $? "$(cat "$WORK/check.out")"
unchanged good

"$BIN" dry-run --plan "$WORK/p.json" --on "$U" --format json \
	>"$WORK/run.json" 2>/dev/null
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["ok"]' \
	"$WORK/run.json" 2>/dev/null
check good/format-json $? "$(head -c 300 "$WORK/run.json")"

# --- a wrong plan: the foreign key's steps cut off ---------------------
python3 "$FIX/drop_steps.py" "$WORK/p.json" "$WORK/bad.json" 2 &&
	"$BIN" dry-run --plan "$WORK/bad.json" --on "$U" \
		--to "$FIX/desired.sql" >"$WORK/bad.out" 2>&1
code=$?
[ "$code" = 1 ]
check wrong/exit-1 $? "exit $code: $(cat "$WORK/bad.out")"
grep -q "forward proof (reaches the target): FAILED" "$WORK/bad.out" &&
	grep -q "FOREIGN KEY" "$WORK/bad.out"
check wrong/leftover-shown $? "$(cat "$WORK/bad.out")"
unchanged wrong

# --- interrupted during a long backfill --------------------------------
"$BIN" plan --from "$U" --to "$FIX/long.sql" --out "$WORK/long.json" \
	--batch-size 2000 --batch-pause 50 >/dev/null 2>&1
"$BIN" dry-run --plan "$WORK/long.json" --on "$U" >"$WORK/int.out" 2>&1 &
RUNNING=$!
# Wait until the backfill's DO block is running, then interrupt.
for _ in $(seq 1 300); do
	n=$("${PSQL[@]}" -d "$URL" -tAc "SELECT count(*) FROM pg_stat_activity
		WHERE datname = '$DB' AND query LIKE 'DO %'")
	[ "$n" != 0 ] && break
	sleep 0.05
done
sleep 0.3
kill -TERM "$RUNNING" 2>/dev/null
wait "$RUNNING"
code=$?
RUNNING=
[ "$code" = 1 ] && grep -q "interrupted at step" "$WORK/int.out"
check interrupted/reported $? "exit $code: $(cat "$WORK/int.out")"
grep -q "rollback proof (back to the source): ok" "$WORK/int.out"
check interrupted/rolled-back $? "$(cat "$WORK/int.out")"
unchanged interrupted

# --- production is refused ---------------------------------------------
mkdir -p "$WORK/proj"
cat >"$WORK/proj/.schemig.yml" <<YML
environments:
  production:
    url: env:DRYRUN_PROD_URL
YML
(cd "$WORK/proj" && DRYRUN_PROD_URL=$U "$BIN" dry-run \
	--plan "$WORK/p.json" --on "$U" >"$WORK/prod.out" 2>&1)
code=$?
[ "$code" = 2 ] && grep -q production "$WORK/prod.out"
check production/refused $? "exit $code: $(cat "$WORK/prod.out")"
unchanged production

# The same database spelled another way (spelled: the socket directory
# percent-encoded, a trailing "/."), for an environment of any name: the
# servers' identities are compared, not the URLs.
S=$(spelled "$U")
[ "$S" != "$U" ]
check spelled/differs $? "$S"
# A dry run on --on ON while the environment's URL is ENV_URL: refused,
# naming the environment ENV.
refused() { # NAME ENV_URL ON ENV
	local out=$WORK/${1//\//_}.out code
	(cd "$WORK/proj" && DRYRUN_PROD_URL=$2 "$BIN" dry-run \
		--plan "$WORK/p.json" --on "$3" >"$out" 2>&1)
	code=$?
	[ "$code" = 2 ] && grep -q "environment '$4'" "$out"
	check "$1" $? "exit $code: $(cat "$out")"
}
refused production/spelled-refused "$U" "$S" production
# protected: false (which a branch may write) does not turn the identity
# check off.
printf 'environments:\n  production:\n    url: env:DRYRUN_PROD_URL\n    protected: false\n' \
	>"$WORK/proj/.schemig.yml"
refused unprotected/still-refused "$U" "$S" production
printf 'environments:\n  billing:\n    url: env:DRYRUN_PROD_URL\n' >"$WORK/proj/.schemig.yml"
refused any-environment/refused "$S" "$U" billing
unchanged any-environment

# A role that may not call pg_control_system(): the server's start time,
# port and database still identify it.
LOWLY=dryrun_lowly_$$
"${PSQL[@]}" -d "$U" -c "CREATE ROLE $LOWLY LOGIN" \
	-c "REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC" >/dev/null
LU="$U&user=$LOWLY"
[[ $U == *user=* ]] && LU=${U/user=postgres/user=$LOWLY}
"${PSQL[@]}" -d "$LU" -tAc "SELECT system_identifier FROM pg_control_system()" \
	>"$WORK/lowly.out" 2>&1
grep -q "permission denied" "$WORK/lowly.out"
check no-sysid/permission-denied $? "$(cat "$WORK/lowly.out")"
refused no-sysid/refused "$U" "$LU" billing
"${PSQL[@]}" -d "$U" -c "GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC" \
	-c "DROP ROLE $LOWLY" >/dev/null
unchanged no-sysid
# The dry runs on another database go on: the environment is not --on.
(cd "$WORK/proj" && DRYRUN_PROD_URL=$URL "$BIN" dry-run \
	--plan "$WORK/p.json" --on "$U" >"$WORK/other.out" 2>&1)
check other-environment/runs $? "$(cat "$WORK/other.out")"

# --- on a throwaway server, from the DDL file --------------------------
"$BIN" dry-run --on dev --from "$FIX/source.sql" --to "$FIX/desired.sql" \
	>"$WORK/dev.out" 2>&1
check dev/exit-0 $? "$(cat "$WORK/dev.out")"
"$BIN" dry-run --on dev --to "$FIX/desired.sql" >"$WORK/dev2.out" 2>&1
code=$?
[ "$code" = 2 ]
check dev/needs-from $? "exit $code: $(cat "$WORK/dev2.out")"

# --- a step that fails: the steps before it are rolled back ------------
# A NULL status makes the NOT NULL validation fail on this copy.
"${PSQL[@]}" -d "$U" -c "INSERT INTO orders VALUES (0, 1, NULL, 0)"
"$BIN" dry-run --plan "$WORK/p.json" --on "$U" --report "$WORK/f.json" \
	>"$WORK/fail.out" 2>&1
code=$?
[ "$code" = 1 ] && grep -q "failed at step 2 (validate_constraint)" \
	"$WORK/fail.out"
check failing-step/reported $? "exit $code: $(cat "$WORK/fail.out")"
python3 - "$WORK/f.json" >"$WORK/check.out" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False and len(r["steps"]) == 2, r["steps"]
assert r["steps"][1]["ok"] is False and r["steps"][1]["error"], r["steps"]
assert [s["n"] for s in r["rollback_steps"]] == [1], r["rollback_steps"]
assert r["proof"]["rollback_empty"] is True, r["proof"]
PY
check failing-step/rolled-back $? "$(cat "$WORK/check.out")"
"${PSQL[@]}" -d "$U" -c "DELETE FROM orders WHERE id = 0"
unchanged failing-step
suite_end
