#!/usr/bin/env bash
# `git schemig apply`, `history` and `rollback`, end to end on the real
# PostgreSQL (`make test` runs it):
#
#   tests/suites/apply.sh BIN      (suite contract: tests/run.sh)
#
# A repository whose schema file adds a column every row gets a value for
# (a batched backfill) and an index built concurrently.
# Every run ends with the database at the target or at the source, proven
# by a diff, and the journal saying which: the happy path with its audit
# trail and history; kill -9 during the backfill of 500,000 rows, after a
# step's commit and
# during CREATE INDEX CONCURRENTLY, each resumed; a lock held by another
# session (retried, the blocker named; or given up and rolled back); a
# constraint violation (rolled back); a remediation that fails too (exit 3,
# the trace in stderr, the audit file and the webhook stand-in); two
# applies at once; drift; a change no committed migration holds; the
# rollback of the last plan. Never asserts on timing.
set -uo pipefail

SUITE=apply
DB="apply_$$"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/apply
suite_cleanup() {
	for p in ${BG:-}; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	stop_fake
}
U=$(db_url "$DB")
export APPLY_DB_URL=$U
# The crash during a backfill runs on 500,000 rows, as a hot table has;
# the other runs need rows, not that many.
BIG=${SCHEMIG_APPLY_ROWS:-500000}
export ROWS=${SCHEMIG_APPLY_SMALL_ROWS:-20000}

# A repository reviewed and merged: .schemig.yml, the schema file and the
# migration `generate` wrote for it, committed.
REPO=$WORK/repo
setup_repo() { # SCHEMA_FILE
	rm -rf "$REPO"
	mkdir -p "$REPO/db"
	cp "$1" "$REPO/db/schema.sql"
	cat >"$REPO/.schemig.yml" <<-'EOF'
		schema: db/schema.sql
		migrations:
		  format: sql
		  dir: migrations
		environments:
		  production:
		    url: env:APPLY_DB_URL
		audit:
		  file: audit/audit.jsonl
		  webhook: env:APPLY_HOOK
	EOF
	(cd "$REPO" && git init -q && git add -A &&
		git -c user.name=t -c user.email=t@e commit -qm init) || return 1
}

reset_db() { # [ROWS]
	load_db "$DB" -f "$FIX/source.sql" -c \
		"INSERT INTO accounts (id, email) SELECT g, 'u' || g || '@example.com' FROM generate_series(1, ${1:-$ROWS}) g"
}

generate() { # NAME
	(cd "$REPO" && "$BIN" generate --env production --name "$1" >/dev/null 2>"$WORK/gen.err" &&
		git add -A && git -c user.name=t -c user.email=t@e commit -qm "$1")
}

apply() { # OUT [ARGS...]
	local out=$1
	shift
	(cd "$REPO" && "$BIN" apply --env production --actor tester "$@") \
		>"$WORK/$out.out" 2>"$WORK/$out.err"
}

q() { "${PSQL[@]}" -d "$U" -tAc "$1"; }

# The database is at the schema file (diff empty), or at the source.
at_target() { no_diff "$1/at-target" "$U" "$FIX/desired.sql"; }
at_source() { no_diff "$1/at-source" "$U" "$FIX/source.sql"; }

every_row_once() { # NAME
	local bad
	bad=$(q "SELECT count(*) FROM accounts WHERE updates <> 1 OR token IS NULL")
	[ "$bad" = 0 ]
	check "$1/every-row-backfilled-once" $? "$bad rows not updated exactly once"
}

journal_outcome() { # NAME EXPECTED
	local o
	o=$(q "SELECT outcome FROM schemig.applies ORDER BY started DESC LIMIT 1")
	[ "$o" = "$2" ]
	check "$1/journal-$2" $? "journal says '$o'"
}

# --- happy path ---------------------------------------------------------
setup_repo "$FIX/desired.sql" && reset_db && generate add_token
check setup $? "$(cat "$WORK/gen.err" 2>/dev/null)"
apply happy
check happy/exit-0 $? "$(cat "$WORK/happy.err")"
grep -q "fingerprint proven" "$WORK/happy.out"
check happy/proven $? "$(cat "$WORK/happy.out")"
at_target happy
every_row_once happy
journal_outcome happy applied
n=$(q "SELECT count(*) FROM schemig.apply_steps WHERE status = 'done' AND phase = 'forward'")
[ "$n" = 5 ]
check happy/journal-5-steps-done $? "$n"
(cd "$REPO" && "$BIN" history --env production) >"$WORK/hist.out" 2>&1
grep -q "applied" "$WORK/hist.out" && grep -q "backfill" "$WORK/hist.out" &&
	grep -q "by tester" "$WORK/hist.out"
check happy/history $? "$(cat "$WORK/hist.out")"
(cd "$REPO" && "$BIN" history --env production --format json) >"$WORK/hist.json" 2>&1
python3 - "$WORK/hist.json" "$REPO/audit/audit.jsonl" >"$WORK/audit.check" 2>&1 <<'PY'
import json, os, sys
h = json.load(open(sys.argv[1]))
assert len(h) == 1 and h[0]["outcome"] == "applied", h
assert [s["n"] for s in h[0]["steps"]] == [1, 2, 3, 4, 5], h[0]["steps"]
assert h[0]["steps"][2]["rows"] == int(os.environ["ROWS"]), h[0]["steps"][2]
lines = [json.loads(l) for l in open(sys.argv[2])]
kinds = [l["event"] for l in lines]
for k in ("plan_loaded", "drift_check", "step_start", "step_end", "completed"):
    assert k in kinds, (k, kinds)
# The backfill's own record: its rows, batches and the size it ended at.
bf = [l for l in lines if l["event"] == "backfill_end"]
assert len(bf) == 1 and bf[0]["ok"] and bf[0]["step"] == 3, bf
assert bf[0]["rows"] == int(os.environ["ROWS"]) and bf[0]["batches"] >= 1, bf
assert 100 <= bf[0]["final_batch_size"] <= 100000 and bf[0]["target_ms"] == 30, bf
for l in lines:
    for k in ("plan_id", "commit", "actor", "env", "apply_id"):
        assert l.get(k), (k, l)
    assert l["actor"] == "tester" and l["env"] == "production", l
PY
check happy/audit-and-history-json $? "$(cat "$WORK/audit.check")"
# The before-state is one query.
b=$(q "SELECT before_sql FROM schemig.applies LIMIT 1")
case "$b" in *"CREATE TABLE"*accounts*) true ;; *) false ;; esac
check happy/before-sql $? "$b"
# Applying again: nothing to do.
apply again
check again/exit-0 $? "$(cat "$WORK/again.err")"
grep -q "nothing to apply" "$WORK/again.out"
check again/nothing $? "$(cat "$WORK/again.out")"

# --- rollback of the last applied plan ----------------------------------
(cd "$REPO" && "$BIN" rollback --env production) >"$WORK/rb.out" 2>"$WORK/rb.err"
check rollback/exit-0 $? "$(cat "$WORK/rb.err")"
at_source rollback
(cd "$REPO" && "$BIN" rollback --env production) >"$WORK/rb2.out" 2>"$WORK/rb2.err"
[ $? = 1 ] && grep -q "rolled back already" "$WORK/rb2.err"
check rollback/twice-refused $? "$(cat "$WORK/rb2.err")"

# --- kill -9 during the backfill, then resume ---------------------------
reset_db "$BIG"
SCHEMIG_TEST_KILL=batch:3 apply killed-backfill
rc=$?
[ $rc = 137 ]
check kill-backfill/killed $? "exit $rc: $(tail -3 "$WORK/killed-backfill.err")"
cp=$(q "SELECT checkpoint IS NOT NULL AND rows > 0 FROM schemig.apply_steps WHERE n = 3 AND phase = 'forward' AND apply_id = (SELECT id FROM schemig.applies ORDER BY started DESC LIMIT 1)")
[ "$cp" = t ]
check kill-backfill/checkpointed $? "checkpoint row: '$cp'"
journal_outcome kill-backfill/before running
apply resumed-backfill --wait 30
check kill-backfill/resume-exit-0 $? "$(cat "$WORK/resumed-backfill.err")"
grep -q "resuming" "$WORK/resumed-backfill.err"
check kill-backfill/said-resuming $? "$(cat "$WORK/resumed-backfill.err")"
at_target kill-backfill
every_row_once kill-backfill
journal_outcome kill-backfill applied

# --- kill -9 right after a step's commit --------------------------------
reset_db
SCHEMIG_TEST_KILL=after-commit:1 apply killed-commit
[ $? = 137 ]
check kill-commit/killed $? "$(tail -3 "$WORK/killed-commit.err")"
s=$(q "SELECT status FROM schemig.apply_steps WHERE n = 1 AND phase = 'forward'")
[ "$s" = done ]
check kill-commit/step-1-done-with-its-commit $? "status '$s'"
apply resumed-commit --wait 30
check kill-commit/resume-exit-0 $? "$(cat "$WORK/resumed-commit.err")"
a=$(q "SELECT attempts FROM schemig.apply_steps WHERE n = 1 AND phase = 'forward' AND apply_id = (SELECT id FROM schemig.applies ORDER BY started DESC LIMIT 1)")
[ "$a" = 1 ]
check kill-commit/step-1-not-run-again $? "attempts $a"
at_target kill-commit
every_row_once kill-commit

# --- kill -9 during CREATE INDEX CONCURRENTLY ---------------------------
# A session holding a snapshot makes the build wait; the apply is killed
# there and its server session ended, leaving an INVALID index behind.
reset_db
"${PSQL[@]}" -d "$U" -c "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1; SELECT pg_sleep(600)" >/dev/null 2>&1 &
HOLD=$!
BG="$HOLD"
(cd "$REPO" && exec "$BIN" apply --env production) >"$WORK/cic.out" 2>"$WORK/cic.err" &
APP=$!
BG="$HOLD $APP"
for _ in $(seq 1200); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND state = 'active'")" = 1 ] && break
	sleep 0.1
done
kill -9 "$APP"
wait "$APP" 2>/dev/null
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'CREATE INDEX CONCURRENTLY%'" >/dev/null
kill "$HOLD" 2>/dev/null
wait "$HOLD" 2>/dev/null
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()" >/dev/null
BG=
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'CREATE INDEX CONCURRENTLY%'")" = 0 ] && break
	sleep 0.1
done
inv=$(q "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'accounts_email_idx' AND NOT i.indisvalid")
[ "$inv" = 1 ]
check kill-cic/invalid-leftover $? "invalid indexes: $inv; $(tail -3 "$WORK/cic.err")"
apply resumed-cic --wait 30
check kill-cic/resume-exit-0 $? "$(cat "$WORK/resumed-cic.err")"
at_target kill-cic
v=$(q "SELECT bool_and(i.indisvalid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'accounts_email_idx'")
[ "$v" = t ]
check kill-cic/index-valid $? "valid: '$v'"

# --- another session holds a conflicting lock ---------------------------
# Released once the apply has retried (not after a fixed time, which a
# slow machine could outlast before the apply reaches the lock): the
# apply retries, naming the blocker, then succeeds.
reset_db
PGAPPNAME=the-blocker "${PSQL[@]}" -d "$U" -c "BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE; SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 &
HOLD=$!
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = 'the-blocker' AND l.relation = 'accounts'::regclass AND l.granted")" = 1 ] && break
	sleep 0.1
done
apply blocked &
APP=$!
BG="$HOLD $APP"
for _ in $(seq 600); do
	grep -q "retry 1 of" "$WORK/blocked.err" 2>/dev/null && break
	sleep 0.1
done
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'the-blocker' AND datname = current_database()" >/dev/null
wait "$APP"
check blocked/exit-0 $? "$(cat "$WORK/blocked.err")"
wait "$HOLD"
BG=
grep -q "blocked by pid [0-9]* (the-blocker" "$WORK/blocked.err"
check blocked/blocker-named $? "$(cat "$WORK/blocked.err")"
grep -q "retry 1 of" "$WORK/blocked.err"
check blocked/retried $? "$(cat "$WORK/blocked.err")"
at_target blocked
# Held for longer than the retries last: given up, rolled back.
reset_db
PGAPPNAME=the-blocker "${PSQL[@]}" -d "$U" -c "BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE; SELECT pg_sleep(600); COMMIT" >/dev/null 2>&1 &
HOLD=$!
BG=$HOLD
sleep 1
apply gave-up --retries 1
rc=$?
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'the-blocker'" >/dev/null
wait "$HOLD" 2>/dev/null
BG=
[ $rc = 1 ]
check gave-up/exit-1 $? "exit $rc: $(cat "$WORK/gave-up.err")"
at_source gave-up
journal_outcome gave-up rolled_back

# --- a constraint violation at step k -----------------------------------
# The plan was made before duplicates arrived: its unique index fails,
# the steps before it are undone, the source is proven.
reset_db
cp "$FIX/desired.sql" "$WORK/unique.sql"
sed -i 's/CREATE INDEX accounts_email_idx/CREATE UNIQUE INDEX accounts_email_idx/' "$WORK/unique.sql"
"$BIN" plan --from "$U" --to "$WORK/unique.sql" --out "$WORK/unique.json" >/dev/null 2>&1
check violation/plan $?
q "UPDATE accounts SET email = 'dup@example.com' WHERE id IN (7, 8)" >/dev/null
apply violation --plan "$WORK/unique.json"
rc=$?
[ $rc = 1 ]
check violation/exit-1 $? "exit $rc: $(cat "$WORK/violation.err")"
grep -q "23505" "$WORK/violation.err" && grep -q "rolled back" "$WORK/violation.err"
check violation/trace $? "$(cat "$WORK/violation.err")"
at_source violation
journal_outcome violation rolled_back
r=$(q "SELECT string_agg(n::text, ',' ORDER BY started) FROM schemig.apply_steps WHERE phase = 'rollback' AND apply_id = (SELECT id FROM schemig.applies ORDER BY started DESC LIMIT 1)")
[ -n "$r" ] && [ "${r##*,}" = 1 ] &&
	[ "$(tr , '\n' <<<"$r")" = "$(tr , '\n' <<<"$r" | sort -rn)" ]
check violation/undone-in-reverse $? "rollback steps: $r"

# --- remediation that fails: exit 3, escalated everywhere ----------------
# A plan (id recomputed) whose step 2 fails and whose step 1 cannot be
# undone as written.
reset_db
start_fake hook || fail webhook/start
export APPLY_HOOK=$API/hook/secret-token
python3 - "$WORK/unique.json" "$WORK/bad.json" <<'PY'
import hashlib, json, sys
p = json.load(open(sys.argv[1]))
p["steps"] = p["steps"][:2]
p["steps"][0]["rollback"] = "ALTER TABLE accounts DROP COLUMN no_such_column;\n"
p["steps"][1]["forward"] = "ALTER TABLE accounts ADD CONSTRAINT c CHECK (id < 0);\n"
del p["id"]
text = json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
p["id"] = hashlib.sha256(text.encode()).hexdigest()
open(sys.argv[2], "w").write(json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n")
PY
apply escalate --plan "$WORK/bad.json"
rc=$?
[ $rc = 3 ]
check escalate/exit-3 $? "exit $rc: $(cat "$WORK/escalate.err")"
grep -q "ESCALATION" "$WORK/escalate.err" && grep -q '"remaining_to_source"' "$WORK/escalate.err" &&
	grep -q "no_such_column" "$WORK/escalate.err"
check escalate/stderr-trace $? "$(cat "$WORK/escalate.err")"
grep -q '"event":"escalated"' "$REPO/audit/audit.jsonl"
check escalate/audit-file $? "$(tail -2 "$REPO/audit/audit.jsonl")"
python3 - "$LOG" >"$WORK/hook.check" 2>&1 <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
posts = [r for r in reqs if r["method"] == "POST" and r["path"].startswith("/hook")]
assert len(posts) == 1, reqs
b = posts[0]["body"]
assert b["failure"]["step"] == 2 and b["failure"]["sqlstate"] == "23514", b
assert "remaining_to_source" in b and "remaining_to_target" in b, b
PY
check escalate/webhook $? "$(cat "$WORK/hook.check")"
! grep -q "secret-token" "$WORK/escalate.err" "$REPO/audit/audit.jsonl"
check escalate/webhook-url-never-shown $?
journal_outcome escalate escalated
# An escalated apply blocks any other plan.
apply after-escalation --plan "$WORK/unique.json"
[ $? = 1 ] && grep -q "unfinished" "$WORK/after-escalation.err"
check escalate/blocks-others $? "$(cat "$WORK/after-escalation.err")"
stop_fake
unset APPLY_HOOK

# --- two applies at once ------------------------------------------------
reset_db
# The blocker holds its lock until the second apply has been refused (it
# is ended then), so that a slow machine cannot let the first finish
# before the second starts.
PGAPPNAME=the-blocker "${PSQL[@]}" -d "$U" -c "BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE; SELECT pg_sleep(60); COMMIT" >/dev/null 2>&1 &
HOLD=$!
(cd "$REPO" && exec "$BIN" apply --env production) >"$WORK/first.out" 2>"$WORK/first.err" &
APP=$!
BG="$HOLD $APP"
for _ in $(seq 300); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'git-schemig apply'")" -ge 1 ] && break
	sleep 0.1
done
apply second
rc=$?
[ $rc = 1 ] && grep -q "another apply holds this database's lock: application 'git-schemig apply', pid" "$WORK/second.err"
check concurrent/second-refused $? "exit $rc: $(cat "$WORK/second.err")"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'the-blocker'" >/dev/null
wait "$APP"
check concurrent/first-exit-0 $? "$(cat "$WORK/first.err")"
wait "$HOLD"
BG=
at_target concurrent

# --- drift -------------------------------------------------------------
reset_db
"$BIN" plan --from "$U" --to "$FIX/desired.sql" --out "$WORK/p.json" >/dev/null 2>&1
q "CREATE TABLE surprise (id int)" >/dev/null
apply drift --plan "$WORK/p.json"
rc=$?
[ $rc = 1 ] && grep -q "drifted" "$WORK/drift.err" && grep -q "surprise" "$WORK/drift.err"
check drift/refused $? "exit $rc: $(cat "$WORK/drift.err")"
n=$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'token'")
[ "$n" = 0 ]
check drift/nothing-ran $? "token columns: $n"

# --- ci merge: apply, then the outcome in the pull request's comment ----
reset_db
start_fake merge || fail ci-merge/start
echo '{"action":"closed","pull_request":{"number":12,"merged":true}}' >"$WORK/event.json"
(cd "$REPO" && GITHUB_TOKEN=t0ken GITHUB_REPOSITORY=o/r GITHUB_API_URL=$API \
	GITHUB_EVENT_PATH=$WORK/event.json GITHUB_SHA=0123456789abcdef0123456789abcdef01234567 \
	GITHUB_ACTOR=merger "$BIN" ci merge --env production --post github) \
	>"$WORK/merge.out" 2>"$WORK/merge.err"
check ci-merge/exit-0 $? "$(cat "$WORK/merge.err")"
at_target ci-merge
python3 - "$LOG" >"$WORK/merge.check" 2>&1 <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
posts = [r for r in reqs if r["method"] in ("POST", "PATCH") and "/issues/" in r["path"]]
assert len(posts) == 1 and posts[0]["path"] == "/repos/o/r/issues/12/comments", reqs
body = posts[0]["body"]["body"]
assert "Merged: applied" in body and "backfill" in body, body
PY
check ci-merge/comment $? "$(cat "$WORK/merge.check")"
w=$(q "SELECT actor || ' ' || commit FROM schemig.applies ORDER BY started DESC LIMIT 1")
[ "$w" = "merger 0123456789abcdef0123456789abcdef01234567" ]
check ci-merge/who-and-commit $? "journal: $w"
stop_fake

# --- a change no committed migration holds -----------------------------
reset_db
cp "$WORK/unique.sql" "$REPO/db/schema.sql"
(cd "$REPO" && git -c user.name=t -c user.email=t@e commit -qam "unreviewed")
apply unreviewed
rc=$?
[ $rc = 1 ] && grep -q "no committed migration holds" "$WORK/unreviewed.err" &&
	grep -q "reviewed: migrations/" "$WORK/unreviewed.err"
check unreviewed/refused $? "exit $rc: $(cat "$WORK/unreviewed.err")"
at_source unreviewed
# The migration for that change, outside the repository, linked in: a
# symbolic link is not a committed migration.
(cd "$REPO" && "$BIN" generate --env production --name outside --dir "$WORK/outside" >/dev/null 2>&1)
ln -s "$(ls "$WORK"/outside/*.sql | head -1)" "$REPO/migrations/linked.sql"
apply linked
rc=$?
[ $rc = 1 ] && grep -q "no committed migration holds" "$WORK/linked.err"
check unreviewed/symlink-is-not-committed $? "exit $rc: $(cat "$WORK/linked.err")"
at_source linked

suite_end
