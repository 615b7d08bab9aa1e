#!/usr/bin/env bash
# `git schemig plan --llm` (draft/): the model drafts, the engine proves.
# Against the stand-in model API (tests/llm/fake_llm.py, plan-shaped
# answers chosen by model name; no hosted provider is reachable here) and
# the real PostgreSQL: a valid draft accepted (steps drafted_by the model,
# --format json clean, the plan applied reaches the target); a rename
# drafted for a drop/add pair accepted and the data kept; an injected
# DROP TABLE of another table rejected, repaired in a second round, or
# after the rounds left to the engine's plan with the reason; malformed
# JSON, a plan that misses a change, a stronger lock, a refused key: the
# engine's plan with the reason; 429 then success; the cache (a second
# run sends nothing); nothing sent without --llm.
#
#   tests/suites/draft.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=draft
DB=schemig_draft
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_fake_llm || { fail setup "the stand-in never listened"; exit 1; }
export TEST_LLM_KEY=sk-test-dr4ft-k3y-0000
cd "$WORK" || exit 1

cat >current.sql <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, email text, name text);
CREATE TABLE public.audit (id bigint PRIMARY KEY, note text);
SQL
cat >desired.sql <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, email text, name text, nick text);
CREATE INDEX users_email_idx ON public.users (email);
CREATE TABLE public.audit (id bigint PRIMARY KEY, note text);
SQL
cat >renamed.sql <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, email text, full_name text);
CREATE TABLE public.audit (id bigint PRIMARY KEY, note text);
SQL
cat >split.sql <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, email text, first_name text, last_name text);
CREATE TABLE public.audit (id bigint PRIMARY KEY, note text);
SQL

# config MODEL [TIMEOUT_S]: .schemig.yml for one case.
config() {
	cat >.schemig.yml <<YML
dialect: postgres
llm:
  provider: anthropic
  model: $1
  base_url: $BASE
  api_key: env:TEST_LLM_KEY
  timeout_s: ${2:-10}
YML
}
nreq() { wc -l <"$LLOG"; }
# plan NAME TO [ARGS...]: plan --llm from current.sql to TO as JSON into
# NAME.json (stderr NAME.err), exit in $rc.
plan() {
	local name=$1 to=$2
	shift 2
	rc=0
	"$BIN" plan --from current.sql --to "$to" "${DEVOPT[@]}" --format json \
		"$@" >"$name.json" 2>"$name.err" || rc=$?
}
# q NAME EXPR: a Python expression on NAME.json (p).
q() { python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1.json" "$2"; }
# engine NAME: every step the engine's; note NAME: the reason in the
# plan's draft record.
engine() { q "$1" 'all(s["drafted_by"] == "engine" for s in p["steps"]) and len(p["steps"]) > 0'; }
note() { q "$1" '(p.get("draft") or {}).get("reason") or ""'; }

# Without --llm (and llm.enabled unset) nothing is sent.
config plan-ok
plan nollm desired.sql
[ "$rc" -eq 0 ] && [ "$(nreq)" -eq 0 ] && [ "$(engine nollm)" = True ]
check nothing-sent-without-llm $? "rc $rc, $(nreq) requests: $(head -c 300 nollm.err)"

# A valid draft: accepted, drafted_by the model, stdout clean JSON.
plan ok desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(nreq)" -eq 1 ] &&
	[ "$(q ok 'sorted(set(s["drafted_by"] for s in p["steps"])), len(p["steps"]) >= 2')" = "(['anthropic/plan-ok'], True)" ]
check valid-draft-accepted $? "rc $rc, $(nreq) requests: $(head -c 400 ok.err) $(head -c 300 ok.json)"
q ok 'p["steps"][0]["note"]' | grep -q 'as the engine has it'
check explanation-kept $? "$(q ok 'p["steps"][0]["note"]' 2>&1 | head -c 200)"
# The plan's draft record: who, accepted, the model's summary.
[ "$(q ok 'p["draft"]["by"], p["draft"]["accepted"], p["draft"]["summary"], p["draft"]["reason"]')" = "('anthropic/plan-ok', True, 'drafted by plan-ok', None)" ]
check draft-record $? "$(q ok 'p.get("draft")' 2>&1 | head -c 300)"
# Without --llm: no record at all (the plan's id is as before).
[ "$(q nollm '"draft" in p')" = False ]
check no-record-without-llm $?
"$BIN" plan --from current.sql --to desired.sql "${DEVOPT[@]}" --llm >ok.txt 2>/dev/null &&
	grep -q '^Drafted by anthropic/plan-ok: proven and used$' ok.txt &&
	grep -q '^  summary: drafted by plan-ok$' ok.txt
check draft-record-in-text $? "$(head -c 400 ok.txt)"
# What was sent: the change list, the engine's plan, the estimates, the
# rules, the schema; never the key in the body.
python3 - "$LLOG" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
u = json.loads(r["body"]["messages"][0]["content"])
assert {"changes", "engine_plan", "estimates", "policy", "safety_rules"} <= set(u), u.keys()
assert any(c["kind"] == "add_column" for c in u["changes"]), u["changes"]
assert "public.users" in u["estimates"], u["estimates"]
assert any("CONCURRENTLY" in x for x in u["safety_rules"])
sch = r["body"]["output_config"]["format"]["schema"]
assert sch["additionalProperties"] is False and set(sch["required"]) == {"summary", "steps", "renames", "samples"}
smp = sch["properties"]["samples"]["items"]
assert smp["additionalProperties"] is False and set(smp["required"]) == {"table", "before", "after"}
step = sch["properties"]["steps"]["items"]
assert step["additionalProperties"] is False and len(step["required"]) == 7
PY
check what-was-sent $?
! grep -qF "$TEST_LLM_KEY" ok.json ok.err
check key-not-printed $?

# The accepted plan, applied to a database holding the source, reaches
# the target.
load_db "$DB" -f current.sql
"$BIN" plan --from current.sql --to desired.sql "${DEVOPT[@]}" --llm --format sql >ok.sql 2>ok-sql.err &&
	"${PSQL[@]}" -d "$(db_url "$DB")" -f ok.sql >/dev/null 2>ok-apply.err
check applied-draft-runs $? "$(head -c 300 ok-sql.err ok-apply.err)"
no_diff applied-draft-reaches-target "$(db_url "$DB")" desired.sql

# The cache: the same run again sends nothing; --no-cache sends.
n=$(nreq)
plan ok2 desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(nreq)" -eq "$n" ] && [ "$(q ok2 'p["steps"][0]["drafted_by"]')" = anthropic/plan-ok ]
check cache-second-run-sends-nothing $? "rc $rc, $(nreq) requests (was $n)"
plan ok3 desired.sql --llm --no-cache
[ "$rc" -eq 0 ] && [ "$(nreq)" -eq $((n + 1)) ]
check no-cache-sends $? "rc $rc, $(nreq) requests (was $n)"

# A rename drafted for the drop/add pair: proven, accepted, data kept.
config plan-rename
plan rename renamed.sql --llm
[ "$rc" -eq 0 ] && [ "$(q rename '[s["forward"].strip() for s in p["steps"]], p["steps"][0]["drafted_by"]')" = "(['ALTER TABLE public.users RENAME COLUMN name TO full_name;'], 'anthropic/plan-rename')" ]
check rename-accepted $? "rc $rc: $(head -c 400 rename.err) $(head -c 300 rename.json)"
[ "$(q rename '[(r["from"], r["to"]) for r in p["draft"]["renames"]]')" = "[('public.users.name', 'public.users.full_name')]" ]
check rename-recorded $? "$(q rename 'p["draft"]' 2>&1 | head -c 300)"
load_db "$DB" -f current.sql -c "INSERT INTO users VALUES (1, 'a@x', 'Ada')"
"$BIN" plan --from current.sql --to renamed.sql "${DEVOPT[@]}" --llm --format sql >rename.sql 2>/dev/null &&
	"${PSQL[@]}" -d "$(db_url "$DB")" -f rename.sql >/dev/null 2>rename-apply.err &&
	[ "$("${PSQL[@]}" -At -d "$(db_url "$DB")" -c 'SELECT full_name FROM users WHERE id = 1')" = Ada ]
check rename-keeps-data $? "$(head -c 300 rename-apply.err)"
no_diff rename-reaches-target "$(db_url "$DB")" renamed.sql

# A declared rename made by a DROP and an ADD: rejected before the proof.
config plan-rename-dropadd
plan dropadd renamed.sql --llm
[ "$rc" -eq 0 ] && [ "$(engine dropadd)" = True ] &&
	note dropadd | grep -q 'the rename of public.users.name to public.users.full_name is declared, but no step renames anything in public.users'
check rename-by-drop-add-rejected $? "rc $rc: $(note dropadd 2>&1 | head -c 400)"

# A column split with its data migration: the model's sample row
# ('Ada Lovelace') is put in the proof's copy and followed through the
# plan and its rollback; the plan applied to real rows splits them.
config plan-split
plan split split.sql --llm
[ "$rc" -eq 0 ] && [ "$(q split 'len(p["steps"]), p["steps"][1]["drafted_by"]')" = "(3, 'anthropic/plan-split')" ]
check split-accepted $? "rc $rc: $(head -c 600 split.err) $(note split 2>&1 | head -c 300)"
load_db "$DB" -f current.sql -c "INSERT INTO users VALUES (1, 'a@x', 'Grace Brewster Hopper'), (2, 'b@x', NULL)"
"$BIN" plan --from current.sql --to split.sql "${DEVOPT[@]}" --llm --format sql >split.sql.out 2>/dev/null &&
	"${PSQL[@]}" -d "$(db_url "$DB")" -f split.sql.out >/dev/null 2>split-apply.err &&
	[ "$("${PSQL[@]}" -At -d "$(db_url "$DB")" -c "SELECT string_agg(id || ':' || coalesce(first_name, '-') || '/' || coalesce(last_name, '-'), ',' ORDER BY id) FROM users")" = "1:Grace/Brewster Hopper,2:-/-" ]
check split-moves-the-data $? "$(head -c 300 split-apply.err)"
no_diff split-reaches-target "$(db_url "$DB")" split.sql
# The UPDATE the model wrote runs as the engine's batched backfill: its
# SET list and condition as data, for apply to checkpoint batch by batch.
[ "$(q split '[(s["kind"], s["transactional"], s["backfill"]["set"], s["backfill"]["pending"], s["backfill"]["key"], s["batch"]["size"]) for s in p["steps"][1:2]][0]')" = "('backfill', False, \"first_name = split_part(name, ' ', 1), last_name = substr(name, strpos(name, ' ') + 1)\", 'name IS NOT NULL', 'id', 2000)" ]
check split-data-migration-batched $? "$(q split 'p["steps"][1]' 2>&1 | head -c 600)"
export DRAFT_DB_URL
DRAFT_DB_URL=$(db_url "$DB")
printf 'environments:\n  prod:\n    url: env:DRAFT_DB_URL\n' >>.schemig.yml
load_db "$DB" -f current.sql -c "INSERT INTO users SELECT g, 'e', 'First' || g || ' Last' || g FROM generate_series(1, 12000) g"
rc=0
"$BIN" apply --env prod --plan split.json >split-apply.out 2>split-apply.err || rc=$?
[ "$rc" -eq 0 ] &&
	[ "$("${PSQL[@]}" -At -d "$DRAFT_DB_URL" -c "SELECT count(*) FROM users WHERE first_name = 'First' || id AND last_name = 'Last' || id")" = 12000 ]
check split-applied-in-batches $? "rc $rc: $(tail -5 split-apply.err)"
no_diff split-apply-reaches-target "$DRAFT_DB_URL" split.sql

# The same plan with first and last swapped reaches the same schema; only
# the sample row shows that the data went to the wrong columns.
config plan-split-wrong
n=$(nreq)
plan splitwrong split.sql --llm
[ "$rc" -eq 0 ] && [ "$(engine splitwrong)" = True ] && [ "$(nreq)" -eq $((n + 3)) ] &&
	note splitwrong | grep -q 'sample row 1 (public.users) after the forward steps: no row of public.users holds (id, first_name, last_name) = (1, Ada, Lovelace)'
check split-wrong-data-rejected $? "rc $rc: $(note splitwrong 2>&1 | head -c 500)"

# A data migration without a sample row: rejected before any proof.
config plan-split-nosample
plan splitnos split.sql --llm
[ "$rc" -eq 0 ] && [ "$(engine splitnos)" = True ] &&
	note splitnos | grep -q 'a step writes rows of public.users (a data migration) but no sample row of public.users shows what it does'
check data-migration-needs-sample $? "rc $rc: $(note splitnos 2>&1 | head -c 400)"

# A live source: its schema is rendered as DDL for the proof's copy, so
# the draft is proven and used; the model gets the tables' sizes and
# write rates, never a row.
config plan-ok
load_db "$DB" -f current.sql -c "INSERT INTO users SELECT g, 'pl4nted-' || g || '@x', 'n' FROM generate_series(1, 500) g" \
	-c "UPDATE users SET name = 'm' WHERE id <= 100" -c "ANALYZE users"
sleep 1 # the statistics collector's figures reach pg_stat_user_tables
n=$(nreq)
rc=0
"$BIN" plan --from "$(db_url "$DB")" --to desired.sql "${DEVOPT[@]}" --llm --format json >live.json 2>live.err || rc=$?
[ "$rc" -eq 0 ] && [ "$(nreq)" -eq $((n + 1)) ] && [ "$(q live 'p["steps"][0]["drafted_by"]')" = anthropic/plan-ok ]
check live-source-proven $? "rc $rc, $(($(nreq) - n)) requests: $(head -c 500 live.err) $(note live 2>&1 | head -c 300)"
python3 - "$LLOG" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
body = json.dumps(r["body"])
assert "pl4nted" not in body, "a row value was sent"
u = json.loads(r["body"]["messages"][0]["content"])
t = u["table_stats"]["public.users"]
assert t["rows"] == 500 and t["indexes"] == 1 and t["total_bytes"] > 0, t
assert t["writes_per_s"] > 0 and t["observed_s"] >= 0, t
PY
check live-table-stats-sent $?

# An injected DROP TABLE of another table: rejected naming it, the
# failure sent back, repaired in the next round.
config plan-repair
n=$(nreq)
plan repair desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(nreq)" -eq $((n + 2)) ] && [ "$(q repair 'p["steps"][0]["drafted_by"]')" = anthropic/plan-repair ]
check injected-drop-repaired $? "rc $rc, $(($(nreq) - n)) requests: $(head -c 400 repair.err)"
python3 -c 'import json,sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
u = json.loads(r["body"]["messages"][0]["content"])
print(u["previous_attempt"]["rejected_because"])' "$LLOG" | grep -q 'drop_stmt on public.audit, which is not part of this change'
check repair-round-gets-the-failure $?

# Always injected: after 1 + 2 rounds, the engine's plan with the reason.
config plan-inject
n=$(nreq)
plan inject desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(nreq)" -eq $((n + 3)) ] && [ "$(engine inject)" = True ] &&
	grep -q "the model's draft was not used: .*public.audit" inject.err &&
	note inject | grep -q "drop_stmt on public.audit" &&
	[ "$(q inject 'p["draft"]["accepted"], p["draft"]["by"]')" = "(False, 'anthropic/plan-inject')" ]
check injected-drop-falls-back $? "rc $rc, $(($(nreq) - n)) requests: $(head -c 400 inject.err)"

# Malformed JSON: no repair helps; the engine's plan.
config plan-malformed
plan malformed desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(engine malformed)" = True ] && grep -q 'malformed JSON' malformed.err
check malformed-falls-back $? "rc $rc: $(head -c 400 malformed.err)"

# A plan that misses a change: the proof rejects it.
config plan-miss
plan miss desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(engine miss)" = True ] && note miss | grep -q 'does not reach the target'
check missed-change-rejected-by-proof $? "rc $rc: $(head -c 400 miss.err)"

# A stronger lock than the engine's step: rejected.
config plan-lock
plan lock desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(engine lock)" = True ] && note lock | grep -q 'takes a lock that blocks .* where the engine.s step takes SHARE UPDATE EXCLUSIVE'
check stronger-lock-rejected $? "rc $rc: $(head -c 400 lock.err)"

# 429 with retry-after, then the draft.
config plan-429
plan r429 desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(q r429 'p["steps"][0]["drafted_by"]')" = anthropic/plan-429 ]
check 429-then-accepted $? "rc $rc: $(head -c 400 r429.err)"

# A refused key: named by its variable, and the engine's plan.
config unauth
plan unauth desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(engine unauth)" = True ] && grep -q 'TEST_LLM_KEY was refused (401' unauth.err
check 401-names-variable-and-falls-back $? "rc $rc: $(head -c 400 unauth.err)"

# No answer within the timeout: the engine's plan, saying so, without
# waiting for the model.
config hang 2
SECONDS=0
plan hang desired.sql --llm
[ "$rc" -eq 0 ] && [ "$(engine hang)" = True ] && [ "$SECONDS" -lt 15 ] &&
	note hang | grep -q 'no answer within 2 s'
check timeout-falls-back $? "rc $rc after ${SECONDS}s: $(note hang 2>&1 | head -c 300)"

# llm.enabled in the configuration stands for --llm.
config plan-ok
echo "  enabled: true" >>.schemig.yml
n=$(nreq)
plan enabled desired.sql --no-cache --llm
plan enabled2 desired.sql
[ "$rc" -eq 0 ] && [ "$(q enabled2 'p["steps"][0]["drafted_by"]')" = anthropic/plan-ok ]
check config-enabled $? "rc $rc: $(head -c 300 enabled2.err)"

suite_end summary
