#!/usr/bin/env bash
# git schemig report: the Markdown and JSON renderings of a plan with its
# dry run and an environment's policy, and --post against a local stand-in
# for the GitHub and GitLab APIs (tests/report/fake_api.py) that records
# every request: authentication, one comment created then updated,
# pagination, retries on 502 and 429, clean failure on 403; a comment
# holding the marker but written by someone else is never edited; only
# https:// (http:// to loopback), no next page on another origin, no
# answer over 8 MiB.
#
#   tests/suites/report.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=report
DB=schemig_report_$$
OTHER_PID=
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
U=$(db_url "$DB")
# The second stand-in of the pagination check.
suite_cleanup() {
	[ -n "$OTHER_PID" ] && kill "$OTHER_PID" 2>/dev/null
}

# The requests recorded, one "METHOD PATH" a line.
requests() { python3 -c 'import json,sys
for l in open(sys.argv[1]): r=json.loads(l); print(r["method"], r["path"])' "$LOG"; }

load_db "$DB" <<'SQL'
CREATE TABLE orders (id bigint PRIMARY KEY, note text);
INSERT INTO orders SELECT g, 'secret-row-value-' || g FROM generate_series(1, 500) g;
COMMENT ON TABLE orders IS 'old ``` comment';
ANALYZE orders;
SQL
check setup $?

cat >"$WORK/desired.sql" <<'SQL'
CREATE TABLE orders (id bigint PRIMARY KEY, note text, placed_at timestamptz);
CREATE INDEX orders_placed_idx ON orders (placed_at);
COMMENT ON TABLE orders IS 'new comment';
CREATE TABLE "we|ird![x](h)<b>@o_*" (x integer);
SQL
cd "$WORK" && git init -q . && cat >.schemig.yml <<'YML'
environments:
  production:
    url: env:UNUSED_DATABASE_URL
    policy: { max_lock_ms: 1000, max_rows: 100, deny: [create_table], approvals: 2 }
YML
"$BIN" plan --from "$U" --to "$WORK/desired.sql" --out "$WORK/plan.json" >/dev/null 2>"$WORK/plan.err"
check make-plan $? "$(head -3 "$WORK/plan.err")"

# A dry run of that plan: step 1 held its lock 4 s, over the policy.
python3 - "$WORK/plan.json" "$WORK/dry.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
steps = []
for s in p["steps"]:
    steps.append({"n": s["n"], "kind": s["kind"], "object": s["object"],
                  "table": s["table"], "ok": True, "error": None,
                  "wall_ms": 12.5, "lock_wait_ms": 0.0,
                  "lock_held_ms": 4000.0 if s["n"] == 1 else 3.1,
                  "strongest_lock": "AccessExclusiveLock", "rows": 500,
                  "table_bytes_before": 1, "table_bytes_after": 1,
                  "index_bytes_before": 1, "index_bytes_after": 1,
                  "wal_bytes": 1, "source_rows": 500, "projected_ms": 12.5})
json.dump({"format": 1, "plan_id": p["id"], "on": "dev",
           "started_at": "2026-11-28T22:00:00Z", "ok": True, "error": None,
           "proof": {"forward_empty": True, "forward_leftover": None,
                     "rollback_empty": True, "rollback_leftover": None},
           "steps": steps, "rollback_steps": [],
           "totals": {"wall_ms": 1, "max_lock_held_ms": 4000, "wal_bytes": 1}},
          open(sys.argv[2], "w"), sort_keys=True)
PY

"$BIN" report --plan plan.json --dry-run dry.json --env production >md.out 2>md.err
check markdown-exit $? "$(head -3 md.err)"
head -1 md.out | grep -qxF '<!-- git-schemig:report -->' &&
	sed -n 4p md.out | grep -q '^\*\*\(SAFE\|CAUTION\|BLOCKED\)'
check markdown-marker-then-verdict $? "$(head -4 md.out)"
grep -q '^| # | step |' md.out && grep -q '| 4000.0 |' md.out
check markdown-steps-table-with-measurements $?
pol=$(grep '^Policy (production): \*\*exceeds\*\*: ' md.out)
grep -q 'step 1: lock 4000 ms > max_lock_ms 1000' <<<"$pol" &&
	grep -q 'step 2: create_table denied' <<<"$pol" &&
	grep -q 'step 4: 500 rows > max_rows 100' <<<"$pol" &&
	! grep -q 'step 5' <<<"$pol" &&
	grep -qx '\*\*BLOCKED: exceeds the environment.s policy\*\*' md.out
check markdown-policy-exceeds $? "$(grep '^Policy\|^\*\*' md.out)"
grep '^| ' md.out >rows.out
grep -qF 'we\|ird' rows.out && ! grep -q '[^\\]|ird' rows.out
check markdown-pipe-escaped $?
# A name cannot open an image, a link, HTML or a mention in the comment.
grep -qF 'we\|ird\!\[x\](h)\<b\>\@o\_\*' rows.out && ! grep -q '[^\\]<b>' rows.out
check markdown-name-escaped $? "$(grep -F 'ird' rows.out)"
grep -q '^````sql$' md.out && grep -qF 'old ``` comment' md.out
check markdown-rollback-fence-longer $?
id=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["id"])' plan.json)
grep -q "$id" md.out && grep -q 'source `sha256:' md.out
check markdown-plan-id-and-fingerprints $?
! grep -q 'secret-row-value' md.out
check markdown-no-row-data $?

"$BIN" report --plan plan.json --dry-run dry.json --env production --format json >j.out 2>j.err
python3 - j.out "$id" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["plan_id"] == sys.argv[2]
assert r["within_policy"] is False and r["dry_run_ok"] is True
s1 = r["steps"][0]
assert s1["lock_held_ms"] == 4000 and not s1["within_policy"], s1
assert "max_lock_ms" in s1["policy_violations"]
assert r["policy"] == {"max_lock_ms": 1000, "max_rows": 100, "approvals": 2,
                       "deny": ["create_table"]}, r["policy"]
PY
check json $? "$(head -3 j.err)"

"$BIN" report --plan plan.json >plain.out 2>&1 && grep -q '^Policy: none' plain.out &&
	grep -qx '\*\*SAFE: backwards compatible\*\*' plain.out
check no-env-no-policy $?
python3 -c 'import json,sys;d=json.load(open("dry.json"));d["plan_id"]="0"*64;json.dump(d,open("dry2.json","w"))'
"$BIN" report --plan plan.json --dry-run dry2.json >/dev/null 2>err.out
[ $? -eq 2 ] && grep -q 'dry run of plan 000000000000' err.out
check dry-run-of-another-plan $? "$(cat err.out)"

# A failed dry run blocks, and its server message stops at the first line:
# a DETAIL may quote row values.
python3 -c 'import json;d=json.load(open("dry.json"));d["ok"]=False
d["error"]="step 4: could not create unique index\nDETAIL: Key (note)=(secret-row-value-9) is duplicated."
json.dump(d,open("dry3.json","w"))'
"$BIN" report --plan plan.json --dry-run dry3.json >fail.out 2>&1
grep -qx '\*\*BLOCKED: the dry run failed\*\*' fail.out &&
	grep -q 'FAILED (step 4: could not create unique index)' fail.out &&
	! grep -q 'secret-row-value' fail.out
check failed-dry-run-blocks-without-row-data $? "$(grep -i 'dry run' fail.out)"

# A dry-run file naming its database by URL: the report shows it redacted.
python3 -c 'import json;d=json.load(open("dry.json"));d["on"]="postgresql://u:Zq8dryPW@h/db"
json.dump(d,open("dry4.json","w"))'
"$BIN" report --plan plan.json --dry-run dry4.json >on.out 2>&1
grep -qF 'Dry run on postgresql://u:***@h/db' on.out && ! grep -q 'Zq8dryPW' on.out
check dry-run-url-redacted $? "$(grep 'Dry run' on.out)"

# ---- GitHub -------------------------------------------------------------
TOKEN=ghs-test-token-do-not-print
gh() {
	env -u GITLAB_TOKEN GITHUB_TOKEN=$TOKEN GITHUB_REPOSITORY=acme/shop \
		GITHUB_API_URL=$API GITHUB_EVENT_PATH="$WORK/event.json" \
		SCHEMIG_HTTP_BACKOFF_MS=1 "$@"
}
echo '{"pull_request": {"number": 7}}' >event.json

start_fake gh --seed 3 --page-size 2
gh "$BIN" report --plan plan.json --post github >gh1.out 2>gh1.err
check github-create-exit $? "$(tail -3 gh1.err)"
python3 - "$LOG" "$TOKEN" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
m = [(r["method"], r["path"].split("?")[0]) for r in reqs]
assert m == [("GET", "/repos/acme/shop/issues/7/comments"),
             ("GET", "/repos/acme/shop/issues/7/comments"),
             ("POST", "/repos/acme/shop/issues/7/comments")], m
for r in reqs:
    h = r["headers"]
    assert h["authorization"] == "Bearer " + sys.argv[2], h
    assert h["accept"] == "application/vnd.github+json", h
    assert h.get("x-github-api-version"), h
assert "page=2" in reqs[1]["path"]
assert reqs[2]["body"]["body"].startswith("<!-- git-schemig:report -->")
PY
check github-create-auth-pagination $? "$(requests)"
gh "$BIN" report --plan plan.json --dry-run dry.json --post github --pr 7 >gh2.out 2>gh2.err
check github-update-exit $? "$(tail -3 gh2.err)"
requests | tail -n +4 >gh2.req
[ "$(cut -d' ' -f1 gh2.req | tr '\n' ' ')" = "GET GET GET PATCH " ] &&
	grep -q '^GET /user$' gh2.req &&
	grep -q '^PATCH /repos/acme/shop/issues/comments/1000$' gh2.req &&
	[ "$(grep -c '^POST' <(requests))" -eq 1 ]
check github-update-not-duplicate $? "$(cat gh2.req)"

summary=$WORK/summary.md
start_fake gh-retry --fail 502:2
gh env GITHUB_STEP_SUMMARY="$summary" "$BIN" report --plan plan.json --post github >/dev/null 2>retry.err
rc=$?
[ $rc -eq 0 ] && [ "$(requests | sed -n 1,3p | cut -d' ' -f1 | tr '\n' ' ')" = "GET GET GET " ] &&
	[ "$(requests | wc -l)" -eq 4 ]
check github-retry-502 $? "rc=$rc $(requests | tr '\n' ';')"
grep -qxF '<!-- git-schemig:report -->' "$summary"
check github-step-summary $?

start_fake gh-429 --fail 429:1
gh "$BIN" report --plan plan.json --post github >/dev/null 2>r429.err
rc=$?
[ $rc -eq 0 ] && [ "$(requests | wc -l)" -eq 3 ]
check github-retry-429 $? "rc=$rc $(requests | tr '\n' ';')"

start_fake gh-rl --fail 403:1
gh "$BIN" report --plan plan.json --post github >/dev/null 2>rl.err
rc=$?
[ $rc -eq 0 ] && [ "$(requests | wc -l)" -eq 3 ]
check github-retry-rate-limit-403 $? "rc=$rc $(requests | tr '\n' ';')"

"$BIN" report --plan plan.json --post github --pr '7/../x' >/dev/null 2>&1
check pr-must-be-number $(($? != 2))

# A comment over GitHub's size limit goes without the rollback SQL.
psql -X -q -d "$U" -c "COMMENT ON TABLE orders IS '$(printf 'x%.0s' $(seq 70000))'" &&
	"$BIN" plan --from "$U" --to "$WORK/desired.sql" --out big.json >/dev/null 2>&1
check make-big-plan $?
start_fake gh-big
gh "$BIN" report --plan big.json --post github --pr 7 >big.out 2>big.err
rc=$?
python3 - "$LOG" <<'PY'
import json, sys
post = [json.loads(l) for l in open(sys.argv[1])][-1]
b = post["body"]["body"]
assert post["method"] == "POST" and len(b) < 60000, len(b)
assert "Too long for a comment" in b and "Plan `" in b
PY
py=$?
[ $rc -eq 0 ] && [ $py -eq 0 ] && [ "$(wc -c <big.out)" -gt 70000 ]
check github-long-comment-without-rollback $? "rc=$rc $(tail -2 big.err)"

start_fake gh-403 --fail 403
gh "$BIN" report --plan plan.json --post github >/dev/null 2>r403.err
rc=$?
[ $rc -eq 3 ] && grep -q 'HTTP 403' r403.err && grep -q "'pull requests: write'" r403.err
check github-403-names-permission $? "rc=$rc $(cat r403.err)"

# Someone else's comment holding the marker is never edited: a new one
# is posted, then that one (ours) is updated.
gh_foreign() { # NAME [fake options]: two posts; sets F1 and F2 (requests)
	start_fake "$@" --foreign-marker
	gh "$BIN" report --plan plan.json --post github >/dev/null 2>"$WORK/$1.err1"
	F1=$(requests | tr '\n' ';')
	gh "$BIN" report --plan plan.json --post github >/dev/null 2>"$WORK/$1.err2"
	F2=$(requests | tr '\n' ';')
}
C=/repos/acme/shop/issues
gh_foreign gh-foreign
[ "$F1" = "GET $C/7/comments?per_page=100;GET /user;POST $C/7/comments;" ] &&
	grep -q "PATCH $C/comments/1000;\$" <<<"$F2" && ! grep -q "comments/90" <<<"$F2"
check github-foreign-marker-not-taken-over $? "$F2"
# GITHUB_TOKEN: /user is forbidden; the Actions bot's comment is ours.
gh_foreign gh-actions --user-forbidden
[ "$F1" = "GET $C/7/comments?per_page=100;GET /user;POST $C/7/comments;" ] &&
	grep -q "PATCH $C/comments/1000;\$" <<<"$F2" && ! grep -q "comments/90" <<<"$F2"
check github-actions-token-own-comment-only $? "$F2 $(cat "$WORK/gh-actions.err2")"

# A next page on another origin is not followed: the token stays home.
python3 "$TESTS/report/fake_api.py" "$WORK/other.port" "$WORK/other.log" &
OTHER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/other.port" ] && break; sleep 0.05; done
start_fake gh-link --seed 3 --page-size 2 --link-origin "http://127.0.0.1:$(cat "$WORK/other.port")"
gh "$BIN" report --plan plan.json --post github >/dev/null 2>link.err
rc=$?
kill "$OTHER_PID" 2>/dev/null
wait "$OTHER_PID" 2>/dev/null
OTHER_PID=
[ $rc -eq 0 ] && [ ! -s "$WORK/other.log" ] && grep -q 'not following' link.err &&
	[ "$(requests | cut -d' ' -f1 | tr '\n' ' ')" = "GET POST " ]
check github-link-to-other-origin-not-followed $? "rc=$rc other: $(cat "$WORK/other.log" 2>/dev/null) $(cat link.err)"

# An answer of 9 MiB: refused, not read into memory.
start_fake gh-huge --huge
gh "$BIN" report --plan plan.json --post github >/dev/null 2>huge.err
rc=$?
[ $rc -eq 3 ] && grep -q 'larger than 8 MiB' huge.err && [ "$(requests | wc -l)" -eq 1 ]
check github-huge-answer-refused $? "rc=$rc $(cat huge.err)"

# Only https:// leaves the machine, before any request is made.
gh env GITHUB_API_URL=http://api.example.invalid "$BIN" report --plan plan.json \
	--post github >/dev/null 2>plain.err
rc=$?
[ $rc -eq 2 ] && grep -q 'GITHUB_API_URL: only https://' plain.err && ! grep -q 'retrying' plain.err
check github-plain-http-refused $? "rc=$rc $(cat plain.err)"
gh env GITHUB_API_URL="http://u:hunter2pw@127.0.0.1:9" "$BIN" report --plan plan.json \
	--post github >/dev/null 2>ui.err
rc=$?
[ $rc -eq 2 ] && grep -q 'user or password' ui.err && ! grep -q hunter2pw ui.err
check github-api-url-userinfo-refused $? "rc=$rc $(cat ui.err)"

env -u GITHUB_TOKEN -u GITHUB_REPOSITORY -u GITHUB_EVENT_PATH \
	"$BIN" report --plan plan.json --post github >/dev/null 2>miss.err
rc=$?
[ $rc -eq 2 ] && grep -q 'GITHUB_TOKEN' miss.err && grep -q 'GITHUB_REPOSITORY' miss.err
check github-missing-env-named $? "rc=$rc $(cat miss.err)"

# ---- GitLab -------------------------------------------------------------
GLTOKEN=glpat-test-token-do-not-print
gl() {
	env -u CI_JOB_TOKEN GITLAB_TOKEN=$GLTOKEN CI_API_V4_URL=$API \
		CI_PROJECT_ID=42 CI_MERGE_REQUEST_IID=9 SCHEMIG_HTTP_BACKOFF_MS=1 "$@"
}
start_fake gl --seed 3 --page-size 2 --fail 502:1
gl "$BIN" report --plan plan.json --post gitlab >gl1.out 2>gl1.err
check gitlab-create-exit $? "$(tail -3 gl1.err)"
gl "$BIN" report --plan plan.json --post gitlab >gl2.out 2>gl2.err
check gitlab-update-exit $? "$(tail -3 gl2.err)"
python3 - "$LOG" "$GLTOKEN" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
m = [(r["method"], r["path"].split("?")[0]) for r in reqs]
n = "/projects/42/merge_requests/9/notes"
assert m == [("GET", n), ("GET", n), ("GET", n), ("POST", n),
             ("GET", n), ("GET", n), ("GET", "/user"), ("PUT", n + "/1000")], m
for r in reqs:
    assert r["headers"]["private-token"] == sys.argv[2], r["headers"]
    assert "authorization" not in r["headers"]
PY
check gitlab-auth-retry-create-update $? "$(requests | tr '\n' ';')"

start_fake gl-foreign --foreign-marker
gl "$BIN" report --plan plan.json --post gitlab >/dev/null 2>glf1.err &&
	gl "$BIN" report --plan plan.json --post gitlab >/dev/null 2>glf2.err
rc=$?
N=/projects/42/merge_requests/9/notes
[ $rc -eq 0 ] && [ "$(requests | tr '\n' ';')" = "GET $N?per_page=100&page=1;GET /user;POST $N;GET $N?per_page=100&page=1;GET /user;PUT $N/1000;" ]
check gitlab-foreign-marker-not-taken-over $? "rc=$rc $(requests | tr '\n' ';')"
gl env CI_API_V4_URL=http://gitlab.example.invalid/api/v4 "$BIN" report --plan plan.json \
	--post gitlab >/dev/null 2>glplain.err
rc=$?
[ $rc -eq 2 ] && grep -q 'CI_API_V4_URL: only https://' glplain.err
check gitlab-plain-http-refused $? "rc=$rc $(cat glplain.err)"

start_fake gl-403 --fail 403
gl "$BIN" report --plan plan.json --post gitlab >/dev/null 2>gl403.err
rc=$?
[ $rc -eq 3 ] && grep -q 'HTTP 403' gl403.err && grep -q "'api' scope" gl403.err
check gitlab-403-names-scope $? "rc=$rc $(cat gl403.err)"
env -u CI_API_V4_URL -u CI_PROJECT_ID -u CI_MERGE_REQUEST_IID -u GITLAB_TOKEN -u CI_JOB_TOKEN \
	"$BIN" report --plan plan.json --post gitlab >/dev/null 2>glmiss.err
rc=$?
[ $rc -eq 2 ] && grep -q 'CI_API_V4_URL' glmiss.err && grep -q 'CI_MERGE_REQUEST_IID' glmiss.err
check gitlab-missing-env-named $? "rc=$rc $(cat glmiss.err)"
stop_fake

! cat ./*.out ./*.err "$summary" 2>/dev/null | grep -q 'test-token-do-not-print'
check tokens-never-printed $?

suite_end
