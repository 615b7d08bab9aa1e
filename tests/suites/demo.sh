#!/usr/bin/env bash
# `git schemig demo` (cmd/demo.c, cmd/demo_draft.c): the whole story runs
# and its drafting stage shows what it must. With no model in the
# environment: the recorded answer replayed, said to be a replay, checked
# and proven, the rename drafted; a tampered recording (an injected DROP
# TABLE, a missing field) rejected by the same checks, the engine's plan
# standing. With the stand-in model API (tests/llm/fake_llm.py) configured
# through the environment: the demo drafts for real against it, over the
# Anthropic route with a key and the OpenAI-compatible one without, and
# the key is never printed. The demo starts its own PostgreSQL. With
# --dialect mysql, every stage but the drafting one on a throwaway
# MariaDB it starts itself.
#
#   tests/suites/demo.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=demo
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$WORK" || exit 1

# demo NAME [VAR=VALUE...]: the demo with no model variable of the
# caller's environment and the given ones, output into NAME.out, exit in
# $rc.
demo() {
	local name=$1
	shift
	rc=0
	env -u SCHEMIG_DEMO_LLM_PROVIDER -u SCHEMIG_DEMO_LLM_MODEL \
		-u ANTHROPIC_API_KEY -u ANTHROPIC_BASE_URL -u OPENAI_API_KEY \
		-u OPENAI_BASE_URL -u SCHEMIG_TEST_DEMO_ANSWER "$@" \
		"$BIN" demo >"$name.out" 2>&1 || rc=$?
}
# has NAME TEXT: NAME.out holds TEXT (a fixed string).
has() { grep -qF -- "$2" "$1.out"; }
# stage NAME: the drafting stage's output only.
stage() { sed -n '/^== git schemig plan --llm/,$p' "$1.out"; }
# Why a check failed: the stage, or, when the demo never reached it, the
# end of its output.
why() {
	if [ -n "$(stage "$1")" ]; then
		echo "rc $rc: $(stage "$1" | head -c 600)"
	else
		echo "rc $rc, no drafting stage; the output ends: $(tail -c 1200 "$1.out")"
	fi
}

# ---- no model configured: the recorded answer, replayed -------------------
demo replay
[ "$rc" -eq 0 ]
check replay/demo-runs $? "rc $rc: $(tail -c 600 replay.out)"
# The rest of the story is still there.
has replay "the first apply was killed (SIGKILL during the second backfill batch)" &&
	has replay "No differences: the database now matches db/schema.sql." &&
	has replay "the deployed schema is back, with its rows."
check replay/story-kept $? "$(grep -n '^==' replay.out | head -20)"
stage replay | grep -q '^== git schemig plan --llm' &&
	stage replay | grep -qE '^ +1\. drop_column +public\.orders\.note$' &&
	stage replay | grep -qE '^ +2\. add_column +public\.orders\.remark$'
check replay/stage-shows-engine-drop-add $? "$(why replay)"
stage replay | grep -qF "replay of a recorded model answer (no model configured)"
check replay/says-replay $? "$(why replay)"
stage replay | grep -qE 'the change list \(2 changes\), the engine.s plan' &&
	stage replay | grep -qE '\(2 steps, [0-9]+ bytes of JSON\)'
check replay/shows-what-is-sent $? "$(why replay)"
stage replay | grep -q "^checks: passed" && stage replay | grep -q "^proof:  passed" &&
	stage replay | grep -q "proving the draft on a throwaway copy"
check replay/checked-and-proven $? "$(why replay)"
stage replay | grep -qE '^ +1\. rename_column +public\.orders .*\(drafted by replay/recorded-answer\)$' &&
	stage replay | grep -qF 'rename public.orders.note -> public.orders.remark: ' &&
	stage replay | grep -qF 'RENAME COLUMN changes only the catalog' &&
	! stage replay | grep -q "draft was not used"
check replay/rename-drafted-with-explanation $? "$(why replay)"

# ---- a tampered recording: the same checks reject it ----------------------
python3 - "$ROOT/demo/rename_answer.json" <<'PY' >inject.json
import json, sys
a = json.load(open(sys.argv[1]))
a["steps"][0]["forward"] += "DROP TABLE public.customers CASCADE;\n"
print(json.dumps(a))
PY
demo inject SCHEMIG_TEST_DEMO_ANSWER="$WORK/inject.json"
[ "$rc" -eq 0 ] && stage inject | grep -q "The draft was not used (.*public.customers, which is not part of this change" &&
	stage inject | grep -qE '^ +1\. drop_column +public\.orders\.note ' &&
	! stage inject | grep -q "^checks: passed" && ! stage inject | grep -q "drafted by replay"
check tampered/injected-drop-rejected $? "$(why inject)"
python3 - "$ROOT/demo/rename_answer.json" <<'PY' >shape.json
import json, sys
a = json.load(open(sys.argv[1]))
del a["renames"]
a["steps"][0]["extra"] = "x"
print(json.dumps(a))
PY
demo shape SCHEMIG_TEST_DEMO_ANSWER="$WORK/shape.json"
[ "$rc" -eq 0 ] && stage shape | grep -q "The draft was not used (the answer.steps\[0\] has no field extra)" &&
	stage shape | grep -qE '^ +1\. drop_column +public\.orders\.note '
check tampered/shape-rejected $? "$(why shape)"

# ---- a model configured in the environment: the stand-in ------------------
if start_fake_llm; then
	KEY=sk-test-d3mo-k3y-0000
	demo live SCHEMIG_DEMO_LLM_MODEL=plan-ok ANTHROPIC_API_KEY="$KEY" ANTHROPIC_BASE_URL="$BASE"
	[ "$rc" -eq 0 ] && [ "$(wc -l <"$LLOG")" -eq 1 ] &&
		stage live | grep -qF "Drafting for real with anthropic/plan-ok (configured in the environment)" &&
		stage live | grep -q "^checks: passed" && stage live | grep -q "^proof:  passed" &&
		stage live | grep -qF "(drafted by anthropic/plan-ok)" &&
		! stage live | grep -q "replay of a recorded"
	check live/anthropic-drafts-for-real $? "$(why live), $(wc -l <"$LLOG") requests"
	grep -q '"path": "/v1/messages"' "$LLOG" && ! grep -qF "$KEY" live.out
	check live/key-sent-not-printed $? "$(head -c 300 "$LLOG")"
	demo openai SCHEMIG_DEMO_LLM_MODEL=plan-ok OPENAI_BASE_URL="$BASE/v1"
	[ "$rc" -eq 0 ] && [ "$(wc -l <"$LLOG")" -eq 2 ] &&
		tail -1 "$LLOG" | grep -q '"path": "/v1/chat/completions"' &&
		stage openai | grep -qF "Drafting for real with openai/plan-ok (configured in the environment), no key" &&
		stage openai | grep -qF "(drafted by openai/plan-ok)"
	check live/openai-base-url-without-key $? "$(why openai), $(tail -c 300 "$LLOG")"
else
	fail live/stand-in "the stand-in model API never listened"
fi

# ---- the MySQL side: a throwaway MariaDB the demo starts itself ------------
rc=0
"$BIN" demo --dialect mysql >mysql.out 2>&1 || rc=$?
[ "$rc" -eq 0 ] && has mysql "started MariaDB" &&
	has mysql "ALGORITHM=INSTANT (probed on MariaDB" &&
	has mysql "backfill        \`orders\`.\`note\`" &&
	has mysql "forward proof (reaches the target): ok" &&
	has mysql "rollback proof (back to the source): ok" &&
	has mysql "the first apply was killed (SIGKILL during the second backfill batch)" &&
	has mysql "No differences: the database now matches db/schema.sql." &&
	has mysql "no differences from git:HEAD~1:db/schema.sql: the deployed schema is back, with its rows." &&
	! has mysql "== git schemig plan --llm"
check mysql/every-stage $? "exit $rc: $(tail -c 600 mysql.out)"

suite_end
