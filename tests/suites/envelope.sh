#!/usr/bin/env bash
# The policy's envelope while an apply runs, and the dry run's figures at
# its gate, on the real PostgreSQL (`make test` runs it):
#
#   tests/suites/envelope.sh BIN      (suite contract: tests/run.sh)
#
# - max_lock_ms as lock_timeout: a step waits for a lock another session
#   holds, times out at the policy's figure, is retried --retries times
#   only, and the apply remediates; the journal says "policy: max_lock_ms";
# - max_lock_ms as the time a lock is held: a validation holding its lock
#   longer is cancelled, not retried, and remediated;
# - max_rows: the estimate lied (rows inserted after ANALYZE), the
#   backfill stops once it has updated more (the rows written before a
#   kill count), and remediates; a step
#   approved past max_rows at the gate may go past it;
# - max_duration_s: past it in the middle of a backfill, and while a step
#   waits for a lock (the statement is cancelled), the apply remediates;
# - apply --dry-run FILE: a step under the limits by its estimate but over
#   them by the dry run's figure pauses, a step over them by its estimate
#   but under them by the dry run's figure goes on; a dry run of another
#   plan is refused;
# - the report a dry run on the copy kept in its journal: read by apply on
#   the environment whose replica it is, raising a figure (pauses) but never
#   lowering one; a journal row that is not a dry run's refused.
# Every run ends at the source (a diff proves it) or, for the dry run's
# figures, at the target, and the journal's outcome says which. The only
# figures of time checked: a lock wait ended before the plan's own 2 s
# lock_timeout, and a backfill of ~30 s stopped before its end.
set -uo pipefail

SUITE=envelope
DBS=("envelope_$$" "envelope_copy_$$")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/apply
suite_cleanup() {
	for p in ${BG:-}; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
}
export ENV_URL COPY_URL
ENV_URL=$(db_url "${DBS[0]}")
U=$ENV_URL
COPY_URL=$(db_url "${DBS[1]}")

REPO=$WORK/repo
mkdir -p "$REPO/db"
cp "$FIX/desired.sql" "$REPO/db/schema.sql"
cat >"$REPO/.schemig.yml" <<'EOF'
schema: db/schema.sql
migrations: { format: sql, dir: migrations }
audit: { file: audit.jsonl }
environments:
  waitlock:
    url: env:ENV_URL
    policy: { max_lock_ms: 300 }
  holdlock:
    url: env:ENV_URL
    policy: { max_lock_ms: 300 }
  rows:
    url: env:ENV_URL
    policy: { max_rows: 1000 }
  approved:
    url: env:ENV_URL
    policy: { max_rows: 1000, approvals: 1 }
  duration:
    url: env:ENV_URL
    policy: { max_duration_s: 2 }
  gated:
    url: env:ENV_URL
    policy: { max_lock_ms: 1000, max_rows: 1000, approvals: 1 }
  replicated:
    url: env:ENV_URL
    replica: env:COPY_URL
    policy: { max_lock_ms: 1000, max_rows: 1000, approvals: 1 }
EOF
(cd "$REPO" && git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm init)
check setup/repo $?

q() { "${PSQL[@]}" -d "$U" -tAc "$1"; }

apply() { # OUT ENV [ARGS...]
	local out=$1 env=$2
	shift 2
	(cd "$REPO" && "$BIN" apply --env "$env" --actor tester "$@") \
		>"$WORK/$out.out" 2>"$WORK/$out.err"
}

# The plan of the database now to TO, as a file: PLAN_NAME TO [OPTION...]
plan_to() {
	local name=$1 to=$2
	shift 2
	"$BIN" plan --from "$U" --to "$to" "${DEVOPT[@]}" --out "$WORK/$name.json" "$@" \
		>"$WORK/$name.plan.out" 2>&1
	check "$name/plan" $? "$(head -c 300 "$WORK/$name.plan.out")"
}

journal_outcome() { # NAME EXPECTED
	local o
	o=$(q "SELECT outcome FROM schemig.applies ORDER BY started DESC LIMIT 1")
	[ "$o" = "$2" ]
	check "$1/journal-$2" $? "journal says '$o'"
}

# The newest apply's trace and its steps' messages contain TEXT.
journal_says() { # NAME TEXT
	local t
	t=$(q "SELECT coalesce(a.trace, '') || ' ' || coalesce(string_agg(s.message, ' | '), '')
	       FROM schemig.applies a LEFT JOIN schemig.apply_steps s ON s.apply_id = a.id
	       WHERE a.id = (SELECT id FROM schemig.applies ORDER BY started DESC LIMIT 1)
	       GROUP BY a.trace")
	case $t in
	*"$2"*) ok "$1/journal-says-policy" ;;
	*) fail "$1/journal-says-policy" "no '$2' in: $(echo "$t" | head -c 600)" ;;
	esac
}

reset_accounts() { # ROWS [SQL]
	load_db "${DBS[0]}" -f "$FIX/source.sql" -c \
		"INSERT INTO accounts (id, email) SELECT g, 'u' || g || '@example.com' FROM generate_series(1, $1) g" \
		-c "ANALYZE accounts" ${2:+-c "$2"}
}

blocker() { # holds ACCESS SHARE on accounts until killed
	PGAPPNAME=envelope-blocker "${PSQL[@]}" -d "$U" -c \
		"BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE; SELECT pg_sleep(600); COMMIT" >/dev/null 2>&1 &
	BG=$!
	for _ in $(seq 100); do
		[ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'envelope-blocker' AND l.granted AND l.relation = 'accounts'::regclass")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

unblock() {
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'envelope-blocker'" >/dev/null
	wait "$BG" 2>/dev/null
	BG=
}

# --- max_lock_ms as lock_timeout ----------------------------------------
# The plan waits 2 s for a lock; the policy allows 300 ms. Held for good by
# another session: one retry (--retries 1), then remediation.
reset_accounts 2000
plan_to waitlock "$FIX/desired.sql"
blocker
check waitlock/blocker-holds $?
apply waitlock waitlock --plan "$WORK/waitlock.json" --retries 1
rc=$?
unblock
[ $rc = 1 ] && grep -q "failed and rolled back" "$WORK/waitlock.err"
check waitlock/exit-1-rolled-back $? "exit $rc: $(tail -c 600 "$WORK/waitlock.err")"
grep -q "policy: max_lock_ms 300 ms (lock_timeout)" "$WORK/waitlock.err" &&
	grep -q "retry 1 of 1" "$WORK/waitlock.err" && ! grep -q "retry 2 of" "$WORK/waitlock.err"
check waitlock/one-retry-then-given-up $? "$(grep -i "step 1" "$WORK/waitlock.err" | head -5)"
a=$(q "SELECT attempts FROM schemig.apply_steps WHERE n = 1 AND phase = 'forward'")
[ "$a" = 2 ]
check waitlock/two-attempts $? "attempts: $a"
# The server gave up on the lock before the plan's own 2 s lock_timeout.
w=$(q "SELECT lock_wait_ms < 2000 FROM schemig.apply_steps WHERE n = 1 AND phase = 'forward'")
[ "$w" = t ]
check waitlock/lock_timeout-from-policy $? "lock_wait_ms: $(q "SELECT lock_wait_ms FROM schemig.apply_steps WHERE n = 1")"
journal_outcome waitlock rolled_back
journal_says waitlock "policy: max_lock_ms 300 ms (lock_timeout)"
no_diff waitlock/at-source "$U" "$FIX/source.sql"

# --- max_lock_ms as the time a lock is held -----------------------------
# A CHECK whose function sleeps: its validation (a transactional step
# under SHARE UPDATE EXCLUSIVE) holds the lock ~2 s, the estimate says
# 0 ms. The watcher cancels it past 300 ms; the constraint added in step
# 1 is dropped again.
cat >"$WORK/slow_source.sql" <<'EOF'
CREATE FUNCTION slow_ok(x integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_sleep(0.002);
    RETURN x >= 0;
END
$$;
CREATE TABLE readings (id integer PRIMARY KEY, v integer NOT NULL);
EOF
sed 's/v integer NOT NULL)/v integer NOT NULL, CONSTRAINT readings_v_ok CHECK (slow_ok(v)))/' \
	"$WORK/slow_source.sql" >"$WORK/slow_desired.sql"
load_db "${DBS[0]}" -f "$WORK/slow_source.sql" -c \
	"INSERT INTO readings SELECT g, g FROM generate_series(1, 1000) g" -c "ANALYZE readings"
plan_to holdlock "$WORK/slow_desired.sql" --no-data-checks
apply holdlock holdlock --plan "$WORK/holdlock.json"
rc=$?
[ $rc = 1 ] && grep -q "policy: max_lock_ms 300 ms: step 2 held a lock on public.readings for [0-9]* ms (ShareUpdateExclusiveLock); cancelled" "$WORK/holdlock.err"
check holdlock/cancelled-rolled-back $? "exit $rc: $(tail -c 800 "$WORK/holdlock.err")"
! grep -q "retry 1 of" "$WORK/holdlock.err"
check holdlock/not-retried $? "$(grep retry "$WORK/holdlock.err")"
journal_outcome holdlock rolled_back
journal_says holdlock "policy: max_lock_ms 300 ms: step"
no_diff holdlock/at-source "$U" "$WORK/slow_source.sql"

# --- max_rows: the estimate lied ----------------------------------------
# Planned on 500 analyzed rows (under max_rows 1000); 2,000 more arrive
# before the apply. The backfill stops once it has updated more than
# 1,000 rows; the column added before it is dropped again.
reset_accounts 500
plan_to rows "$FIX/desired.sql" --batch-size 200
q "INSERT INTO accounts (id, email) SELECT g, 'u' || g FROM generate_series(501, 2500) g" >/dev/null
apply rows rows --plan "$WORK/rows.json"
rc=$?
[ $rc = 1 ] && grep -q "policy: max_rows 1000: the backfill of public.accounts has updated [0-9]* rows (estimated: 500)" "$WORK/rows.err"
check rows/stopped-rolled-back $? "exit $rc: $(tail -c 800 "$WORK/rows.err")"
journal_outcome rows rolled_back
journal_says rows "policy: max_rows 1000"
no_diff rows/at-source "$U" "$FIX/source.sql"
# Killed after the backfill's second batch (under the limit), resumed: the
# rows written before the kill count, as the journal adds them up.
reset_accounts 500
plan_to rows-resumed "$FIX/desired.sql" --batch-size 200
q "INSERT INTO accounts (id, email) SELECT g, 'u' || g FROM generate_series(501, 2500) g" >/dev/null
SCHEMIG_TEST_KILL=batch:2 apply rows-killed rows --plan "$WORK/rows-resumed.json"
rc=$?
before=$(q "SELECT rows FROM schemig.apply_steps WHERE kind = 'backfill' AND phase = 'forward'")
[ $rc = 137 ] && [ "$before" -gt 0 ] && [ "$before" -le 1000 ]
check rows-resumed/killed-under-the-limit $? "exit $rc, rows $before: $(tail -c 300 "$WORK/rows-killed.err")"
apply rows-resumed rows --plan "$WORK/rows-resumed.json" --wait 30
rc=$?
total=$(q "SELECT rows FROM schemig.apply_steps WHERE kind = 'backfill' AND phase = 'forward'")
[ $rc = 1 ] && grep -q "policy: max_rows 1000: the backfill of public.accounts has updated $total rows" "$WORK/rows-resumed.err"
check rows-resumed/counts-rows-before-the-kill $? "exit $rc, journal $total (before the kill $before): $(grep -o 'policy: max_rows[^"]*' "$WORK/rows-resumed.err" | head -1)"
journal_outcome rows-resumed rolled_back
no_diff rows-resumed/at-source "$U" "$FIX/source.sql"
# Estimated past max_rows: the gate pauses; once approved, the backfill
# may go past the limit while it runs.
reset_accounts 2000
plan_to approved "$FIX/desired.sql" --batch-size 200
apply approved-paused approved --plan "$WORK/approved.json"
rc=$?
[ $rc = 1 ] && grep -q "paused before step 3 (backfill public.accounts.token): it goes through 2000 rows (max_rows 1000)" "$WORK/approved-paused.err"
check approved/paused $? "exit $rc: $(cat "$WORK/approved-paused.err")"
plan_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/approved.json")
(cd "$REPO" && "$BIN" approve --env approved --plan "$plan_id") >"$WORK/approve.out" 2>&1
check approved/approve $? "$(cat "$WORK/approve.out")"
apply approved approved --plan "$WORK/approved.json"
check approved/runs-past-max_rows $? "$(tail -c 600 "$WORK/approved.err")"
journal_outcome approved applied
r=$(q "SELECT rows FROM schemig.apply_steps WHERE kind = 'backfill' AND phase = 'forward'")
[ "$r" = 2000 ]
check approved/backfilled-2000 $? "rows: $r"
no_diff approved/at-target "$U" "$FIX/desired.sql"

# --- max_duration_s in the middle of a backfill -------------------------
# 100-row batches (at most doubling) with a second's pause between them
# (apply's own pace would pause for nothing here) on 3,000 rows: ~4 s of
# backfill against a limit of 2 s.
reset_accounts 3000
plan_to duration "$FIX/desired.sql" --batch-size 100
SCHEMIG_TEST_BATCH_PAUSE_MS=1000 apply duration duration --plan "$WORK/duration.json"
rc=$?
# Stopped between two batches, or a batch running at the deadline cancelled.
[ $rc = 1 ] && grep -Eq "step 3 \(backfill\): policy: max_duration_s 2 s \(the apply has run [0-9.]+ s\); (the backfill of public.accounts stopped after [0-9]+ rows|step 3 was cancelled)" "$WORK/duration.err"
check duration/stopped-mid-backfill $? "exit $rc: $(tail -c 800 "$WORK/duration.err")"
n=$(q "SELECT count(*) FROM schemig.apply_steps s JOIN schemig.applies a ON a.id = s.apply_id WHERE s.kind = 'backfill' AND s.phase = 'forward' AND s.status = 'failed' AND s.rows < 3000")
[ "$n" = 1 ]
check duration/backfill-not-finished $? "failed backfill rows: $(q "SELECT rows FROM schemig.apply_steps WHERE kind = 'backfill'")"
journal_outcome duration rolled_back
journal_says duration "policy: max_duration_s 2 s"
no_diff duration/at-source "$U" "$FIX/source.sql"

# --- max_duration_s while a step waits: the statement is cancelled ------
# The plan waits up to 60 s for its lock; the deadline cancels the wait.
reset_accounts 200
plan_to duration-wait "$FIX/desired.sql" --lock-timeout 60000
blocker
check duration-wait/blocker-holds $?
apply duration-wait duration --plan "$WORK/duration-wait.json"
rc=$?
unblock
[ $rc = 1 ] && grep -q "policy: max_duration_s 2 s (the apply has run [0-9.]* s); step 1 was cancelled" "$WORK/duration-wait.err"
check duration-wait/cancelled $? "exit $rc: $(tail -c 800 "$WORK/duration-wait.err")"
journal_outcome duration-wait rolled_back
no_diff duration-wait/at-source "$U" "$FIX/source.sql"

# --- the dry run's figures at the gate ----------------------------------
# A CHECK added NOT VALID (step 1), then validated (step 2, a scan of
# 2,000 rows: over max_rows 1000 by the estimate). A real dry run on a
# copy gives the report; its figures are then set to what each case needs.
cat >"$WORK/check_source.sql" <<'EOF'
CREATE TABLE readings (id integer PRIMARY KEY, v integer NOT NULL);
EOF
sed 's/v integer NOT NULL)/v integer NOT NULL, CONSTRAINT readings_v_ok CHECK (v >= 0))/' \
	"$WORK/check_source.sql" >"$WORK/check_desired.sql"
for d in "${DBS[@]}"; do
	load_db "$d" -f "$WORK/check_source.sql" -c \
		"INSERT INTO readings SELECT g, g FROM generate_series(1, 2000) g" -c "ANALYZE readings"
done
plan_to gate "$WORK/check_desired.sql"
"$BIN" dry-run --plan "$WORK/gate.json" --on "$COPY_URL" "${DEVOPT[@]}" --format json \
	>"$WORK/dry.json" 2>"$WORK/dry.err"
check gate/dry-run $? "$(head -c 400 "$WORK/dry.err")"
edit_dry() { # OUT PYTHON (d: the report)
	python3 - "$WORK/dry.json" "$WORK/$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def step(n):
    return [s for s in d["steps"] if s["n"] == n][0]
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}
kinds=$(python3 -c 'import json,sys; print(",".join(s["kind"] for s in json.load(open(sys.argv[1]))["steps"]))' "$WORK/gate.json")
[ "$kinds" = "add_check_not_valid,validate_constraint" ]
check gate/plan-shape $? "steps: $kinds"
# Step 1's lock: 0 ms by the estimate, 5 s by the (edited) dry run.
edit_dry dry-lock.json 's = step(1); s["lock_held_ms"] = 5000.0; s["projected_ms"] = None'
apply gate-lock gated --plan "$WORK/gate.json" --dry-run "$WORK/dry-lock.json"
rc=$?
[ $rc = 1 ] && grep -q "paused before step 1 (add_check_not_valid .*): its lock was held 5000 ms in the dry run (max_lock_ms 1000)" "$WORK/gate-lock.err"
check gate/dry-run-over-pauses $? "exit $rc: $(cat "$WORK/gate-lock.err")"
journal_outcome gate-lock paused
no_diff gate-lock/at-source "$U" "$WORK/check_source.sql"
# Step 2 by its estimate (2,000 rows) pauses; the dry run says 500 rows:
# the same plan goes on to the target.
apply gate-est gated --plan "$WORK/gate.json"
rc=$?
[ $rc = 1 ] && grep -q "paused before step 2 (validate_constraint .*): it goes through 2000 rows (max_rows 1000)" "$WORK/gate-est.err"
check gate/estimate-over-pauses $? "exit $rc: $(cat "$WORK/gate-est.err")"
edit_dry dry-under.json 'step(2)["rows"] = 500'
apply gate-under gated --plan "$WORK/gate.json" --dry-run "$WORK/dry-under.json"
check gate/dry-run-under-goes-on $? "$(cat "$WORK/gate-under.err")"
journal_outcome gate-under applied
no_diff gate-under/at-target "$U" "$WORK/check_desired.sql"
# A dry run of another plan: refused before anything runs.
load_db "${DBS[0]}" -f "$WORK/check_source.sql" -c \
	"INSERT INTO readings SELECT g, g FROM generate_series(1, 2000) g" -c "ANALYZE readings"
edit_dry dry-other.json 'd["plan_id"] = "0" * 64'
apply gate-other gated --plan "$WORK/gate.json" --dry-run "$WORK/dry-other.json"
rc=$?
[ $rc = 2 ] && grep -q "is the dry run of plan 000000000000, not of the plan to apply" "$WORK/gate-other.err"
check gate/other-plan-refused $? "exit $rc: $(cat "$WORK/gate-other.err")"
n=$(q "SELECT count(*) FROM schemig.applies" 2>/dev/null || echo none)
[ "$n" = none ] || [ "$n" = 0 ]
check gate/other-plan-nothing-journalled $? "applies: $n"
no_diff gate-other/at-source "$U" "$WORK/check_source.sql"

# --- the dry run kept in the replica's journal ----------------------------
# The dry run on the copy above kept its report there; apply on an
# environment whose replica that is reads it without --dry-run. Its
# figures only raise the estimates: whoever can write the copy could have
# written them.
c() { "${PSQL[@]}" -d "$COPY_URL" -tAc "$1"; }
pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/gate.json")
[ "$(c "SELECT count(*) FROM schemig.dry_runs WHERE plan_id = '$pid'")" = 1 ]
check replica/report-kept-by-the-copy $? "$(c "SELECT plan_id FROM schemig.dry_runs" 2>&1)"
no_diff replica/copy-schema-unchanged "$COPY_URL" "$WORK/check_source.sql"
c "UPDATE schemig.dry_runs SET report = jsonb_set(jsonb_set(report::jsonb, '{steps,0,lock_held_ms}', '5000'), '{steps,0,projected_ms}', 'null')::text" >/dev/null
apply replica-over replicated --plan "$WORK/gate.json"
rc=$?
[ $rc = 1 ] && grep -q "paused before step 1 (add_check_not_valid .*): its lock was held 5000 ms in the dry run (max_lock_ms 1000)" "$WORK/replica-over.err"
check replica/higher-figure-pauses $? "exit $rc: $(cat "$WORK/replica-over.err")"
c "UPDATE schemig.dry_runs SET report = jsonb_set(jsonb_set(report::jsonb, '{steps,0,lock_held_ms}', '0'), '{steps,1,rows}', '500')::text" >/dev/null
apply replica-under replicated --plan "$WORK/gate.json"
rc=$?
[ $rc = 1 ] && grep -q "paused before step 2 (validate_constraint .*): it goes through 2000 rows (max_rows 1000)" "$WORK/replica-under.err"
check replica/lower-figure-ignored $? "exit $rc: $(cat "$WORK/replica-under.err")"
journal_outcome replica-under paused
c "UPDATE schemig.dry_runs SET report = '{\"not\": \"a report\"}'" >/dev/null
apply replica-bad replicated --plan "$WORK/gate.json"
rc=$?
[ $rc = 2 ] && grep -q "the dry run in env:COPY_URL's journal" "$WORK/replica-bad.err"
check replica/bad-report-refused $? "exit $rc: $(cat "$WORK/replica-bad.err")"

suite_end
