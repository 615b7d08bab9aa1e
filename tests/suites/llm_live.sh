#!/usr/bin/env bash
# `git schemig plan --llm` against a real hosted model: every other suite
# talks to the stand-in (tests/llm/fake_llm.py); this one checks that the
# real provider's answers go through the same checks and proof. It runs
# only when a key is in the environment, and then asks the provider once
# (one plan, a small rename case: current.sql to renamed.sql, as in the
# draft suite) on the real PostgreSQL:
#
#   - plan --llm exits 0 and its --format json is a valid plan file
#     (read back strictly, id checked, by plan --plan FILE);
#   - every step is drafted by "engine" or by the model, the draft record
#     names the model, and the model's draft was accepted (else its
#     reason is shown);
#   - the plan, applied to a fresh database loaded with current.sql,
#     reaches the target (diff afterwards prints nothing) and the rows
#     of the renamed column are kept when the model recognised a rename;
#   - the markdown and text renderings show the draft record;
#   - the key appears in no output, file or cached reply.
#
# Without a key it prints one "skip" line and counts nothing: no request
# is made, no server is needed, nothing else runs.
#
# Environment (HACKING.md, "The live-model suite"):
#   ANTHROPIC_API_KEY         a key: provider anthropic
#   OPENAI_API_KEY            a key: provider openai (when no Anthropic key)
#   SCHEMIG_LIVE_LLM_PROVIDER anthropic or openai, when both keys are set
#   SCHEMIG_LIVE_LLM_MODEL    the model (default claude-haiku-4-5 for
#                             anthropic, gpt-4o-mini for openai)
#   SCHEMIG_LIVE_LLM_BASE_URL test only: send to this URL instead of the
#                             provider's own API (base_url: env:NAME in
#                             .schemig.yml), e.g. the stand-in on the
#                             loopback with a made-up key and the model
#                             plan-rename, to run this suite's logic
#                             where no key is at hand
#
#   tests/suites/llm_live.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=llm_live
DB=schemig_llm_live

# Which provider and key, decided before anything else runs: with no key
# there is nothing to send to, and the suite stops right after saying so.
PROVIDER=${SCHEMIG_LIVE_LLM_PROVIDER:-}
if [ -z "$PROVIDER" ]; then
	if [ -n "${ANTHROPIC_API_KEY:-}" ]; then
		PROVIDER=anthropic
	elif [ -n "${OPENAI_API_KEY:-}" ]; then
		PROVIDER=openai
	fi
fi
case "$PROVIDER" in
anthropic) KEYVAR=ANTHROPIC_API_KEY DEFAULT_MODEL=claude-haiku-4-5 ;;
openai) KEYVAR=OPENAI_API_KEY DEFAULT_MODEL=gpt-4o-mini ;;
'') KEYVAR='' DEFAULT_MODEL='' ;;
*)
	echo "FAIL $SUITE/provider: SCHEMIG_LIVE_LLM_PROVIDER must be anthropic or openai"
	echo "0 1" >"${SCHEMIG_SUITE_COUNTS:-/dev/null}"
	exit 1
	;;
esac
SKIP=
if [ -z "$KEYVAR" ]; then
	SKIP="neither ANTHROPIC_API_KEY nor OPENAI_API_KEY is set, so there is no hosted model to ask"
elif [ -z "${!KEYVAR:-}" ]; then
	SKIP="SCHEMIG_LIVE_LLM_PROVIDER is $PROVIDER but $KEYVAR is not set"
fi
# A skipped run needs no PostgreSQL either.
[ -n "$SKIP" ] && SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

if [ -n "$SKIP" ]; then
	echo "skip $SUITE: $SKIP (nothing sent)"
	suite_end
	exit 0
fi

MODEL=${SCHEMIG_LIVE_LLM_MODEL:-$DEFAULT_MODEL}
KEY=${!KEYVAR}
BASE_LINE=
if [ -n "${SCHEMIG_LIVE_LLM_BASE_URL:-}" ]; then
	echo "note $SUITE: sending to SCHEMIG_LIVE_LLM_BASE_URL, not $PROVIDER's own API"
	BASE_LINE="  base_url: env:SCHEMIG_LIVE_LLM_BASE_URL"
fi
echo "note $SUITE: asking $PROVIDER/$MODEL"
cd "$WORK" || exit 1

cat >current.sql <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, email text, name text);
CREATE TABLE public.audit (id bigint PRIMARY KEY, note text);
SQL
cat >renamed.sql <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, email text, full_name text);
CREATE TABLE public.audit (id bigint PRIMARY KEY, note text);
SQL
# The key by its variable's name only: the file never holds it.
cat >.schemig.yml <<YML
dialect: postgres
llm:
  provider: $PROVIDER
  model: $MODEL
$BASE_LINE
  api_key: env:$KEYVAR
  timeout_s: 120
YML

# q EXPR: a Python expression on live.json (p).
q() { python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' live.json "$1"; }
# say FILE: its first 400 bytes for a failure message, the key (should
# it be there) masked, so that no failure prints it either.
say() { head -c 400 "$1" 2>/dev/null | KEY=$KEY python3 -c 'import os,sys; print(sys.stdin.read().replace(os.environ["KEY"], "<the key>"), end="")'; }

rc=0
"$BIN" plan --from current.sql --to renamed.sql "${DEVOPT[@]}" --llm \
	--format json >live.json 2>live.err || rc=$?
check plan-exit-0 "$rc" "rc $rc: $(say live.err)"

# A valid plan file: JSON, and read back by schemig itself (strict keys,
# the id checked against the content).
q 'p["id"], len(p["steps"]) > 0' >/dev/null 2>&1 &&
	"$BIN" plan --plan live.json --format sql >live.sql 2>live-read.err
check plan-json-valid $? "$(say live-read.err) $(say live.json)"

# Every step is the engine's or the model's, the record names the model.
BY=$PROVIDER/$MODEL
[ "$(BY=$BY q 'all(s["drafted_by"] in ("engine", __import__("os").environ["BY"]) for s in p["steps"]) and p["draft"]["by"] == __import__("os").environ["BY"]')" = True ]
check drafted-by-engine-or-model $? "$(q '[s["drafted_by"] for s in p["steps"]], (p.get("draft") or {}).get("by")' 2>&1 | head -c 300)"
# The model's draft was used: proven by schemig itself on a throwaway
# copy; when not, its reason says why (a refused key, a failed proof).
[ "$(BY=$BY q 'p["draft"]["accepted"] and any(s["drafted_by"] == __import__("os").environ["BY"] for s in p["steps"])')" = True ]
check draft-accepted $? "$(q '(p.get("draft") or {}).get("reason")' 2>&1 | head -c 300)"

# The plan applied with psql to a fresh database loaded with current.sql
# (two rows in it) reaches the target.
load_db "$DB" -c "$(cat current.sql)
INSERT INTO public.users VALUES (1, 'a@example.org', 'Ada'), (2, 'b@example.org', 'Bob');"
"${PSQL[@]}" -d "$(db_url "$DB")" -f live.sql >/dev/null 2>apply.err
check plan-applies $? "$(say apply.err)"
no_diff plan-reaches-target "$(db_url "$DB")" renamed.sql
# A recognised rename keeps the data.
if [ "$(q 'len((p.get("draft") or {}).get("renames") or [])')" != 0 ]; then
	[ "$("${PSQL[@]}" -d "$(db_url "$DB")" -tA -c "SELECT string_agg(full_name, ',' ORDER BY id) FROM public.users" 2>&1)" = "Ada,Bob" ]
	check rename-keeps-data $?
else
	echo "note $SUITE: the model recognised no rename (data not compared)"
fi

# The draft record in the renderings people read.
"$BIN" plan --plan live.json --format markdown >live.md 2>&1 &&
	grep -q '^### Drafted by a model$' live.md &&
	grep -qF "Drafted by $BY: " live.md
check markdown-shows-draft $? "$(say live.md)"
"$BIN" plan --plan live.json --format text >live.txt 2>&1 &&
	grep -qF "Drafted by $BY: " live.txt
check text-shows-draft $? "$(say live.txt)"

# The key is in no output, no file of the run, no cached reply.
! grep -rqF -- "$KEY" "$WORK"
check key-never-shown $? "the key is in: $(grep -rlF -- "$KEY" "$WORK" | sed "s|$WORK/||" | tr '\n' ' ')"

suite_end
