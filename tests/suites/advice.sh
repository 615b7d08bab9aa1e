#!/usr/bin/env bash
# The model's remediation advice on an escalated apply (`apply --llm`,
# `ci merge --llm`, `rollback --llm`, exec/apply_advice.c), against the stand-in model API
# (tests/llm/fake_llm.py, advice-shaped answers by model name) and the real
# PostgreSQL. A plan whose step 2 fails on a planted row and whose step 1
# cannot be undone escalates (exit 3); with --llm the advice is in the
# trace everywhere the trace goes (stderr, journal, audit file, webhook)
# and in a block for people, and it is never run. What was sent: the
# failing step's SQL and SQLSTATE, never the planted row value (neither in
# the redacted primary message nor through the server's DETAIL), never the
# database's URL or password, never the key. Without --llm nothing is
# sent; llm.enabled asks as --llm does. A refused key, a hang past the
# timeout and an answer outside the schema: exit 3 still, "advice":
# {"error"} in the trace, one line on stderr, the escalation not held up
# past the timeout.
#
#   tests/suites/advice.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=advice
DB="advice_$$"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
suite_cleanup() { stop_fake; }
start_fake_llm || { fail setup "the stand-in model never listened"; exit 1; }
start_fake hook || { fail setup "the webhook stand-in never listened"; exit 1; }
export TEST_LLM_KEY=sk-test-adv1ce-k3y-0000
export APPLY_HOOK=$API/hook/secret-token
U=$(db_url "$DB")
# The environment's URL carries a password (the test server trusts its
# socket and ignores it): it must reach no model.
PW=pw-s3cr3t-adv1ce
export ADVICE_DB_URL="$U&password=$PW"
PLANTED=pl4nted-r0w-value
cd "$WORK" || exit 1

cat >source.sql <<'SQL'
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, note text);
SQL
cat >desired.sql <<'SQL'
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, note text,
    flag boolean);
CREATE INDEX accounts_email_idx ON accounts (email);
SQL

# The repository: the schema file and .schemig.yml with the model MODEL
# (ENABLED: llm.enabled) and TIMEOUT seconds.
REPO=$WORK/repo
setup_repo() { # MODEL [TIMEOUT] [ENABLED]
	rm -rf "$REPO"
	mkdir -p "$REPO/db"
	cp desired.sql "$REPO/db/schema.sql"
	cat >"$REPO/.schemig.yml" <<-EOF
		schema: db/schema.sql
		environments:
		  production:
		    url: env:ADVICE_DB_URL
		audit:
		  file: audit/audit.jsonl
		  webhook: env:APPLY_HOOK
		llm:
		  provider: anthropic
		  model: $1
		  base_url: $BASE
		  api_key: env:TEST_LLM_KEY
		  timeout_s: ${2:-20}
		  enabled: ${3:-false}
	EOF
	(cd "$REPO" && git init -q && git add -A &&
		git -c user.name=t -c user.email=t@e commit -qm init) || return 1
}

# The database at the source, with a row the failing step trips on.
reset_db() {
	load_db "$DB" -f source.sql -c \
		"INSERT INTO accounts VALUES (1, 'a@example.com', '12'), (2, 'b@example.com', '$PLANTED')"
}

# NAME.json: the plan of the change (id recomputed) cut to 2 steps; step 2
# (FORWARD) fails, step 1's rollback cannot run. FORWARD "-": every step
# as planned (the plan applies), step 1's rollback still broken.
make_plan() { # NAME FORWARD
	"$BIN" plan --from "$U" --to desired.sql "${DEVOPT[@]}" --out "$WORK/engine.json" >/dev/null 2>"$WORK/plan.err" &&
		python3 - "$WORK/engine.json" "$WORK/$1.json" "$2" <<'PY'
import hashlib, json, sys
p = json.load(open(sys.argv[1]))
p["steps"][0]["rollback"] = "ALTER TABLE accounts DROP COLUMN no_such_column;\n"
if sys.argv[3] != "-":
    p["steps"] = p["steps"][:2]
    s = p["steps"][1]
    s["forward"] = sys.argv[3] + "\n"
    s["rollback"] = "SELECT 1;\n"
    s["transactional"] = True
    s["rollback_transactional"] = True
del p["id"]
text = json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
p["id"] = hashlib.sha256(text.encode()).hexdigest()
open(sys.argv[2], "w").write(json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n")
PY
}

apply() { # OUT [ARGS...]: exit code in $rc
	local out=$1
	shift
	rc=0
	(cd "$REPO" && "$BIN" apply --env production --actor tester "$@") \
		>"$WORK/$out.out" 2>"$WORK/$out.err" || rc=$?
}
q() { "${PSQL[@]}" -d "$U" -tAc "$1"; }
# The journal's trace of the newest apply, to $WORK/NAME.trace.
journal_trace() { q "SELECT trace FROM schemig.applies ORDER BY started DESC LIMIT 1" >"$WORK/$1.trace"; }
nreq() { wc -l <"$LLOG"; }

CAST="ALTER TABLE accounts ALTER COLUMN note TYPE integer USING note::integer;"
reset_db && make_plan cast "$CAST" && setup_repo advice-ok
check setup $? "$(cat "$WORK/plan.err")"

# --- without --llm: nothing sent, no advice ----------------------------
apply nollm --plan "$WORK/cast.json"
[ "$rc" = 3 ] && [ "$(nreq)" = 0 ] && ! grep -q "Advice from" nollm.err &&
	grep -q "ESCALATION" nollm.err
check nollm/exit-3-nothing-sent $? "exit $rc, $(nreq) requests: $(head -c 600 nollm.err)"
journal_trace nollm
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert "advice" not in t and t["failure"]["sqlstate"] == "22P02", t' nollm.trace
check nollm/no-advice-in-trace $? "$(head -c 400 nollm.trace)"

# --- --llm with a valid answer -----------------------------------------
reset_db
: >"$LOG"
apply ok --plan "$WORK/cast.json" --llm
[ "$rc" = 3 ] && [ "$(nreq)" = 1 ]
check ok/exit-3-one-request $? "exit $rc, $(nreq) requests: $(head -c 600 ok.err)"
grep -q "^Advice from anthropic/advice-ok (not run, not checked; read before running anything):$" ok.err &&
	grep -q "step 2 failed with 22P02" ok.err && grep -q "Read the failed step's table" ok.err &&
	grep -q "SELECT count(\*) FROM accounts;" ok.err && grep -q "Risk: advice-risk: medium" ok.err
check ok/advice-block-on-stderr $? "$(tail -c 800 ok.err)"
# The trace on stderr holds it too, and the block comes after the trace.
python3 - ok.err <<'PY'
import json, sys
t = open(sys.argv[1]).read()
j = json.JSONDecoder().raw_decode(t[t.index("Trace:\n") + 7:])[0]
a = j["advice"]
assert a["by"] == "anthropic/advice-ok" and a["unchecked"] is True, a
assert a["summary"].startswith("step 2 failed with 22P02") and len(a["actions"]) == 2, a
assert t.index("Trace:") < t.index("Advice from"), "block before the trace"
PY
check ok/advice-in-stderr-trace $?
# The model's escape sequence never reaches the terminal raw.
! grep -q $'\x1b' ok.err
check ok/no-raw-escape $?
journal_trace ok
python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["advice"]; assert a["by"] == "anthropic/advice-ok" and a["risk"] == "advice-risk: medium" and a["unchecked"] is True, a' ok.trace
check ok/advice-in-journal $? "$(head -c 400 ok.trace)"
python3 - "$REPO/audit/audit.jsonl" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
esc = [e for e in ev if e["event"] == "escalated"]
assert len(esc) == 2, esc
assert "advice" not in esc[0]["trace"], esc[0]
assert esc[1]["trace"]["advice"]["by"] == "anthropic/advice-ok", esc[1]
PY
check ok/advice-in-audit-file $?
python3 - "$LOG" <<'PY'
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1])]
posts = [r for r in posts if r["method"] == "POST" and r["path"].startswith("/hook")]
assert len(posts) == 1, posts
a = posts[0]["body"]["advice"]
assert a["by"] == "anthropic/advice-ok" and a["actions"][0]["sql"].startswith("SELECT"), a
PY
check ok/advice-in-webhook $?
# What was sent: the steps' SQL, the failing step and its SQLSTATE, the
# redacted primary message, the environment; never the planted value, the
# URL, its password or the key.
python3 - "$LLOG" "$CAST" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[0])
u = json.loads(r["body"]["messages"][0]["content"])
assert set(u) == {"task", "environment", "steps", "failure", "why", "rolled_back",
                  "remaining_to_source", "remaining_to_target"}, sorted(u)
assert u["environment"] == "production", u["environment"]
assert [s["n"] for s in u["steps"]] == [1, 2] and u["steps"][1]["forward"].strip() == sys.argv[2], u["steps"]
f = u["failure"]
assert f["step"] == 2 and f["sqlstate"] == "22P02" and f["sql"].strip() == sys.argv[2], f
assert f["message"] == "invalid input syntax for type integer: <redacted>", f["message"]
assert "detail" not in f and "blockers" not in f, f
assert f["rollback_failure"]["sqlstate"] == "42703", f
assert f["rollback_failure"]["message"] == 'column "no_such_column" of relation "accounts" does not exist', f
assert "flag" in u["remaining_to_source"], u["remaining_to_source"]
sch = r["body"]["output_config"]["format"]["schema"]
assert sch["additionalProperties"] is False and set(sch["required"]) == {"summary", "actions", "risk"}, sch
item = sch["properties"]["actions"]["items"]
assert item["additionalProperties"] is False and set(item["required"]) == {"description", "sql"}, item
PY
check ok/what-was-sent $?
# (The key goes in its header, as it must: the bodies are checked.)
python3 -c 'import json,sys; [print(json.dumps(json.loads(l)["body"])) for l in open(sys.argv[1])]' "$LLOG" >bodies.json
host=$(sed -n 's/.*[?&]host=\([^&]*\).*/\1/p' <<<"$U")
[ -s bodies.json ] && ! grep -qF -e "$PLANTED" -e "$PW" -e "$TEST_LLM_KEY" -e "$host" -e "$DB" bodies.json
check ok/no-row-value-url-password-or-key-sent $? "$(grep -oF -e "$PLANTED" -e "$PW" -e "$TEST_LLM_KEY" -e "$host" -e "$DB" bodies.json | sort -u)"
# The planted value was there to leak: the trace kept locally has it.
grep -qF "$PLANTED" ok.trace
check ok/planted-value-was-in-the-failure $?
! grep -qF -e "$TEST_LLM_KEY" -e "$PW" ok.err ok.out ok.trace "$REPO/audit/audit.jsonl"
check ok/key-and-password-never-shown $?

# --- ci merge --llm: resumes the escalated apply, escalates with advice -
: >"$LOG"
rc=0
(cd "$REPO" && "$BIN" ci merge --env production --llm) >merge.out 2>merge.err || rc=$?
[ "$rc" = 3 ] && grep -q "resuming" merge.err &&
	grep -q "^Advice from anthropic/advice-ok" merge.err
check merge/exit-3-advice $? "exit $rc: $(tail -c 600 merge.err)"
journal_trace merge
python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["advice"]; assert a["by"] == "anthropic/advice-ok", a' merge.trace
check merge/advice-in-journal $? "$(head -c 300 merge.trace)"
# The advice's SQL was never run (the stand-in's second action is
# harmless by design; its first reads): no table, no change.
[ "$(q "SELECT count(*) FROM accounts WHERE note = '$PLANTED'")" = 1 ]
check merge/data-untouched $?

# --- a unique violation: the value is in the server's DETAIL ------------
reset_db
q "UPDATE accounts SET email = 'dup-$PLANTED' WHERE id IN (1, 2)" >/dev/null
make_plan uniq "ALTER TABLE accounts ADD CONSTRAINT accounts_email_uq UNIQUE (email);"
check detail/plan $? "$(cat "$WORK/plan.err")"
n=$(nreq)
apply detail --plan "$WORK/uniq.json" --llm
journal_trace detail
[ "$rc" = 3 ] && [ "$(nreq)" = $((n + 1)) ] && grep -qF "dup-$PLANTED" detail.trace
check detail/exit-3-detail-in-trace $? "exit $rc, $(nreq) requests: $(head -c 400 detail.err)"
python3 - "$LLOG" "$PLANTED" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
u = json.loads(r["body"]["messages"][0]["content"])
assert u["failure"]["sqlstate"] == "23505", u["failure"]
assert u["failure"]["message"] == 'could not create unique index "accounts_email_uq"', u["failure"]
assert sys.argv[2] not in json.dumps(r), "the DETAIL's value was sent"
PY
check detail/detail-not-sent $?

# --- rollback --llm: the last plan's rollback escalates ------------------
# The plan applies, then its step 1 cannot be undone.
reset_db
make_plan fine -
apply fine --plan "$WORK/fine.json"
[ "$rc" = 0 ]
check rollback/applied $? "exit $rc: $(tail -c 400 fine.err)"
n=$(nreq)
rc=0
(cd "$REPO" && "$BIN" rollback --env production --llm) >rollback.out 2>rollback.err || rc=$?
journal_trace rollback
[ "$rc" = 3 ] && grep -q "^Advice from anthropic/advice-ok" rollback.err &&
	[ "$(nreq)" = $((n + 1)) ] &&
	python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["advice"]; assert a["by"] == "anthropic/advice-ok" and a["summary"].startswith("step 1 failed with 42703"), a' rollback.trace
check rollback/exit-3-advice $? "exit $rc, $(nreq) requests: $(tail -c 600 rollback.err)"

# --- a refused key: exit 3, advice.error, one line ------------------------
fails() { # NAME MODEL TIMEOUT ENABLED [ARGS...]: the model fails
	local name=$1
	setup_repo "$2" "$3" "$4"
	reset_db
	shift 4
	local t0=$SECONDS
	apply "$name" --plan "$WORK/cast.json" "$@"
	took=$((SECONDS - t0))
	journal_trace "$name"
	[ "$rc" = 3 ] && grep -q "ESCALATION" "$WORK/$name.err" &&
		[ "$(grep -c "no advice from the model" "$WORK/$name.err")" = 1 ] &&
		! grep -q "Advice from" "$WORK/$name.err"
	check "$name/exit-3-one-line" $? "exit $rc: $(tail -c 600 "$WORK/$name.err")"
}
# err NAME: the journal's advice.error
err() { python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["advice"]; assert set(a) == {"error"}, a; print(a["error"])' "$WORK/$1.trace"; }
fails unauth unauth 20 false --llm
err unauth | grep -q "TEST_LLM_KEY"
check unauth/error-in-trace $? "$(err unauth 2>&1 | head -c 300)"
! grep -qF "$TEST_LLM_KEY" unauth.err unauth.out unauth.trace "$REPO/audit/audit.jsonl"
check unauth/key-never-shown $?

# --- a hang past the timeout: not held up past it -------------------------
# The stand-in answers after 20 s; the timeout is 2 s.
fails hang hang 2 false --llm
err hang | grep -qi "time"
check hang/error-in-trace $? "$(err hang 2>&1 | head -c 300)"
[ "$took" -lt 15 ]
check hang/not-held-up $? "took ${took}s with a 2 s timeout"

# --- an answer outside the schema; llm.enabled without --llm -------------
n=$(nreq)
fails bad advice-bad 20 true
[ "$(nreq)" = $((n + 1)) ] && err bad | grep -q "outside the advice's schema"
check bad/enabled-asks-error-in-trace $? "$(nreq) requests; $(err bad 2>&1 | head -c 300)"

suite_end
