#!/usr/bin/env bash
# The LLM provider layer (llm/), through tests/tools/llmcall, against a local
# stand-in for both wire formats (tests/llm/fake_llm.py; no hosted provider
# can be reached from the tests) that records every request. For Anthropic
# and for the OpenAI-compatible API: a valid structured reply and what was
# sent (the key header, the pinned anthropic-version, no temperature to
# Anthropic, the schema, the team's prompt files); malformed JSON; 429 with
# retry-after then success; 529/503 then success; 401 naming the variable;
# an exhausted quota not retried; a hang past timeout_s; an answer cut at
# max_tokens. Then the cache (a second call sends nothing, a changed prompt
# file misses, --no-cache sends and still stores; files 0600, directory
# 0700), the key's variable unset, no key for a local server, plain http://
# to another host refused, and no key anywhere in what schemig printed or
# stored.
#
#   tests/suites/llm.sh BIN      (suite contract: tests/run.sh; BIN is not
#                                 used: llmcall is the program under test)
set -uo pipefail

SUITE=llm
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
LLMCALL=${SCHEMIG_TOOLS_DIR:-$ROOT/build/test/tools}/llmcall
if [ ! -x "$LLMCALL" ]; then
	fail setup "no $LLMCALL (make build/test/tools/llmcall)"
	exit 1
fi

# The stand-in: its requests go to $LLOG, one JSON line each.
start_fake_llm || { fail setup "the stand-in never listened"; exit 1; }

export TEST_LLM_KEY=sk-test-5ecr3t-k3y-0000
KEY=$TEST_LLM_KEY
cd "$WORK" || exit 1
cat >schema.json <<'JSON'
{"type": "object", "additionalProperties": false,
 "required": ["file", "risk", "seen"],
 "properties": {"file": {"type": "string"},
                "risk": {"type": "string", "enum": ["low", "high"]},
                "seen": {"type": "string"}}}
JSON
mkdir -p prompts
printf 'Batches of 5000 rows.\n' >prompts/batches.md
printf 'Say "expand" and "contract".\n' >prompts/words.md

# config PROVIDER MODEL [EXTRA YAML LINES]: .schemig.yml for one case.
config() {
	{
		echo "llm:"
		echo "  provider: $1"
		echo "  model: $2"
		echo "  base_url: $BASE"
		echo "  api_key: env:TEST_LLM_KEY"
		echo "  timeout_s: 3"
		echo "  temperature: 0.2"
		echo "  prompts: [prompts/batches.md, prompts/words.md]"
		[ $# -ge 3 ] && printf '%s\n' "$3"
	} >.schemig.yml
}
nreq() { wc -l <"$LLOG"; }
# call NAME [--no-cache]: run llmcall, output in NAME.out/.err, exit in $rc.
call() {
	local name=$1
	shift
	rc=0
	"$LLMCALL" "$@" "You review migrations." "Plan it: $name" schema.json \
		>"$name.out" 2>"$name.err" || rc=$?
}
# last Q: a Python expression on the last logged request (r).
last() { python3 -c 'import json,sys
r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); print(eval(sys.argv[2]))' "$LLOG" "$1"; }
# meta NAME Q: a Python expression on NAME.out's JSON (o).
meta() { python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1.out" "$2"; }

for P in anthropic openai; do
	rm -rf .schemig
	config "$P" ok
	call "$P-ok"
	check "$P/ok-exit" "$rc" "$(head -c 300 "$P-ok.err")"
	[ "$(meta "$P-ok" 'o["reply"]["risk"], o["reply"]["seen"], o["meta"]["cached"], o["meta"]["attempts"], o["meta"]["input_tokens"]')" = "('low', 'Plan it: $P-ok', False, 1, 31)" ]
	check "$P/ok-reply-and-meta" $? "$(head -c 300 "$P-ok.out")"
	[ "$(last 'r["body"]["model"], r["headers"]["content-type"]')" = "('ok', 'application/json')" ]
	check "$P/ok-request" $? "$(tail -1 "$LLOG" | head -c 300)"
	if [ "$P" = anthropic ]; then
		[ "$(last 'r["path"], r["headers"].get("x-api-key"), r["headers"].get("anthropic-version"), "temperature" in r["body"], "authorization" in r["headers"]')" = "('/v1/messages', '$KEY', '2023-06-01', False, False)" ]
		check "$P/headers-key-version-no-temperature" $? "$(tail -1 "$LLOG" | head -c 400)"
		last 'json.dumps(r["body"]["output_config"]["format"]["schema"], sort_keys=True)' >sent.json
		last 'r["body"]["system"]' >system.txt
	else
		[ "$(last 'r["path"], r["headers"].get("authorization"), r["body"].get("temperature"), r["body"]["response_format"]["json_schema"]["strict"], [m["role"] for m in r["body"]["messages"]]')" = "('/v1/chat/completions', 'Bearer $KEY', 0.2, True, ['system', 'user'])" ]
		check "$P/headers-bearer-temperature" $? "$(tail -1 "$LLOG" | head -c 400)"
		last 'json.dumps(r["body"]["response_format"]["json_schema"]["schema"], sort_keys=True)' >sent.json
		last 'r["body"]["messages"][0]["content"]' >system.txt
	fi
	python3 -c 'import json,sys; print(json.dumps(json.load(open("schema.json")), sort_keys=True))' | cmp -s - sent.json
	check "$P/schema-sent" $? "$(head -c 200 sent.json)"
	grep -q '^# Team prompt: prompts/batches.md$' system.txt && grep -q '^Batches of 5000 rows.$' system.txt &&
		grep -q '^# Team prompt: prompts/words.md$' system.txt && head -1 system.txt | grep -qx 'You review migrations.'
	check "$P/prompt-files-in-system" $? "$(head -c 300 system.txt)"

	# The cache: the same call sends nothing; a changed prompt file misses;
	# --no-cache sends again.
	n=$(nreq)
	call "$P-ok"
	[ "$rc" -eq 0 ] && [ "$(nreq)" -eq "$n" ] && [ "$(meta "$P-ok" 'o["meta"]["cached"], o["meta"]["attempts"], o["reply"]["risk"]')" = "(True, 0, 'low')" ]
	check "$P/cache-hit-sends-nothing" $? "rc $rc, $(nreq) requests (was $n): $(head -c 300 "$P-ok.out" "$P-ok.err")"
	printf 'Batches of 1000 rows.\n' >prompts/batches.md
	call "$P-ok"
	[ "$rc" -eq 0 ] && [ "$(nreq)" -eq $((n + 1)) ]
	check "$P/changed-prompt-misses" $? "rc $rc, $(nreq) requests (was $n)"
	call "$P-ok" --no-cache
	[ "$rc" -eq 0 ] && [ "$(nreq)" -eq $((n + 2)) ] && [ "$(meta "$P-ok" 'o["meta"]["cached"]')" = False ]
	check "$P/no-cache-sends" $? "rc $rc, $(nreq) requests (was $n)"
	printf 'Batches of 5000 rows.\n' >prompts/batches.md
	ls .schemig/llm-cache/*.json >/dev/null 2>&1 &&
		[ "$(stat -c %a .schemig/llm-cache)" = 700 ] &&
		[ -z "$(find .schemig/llm-cache -type f ! -perm 600)" ] &&
		[ "$(find .schemig/llm-cache -name '*.json' | wc -l)" -eq 2 ]
	check "$P/cache-files-private" $? "$(find .schemig/llm-cache -printf "%m %p\n" 2>&1 | head -5)"

	config "$P" malformed
	call "$P-malformed"
	[ "$rc" -eq 3 ] && grep -q 'malformed JSON' "$P-malformed.err" && grep -qF '{"file": "001_add.sql", "risk": lo' "$P-malformed.err"
	check "$P/malformed-json" $? "rc $rc: $(head -c 300 "$P-malformed.err")"
	call "$P-malformed"
	[ "$rc" -eq 3 ]
	check "$P/malformed-not-cached" $? "rc $rc"

	config "$P" retry429
	start=$(date +%s%N)
	call "$P-retry429"
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$rc" -eq 0 ] && [ "$(meta "$P-retry429" 'o["meta"]["attempts"]')" = 2 ] && [ "$ms" -ge 900 ]
	check "$P/429-retry-after-then-ok" $? "rc $rc in $ms ms: $(head -c 300 "$P-retry429.out" "$P-retry429.err")"

	config "$P" overloaded
	call "$P-overloaded"
	[ "$rc" -eq 0 ] && [ "$(meta "$P-overloaded" 'o["meta"]["attempts"]')" = 2 ]
	check "$P/overloaded-then-ok" $? "rc $rc: $(head -c 300 "$P-overloaded.out" "$P-overloaded.err")"

	config "$P" unauth
	n=$(nreq)
	call "$P-unauth"
	[ "$rc" -eq 3 ] && grep -q "TEST_LLM_KEY was refused (401 " "$P-unauth.err" && [ "$(nreq)" -eq $((n + 1)) ]
	check "$P/401-names-variable" $? "rc $rc: $(head -c 300 "$P-unauth.err")"

	config "$P" echokey
	call "$P-echokey"
	[ "$rc" -eq 3 ] && grep -q 'invalid key \*\*\*\*' "$P-echokey.err"
	check "$P/key-echoed-by-server-masked" $? "rc $rc: $(head -c 300 "$P-echokey.err")"

	config "$P" quota
	n=$(nreq)
	call "$P-quota"
	[ "$rc" -eq 3 ] && grep -q 'quota or spend limit is exhausted (429 .*not retried' "$P-quota.err" && [ "$(nreq)" -eq $((n + 1)) ]
	check "$P/quota-429-not-retried" $? "rc $rc, $(($(nreq) - n)) requests: $(head -c 300 "$P-quota.err")"

	config "$P" hang "  timeout_s: 1"
	sed -i '/timeout_s: 3/d' .schemig.yml
	start=$(date +%s)
	call "$P-hang"
	s=$(($(date +%s) - start))
	[ "$rc" -eq 3 ] && grep -q 'no answer within 1 s' "$P-hang.err" && [ "$s" -le 4 ]
	check "$P/hang-times-out" $? "rc $rc in $s s: $(head -c 300 "$P-hang.err")"

	config "$P" cut
	call "$P-cut"
	[ "$rc" -eq 3 ] && grep -q 'cut at max_tokens (4096)' "$P-cut.err"
	check "$P/cut-at-max-tokens" $? "rc $rc: $(head -c 300 "$P-cut.err")"

	config "$P" ok
	n=$(nreq)
	(unset TEST_LLM_KEY && call "$P-nokey" && exit "$rc")
	rc=$?
	[ "$rc" -eq 2 ] && grep -q 'llm.api_key names TEST_LLM_KEY, which is not set' "$P-nokey.err" && [ "$(nreq)" -eq "$n" ]
	check "$P/unset-variable-usage-error" $? "rc $rc: $(head -c 300 "$P-nokey.err")"
done

# A local server (Ollama, llama.cpp) without any key: nothing sent as one.
config openai ok
sed -i '/api_key/d' .schemig.yml
call local-nokey --no-cache
[ "$rc" -eq 0 ] && [ "$(last '"authorization" in r["headers"], "x-api-key" in r["headers"]')" = "(False, False)" ]
check openai/loopback-without-key "$?" "rc $rc: $(head -c 300 local-nokey.err)"
# The base URL as Ollama documents it, with /v1.
sed -i "s|base_url: .*|base_url: $BASE/v1/|" .schemig.yml
call local-v1 --no-cache
[ "$rc" -eq 0 ] && [ "$(last 'r["path"]')" = /v1/chat/completions ]
check openai/base-url-with-v1 "$?" "rc $rc: $(head -c 300 local-v1.err)"
# A remote server without a key, and plain http:// to another host: refused
# before anything is sent (no network is reached either way).
n=$(nreq)
sed -i "s|base_url: .*|base_url: https://llm.invalid|" .schemig.yml
call remote-nokey --no-cache
[ "$rc" -eq 2 ] && grep -q 'only a base_url on the loopback interface may go without a key' remote-nokey.err
check openai/remote-without-key-refused "$?" "rc $rc: $(head -c 300 remote-nokey.err)"
config anthropic ok
sed -i "s|base_url: .*|base_url: http://llm.invalid|" .schemig.yml
call plain-http --no-cache
[ "$rc" -eq 2 ] && grep -q 'only https:// is accepted' plain-http.err && [ "$(nreq)" -eq "$n" ]
check anthropic/plain-http-refused "$?" "rc $rc: $(head -c 300 plain-http.err)"
# A hostile branch's .schemig.yml (ci pr reads the branch's): it must not
# send the CI's key to a host of its choosing, send another secret as the
# key, or send the runner's files as prompts. Refused, nothing sent.
n=$(nreq)
config anthropic ok
sed -i "s|base_url: .*|base_url: https://collector.invalid|" .schemig.yml
call evil-host --no-cache
[ "$rc" -eq 2 ] && grep -q 'llm.base_url https://collector.invalid is not https://api.anthropic.com' evil-host.err && [ "$(nreq)" -eq "$n" ]
check hostile/key-to-another-host-refused "$?" "rc $rc: $(head -c 300 evil-host.err)"
config anthropic ok
sed -i "s|base_url: .*|base_url: env:TEST_LLM_BASE|" .schemig.yml
TEST_LLM_BASE=$BASE call env-base --no-cache
[ "$rc" -eq 0 ] && [ "$(nreq)" -eq $((n + 1)) ]
check hostile/base-url-from-the-environment-goes "$?" "rc $rc: $(head -c 300 env-base.err)"
n=$(nreq)
config anthropic ok
sed -i "s|api_key: .*|api_key: env:GITHUB_TOKEN|" .schemig.yml
GITHUB_TOKEN=ghs_not-a-model-key call other-secret --no-cache
[ "$rc" -eq 2 ] && grep -q 'GITHUB_TOKEN is not a key.s variable' other-secret.err &&
	! grep -q ghs_not-a-model-key other-secret.err "$LLOG" && [ "$(nreq)" -eq "$n" ]
check hostile/other-secret-as-key-refused "$?" "rc $rc: $(head -c 300 other-secret.err)"
ln -sf /etc/hostname prompts/link.md
for f in /etc/hostname ../outside.md prompts/link.md; do
	config anthropic ok
	sed -i "s|prompts: .*|prompts: [$f]|" .schemig.yml
	call prompt-file --no-cache
	[ "$rc" -eq 2 ] && grep -qF "llm.prompts: $f is not a regular file of the repository" prompt-file.err && [ "$(nreq)" -eq "$n" ]
	check "hostile/prompt-file-$(basename "$f")-refused" "$?" "rc $rc: $(head -c 300 prompt-file.err)"
done
rm -f prompts/link.md

# Configuration errors name file:line:column.
config anthropic ok "  api_key2: x"
call bad-key
[ "$rc" -eq 2 ] && grep -q '\.schemig\.yml:9:3: unknown key .api_key2. in llm' bad-key.err
check config-error-position "$?" "rc $rc: $(head -c 300 bad-key.err)"

# The key was sent (the stand-in saw it) but never printed or stored.
grep -qF "$KEY" "$LLOG"
check key-was-sent $?
! grep -rlF "$KEY" ./*.out ./*.err .schemig >/dev/null 2>&1
check key-never-printed-or-cached $? "$(grep -rlF "$KEY" ./*.out ./*.err .schemig 2>/dev/null | head -3)"

suite_end summary
