#!/usr/bin/env bash
# The guardrails an apply passes before its first statement, on the real
# PostgreSQL (`make test` runs it):
#
#   tests/suites/guardrails.sh BIN      (suite contract: tests/run.sh)
#
# - require_before: production refuses a change that staging's journal
#   does not hold as applied, and takes it once staging applied it;
#   `promote --from staging --to production` runs the same check;
# - deny: a plan with a denied step kind, or a denied hazard, is refused
#   naming the step and the rule;
# - window: outside the environment's window the apply is refused with
#   the next opening time;
# - limits: a step past max_rows pauses the apply before it until two
#   distinct login roles approve the plan (`approve`), then apply goes on;
# - approvals from the platform (tests/report/fake_api.py stands in for
#   GitHub's and GitLab's APIs): an approving review on the pull request's
#   head commit, counted only once git schemig's own comment names the
#   plan, plus `approve` by a second database role make two; the same
#   person (a review, a database login spelled alike, a GitHub Actions
#   approve whose token confirms the actor) counts once; the author's
#   approval counts from neither source; an actor the run does not confirm
#   is refused; GitLab's merge request approvals the same way.
# Each refusal leaves the database at the source (a diff proves it).
set -uo pipefail

SUITE=guardrails
DBS=("guard_staging_$$" "guard_prod_$$" "guard_other_$$" "guard_gh_$$" "guard_gl_$$")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/apply
export STG_URL PRD_URL OTHER_URL
STG_URL=$(db_url "${DBS[0]}")
PRD_URL=$(db_url "${DBS[1]}")
OTHER_URL=$(db_url "${DBS[2]}")

load() { # DB
	load_db "$1" -f "$FIX/source.sql" -c \
		"INSERT INTO accounts (id, email) SELECT g, 'u' || g FROM generate_series(1, 2000) g"
}

# A day that is not today, in UTC, for a window that is closed now.
other_day=$(date -u -d tomorrow +%a)
REPO=$WORK/repo
mkdir -p "$REPO/db"
cp "$FIX/desired.sql" "$REPO/db/schema.sql"
cat >"$REPO/.schemig.yml" <<EOF
schema: db/schema.sql
migrations: { format: sql, dir: migrations }
audit: { file: audit.jsonl }
environments:
  staging: { url: env:STG_URL }
  production:
    url: env:PRD_URL
    policy: { require_before: [staging] }
  locked:
    url: env:OTHER_URL
    policy: { deny: [backfill] }
  noindex:
    url: env:OTHER_URL
    policy: { deny: [index_build] }
  windowed:
    url: env:OTHER_URL
    policy: { window: "$other_day 00:00-24:00 UTC" }
  limited:
    url: env:LIMITED_URL
    policy: { max_rows: 100, approvals: 2 }
  reviewed:
    url: env:GH_URL
    policy: { max_rows: 100, approvals: 2 }
  merged:
    url: env:GL_URL
    policy: { max_rows: 100, approvals: 2 }
EOF
for d in "${DBS[@]}"; do load "$d" || fail "setup/$d"; done
(cd "$REPO" && git init -q && "$BIN" generate --env staging --name add_token >/dev/null 2>"$WORK/gen.err" &&
	git add -A && git -c user.name=t -c user.email=t@e commit -qm add_token)
check setup/generate $? "$(cat "$WORK/gen.err")"


# --- staging before production ----------------------------------------
repo_run prod-first apply --env production
rc=$?
[ $rc = 1 ] && grep -q "no successful apply in staging's journal" "$WORK/prod-first.err"
check require-before/refused $? "exit $rc: $(cat "$WORK/prod-first.err")"
no_diff require-before/prod-untouched "$PRD_URL" "$FIX/source.sql"
repo_run promote-first promote --from staging --to production
[ $? = 1 ] && grep -q "no successful apply in staging's journal" "$WORK/promote-first.err"
check promote/refused-before-staging $? "$(cat "$WORK/promote-first.err")"
repo_run staging apply --env staging
check require-before/staging-applied $? "$(cat "$WORK/staging.err")"
repo_run promote promote --from staging --to production
check promote/applied-after-staging $? "$(cat "$WORK/promote.err")"
no_diff promote/prod-at-target "$PRD_URL" "$FIX/desired.sql"
grep -q '"event":"promoted_from"' "$REPO/audit.jsonl"
check promote/audited $? "$(tail -3 "$REPO/audit.jsonl")"

# --- deny ----------------------------------------------------------------
repo_run locked apply --env locked
rc=$?
[ $rc = 1 ] && grep -q "step 3 (backfill public.accounts.token) is denied by the policy of locked (deny: backfill)" "$WORK/locked.err"
check deny/kind $? "exit $rc: $(cat "$WORK/locked.err")"
repo_run noindex apply --env noindex
rc=$?
[ $rc = 1 ] && grep -q "(deny: index_build)" "$WORK/noindex.err"
check deny/hazard $? "exit $rc: $(cat "$WORK/noindex.err")"
no_diff deny/untouched "$OTHER_URL" "$FIX/source.sql"

# --- window --------------------------------------------------------------
repo_run windowed apply --env windowed
rc=$?
opens=$(date -u -d tomorrow +%Y-%m-%d)
[ $rc = 1 ] && grep -q "outside the window of windowed .*opens next at $opens 00:00 UTC" "$WORK/windowed.err"
check window/refused-with-next-opening $? "exit $rc: $(cat "$WORK/windowed.err")"
no_diff window/untouched "$OTHER_URL" "$FIX/source.sql"

# --- past the limits: paused until two people approve -------------------
# The backfill goes through 2,000 rows, over max_rows: the steps before it
# run, then the apply pauses there. The same person approving twice counts
# once; a second login role makes two, and apply goes on to the target.
APPROVER=guard_approver_$$
# The people of the platform sections, as database roles too.
P=ga$$
ROLES=("$APPROVER" "${P}alice" "${P}dave" "${P}bob")
suite_cleanup() {
	local r
	for r in "${ROLES[@]}"; do
		"${PSQL[@]}" -d "$URL" -qc "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
	done
}
as_role() { # URL ROLE: the URL logging in as ROLE
	python3 -c 'import sys, re; print(re.sub(r"user=[^&]*", "user=" + sys.argv[2], sys.argv[1]) if "user=" in sys.argv[1] else sys.argv[1] + ("&" if "?" in sys.argv[1] else "?") + "user=" + sys.argv[2])' "$1" "$2"
}
export LIMITED_URL=$OTHER_URL
repo_run limited apply --env limited
rc=$?
[ $rc = 1 ] && grep -q "paused before step 3 (backfill public.accounts.token): it goes through 2000 rows (max_rows 100). It needs 2 approvals" "$WORK/limited.err"
check limits/paused $? "exit $rc: $(cat "$WORK/limited.err")"
s=$("${PSQL[@]}" -d "$OTHER_URL" -tAc "SELECT string_agg(n || ':' || status, ',' ORDER BY n) FROM schemig.apply_steps")
[ "$s" = "1:done,2:done,3:paused" ]
check limits/journal-paused-before-step-3 $? "steps: $s"
plan_id=$(sed -n 's/.*--plan \([0-9a-f]\{64\}\)`.*/\1/p' "$WORK/limited.err" | head -1)
repo_run approve1 approve --env limited --plan "$plan_id" --comment "looked at it"
check limits/approve $? "$(cat "$WORK/approve1.err")"
grep -q "approved plan ${plan_id:0:12} as postgres" "$WORK/approve1.out"
check limits/approver-is-the-login $? "$(cat "$WORK/approve1.out")"
repo_run approve2 approve --env limited --plan "$plan_id"
repo_run still apply --env limited
[ $? = 1 ] && grep -q "(1 so far)" "$WORK/still.err"
check limits/same-person-counts-once $? "$(cat "$WORK/still.err")"
"${PSQL[@]}" -d "$OTHER_URL" -qc "CREATE ROLE $APPROVER LOGIN; GRANT USAGE ON SCHEMA schemig TO $APPROVER; GRANT SELECT, INSERT, UPDATE ON schemig.approvals TO $APPROVER" >/dev/null
LIMITED_URL=$(as_role "$OTHER_URL" "$APPROVER") \
	repo_run approve3 approve --env limited --plan "$plan_id"
grep -q "as $APPROVER" "$WORK/approve3.out"
check limits/second-approver $? "$(cat "$WORK/approve3.out" "$WORK/approve3.err")"
repo_run resumed apply --env limited
check limits/resumed-after-approvals $? "$(cat "$WORK/resumed.err")"
no_diff limits/at-target "$OTHER_URL" "$FIX/desired.sql"
n=$("${PSQL[@]}" -d "$OTHER_URL" -tAc "SELECT count(*) FROM schemig.approvals WHERE plan_id = '$plan_id'")
[ "$n" = 2 ]
check limits/two-approvals $? "approvals: $n"

# --- approvals from GitHub: reviews and the Actions actor ---------------
# The stand-in answers the pull request, its reviews (two a page) and the
# Actions run from fixture files; comments live in it (POSTed as its
# token's user). Only GITHUB_ACTIONS=true makes apply ask the platform.
export GH_URL GL_URL GITHUB_API_URL GITHUB_REPOSITORY=o/r GITHUB_TOKEN=test-token-gh GITHUB_RUN_ID=99
GH_URL=$(db_url "${DBS[3]}")
GL_URL=$(db_url "${DBS[4]}")
load "${DBS[3]}" || fail setup/gh
load "${DBS[4]}" || fail setup/gl
FX=$WORK/fixtures
HEAD_SHA=1111111111111111111111111111111111111111
OLD_SHA=2222222222222222222222222222222222222222
mkdir -p "$FX/repos/o/r/pulls/7" "$FX/repos/o/r/actions/runs" "$FX/projects/42/merge_requests/7"
cat >"$FX/repos/o/r/pulls/7.json" <<EOF
{"number": 7, "user": {"login": "${P}dave"}, "head": {"sha": "$HEAD_SHA"}}
EOF
# alice approves twice (spelled two ways), the author approves his own,
# erin approved a commit before the last push.
cat >"$FX/repos/o/r/pulls/7/reviews.json" <<EOF
[{"id": 1, "user": {"login": "${P}alice"}, "state": "APPROVED", "commit_id": "$HEAD_SHA", "submitted_at": "2026-01-01T10:00:00Z"},
 {"id": 2, "user": {"login": "${P}dave"}, "state": "APPROVED", "commit_id": "$HEAD_SHA", "submitted_at": "2026-01-01T10:30:00Z"},
 {"id": 3, "user": {"login": "${P}erin"}, "state": "APPROVED", "commit_id": "$OLD_SHA", "submitted_at": "2026-01-01T09:00:00Z"},
 {"id": 4, "user": {"login": "${P^^}ALICE"}, "state": "APPROVED", "commit_id": "$HEAD_SHA", "submitted_at": "2026-01-01T11:00:00Z"}]
EOF
start_fake github --fixtures "$FX" --page-size 2 || fail github/fake-started
GITHUB_API_URL=$API
comment() { # PATH PLAN_ID [METHOD]: a report naming PLAN_ID, by the token's user
	python3 -c 'import json, sys, urllib.request
body = "<!-- git-schemig:report -->\n## git schemig\n\nPlan `%s`  \nsource `x`\n" % sys.argv[2]
urllib.request.urlopen(urllib.request.Request(sys.argv[1], json.dumps({"body": body}).encode(), {"Content-Type": "application/json"}, method=sys.argv[3]))' "$API$1" "$2" "${3:-POST}"
}
so_far() { # NAME OUT N: apply paused with N approvals so far
	[ "$(sed -n 's/.*(\([0-9]*\) so far).*/\1/p' "$WORK/$2.err" | head -1)" = "$3" ]
	check "$1" $? "$(cat "$WORK/$2.err")"
}
grant() { # URL ROLE: a login of the approver's own, as README says
	"${PSQL[@]}" -d "$1" -qc "CREATE ROLE $2 LOGIN" 2>/dev/null
	"${PSQL[@]}" -d "$1" -qc "GRANT USAGE ON SCHEMA schemig TO $2; GRANT SELECT, INSERT (plan_id, comment, approver, at), UPDATE (comment, at) ON schemig.approvals TO $2" >/dev/null
}
comment /repos/o/r/issues/7/comments "$(printf '0%.0s' $(seq 64))"
GITHUB_ACTIONS=true repo_run gh1 apply --env reviewed --pr 7
rc=$?
[ $rc = 1 ] && grep -q "pull request #7 has no report of plan" "$WORK/gh1.err"
check github/other-plans-report-does-not-count $? "exit $rc: $(cat "$WORK/gh1.err")"
so_far github/paused-with-none gh1 0
gh_plan=$(sed -n 's/.*--plan \([0-9a-f]\{64\}\)`.*/\1/p' "$WORK/gh1.err" | head -1)
# The report is updated on the next push (the stand-in's first comment).
comment /repos/o/r/issues/comments/1000 "$gh_plan" PATCH
GITHUB_ACTIONS=true repo_run gh2 apply --env reviewed --pr 7
so_far github/one-review-counts-once gh2 1
grep -q '"path": "/repos/o/r/pulls/7/reviews?per_page=2&page=2"' "$LOG"
check github/reviews-paginated $? "$(grep -c reviews "$LOG") review requests"
grep -q '"authorization": "Bearer test-token-gh"' "$LOG"
check github/token-sent $?
# The same person with a database login spelled alike, and the author.
grant "$GH_URL" "${P}alice"
grant "$GH_URL" "${P}dave"
GH_URL=$(as_role "$GH_URL" "${P}alice") repo_run gh-db-alice approve --env reviewed --plan "$gh_plan"
grep -q "as ${P}alice" "$WORK/gh-db-alice.out"
check github/approve-as-own-role $? "$(cat "$WORK/gh-db-alice.out" "$WORK/gh-db-alice.err")"
GH_URL=$(as_role "$GH_URL" "${P}dave") repo_run gh-db-dave approve --env reviewed --plan "$gh_plan"
GITHUB_ACTIONS=true repo_run gh3 apply --env reviewed --pr 7
so_far github/same-person-and-author-count-once gh3 1
# A pull request the API does not know: its author is unknown, so no
# approval counts, the journal's neither.
GITHUB_ACTIONS=true repo_run gh-404 apply --env reviewed --pr 8
rc=$?
[ $rc = 1 ] && grep -q "none is counted until github answers.*HTTP 404" "$WORK/gh-404.err"
check github/unknown-pull-request-counts-nothing $? "exit $rc: $(cat "$WORK/gh-404.err")"
so_far github/unknown-pull-request-none gh-404 0
# approve in GitHub Actions: the actor only when the run's token says so.
cat >"$FX/repos/o/r/actions/runs/99.json" <<EOF
{"id": 99, "status": "in_progress", "actor": {"login": "${P}dave"}, "triggering_actor": {"login": "${P}alice"}}
EOF
GITHUB_ACTIONS=true GITHUB_ACTOR=${P}mallory repo_run gh-actor-bad approve --env reviewed --plan "$gh_plan"
rc=$?
[ $rc = 1 ] && grep -q "run 99 was started by ${P}alice, not by GITHUB_ACTOR ${P}mallory" "$WORK/gh-actor-bad.err"
check github/actor-not-confirmed-refused $? "exit $rc: $(cat "$WORK/gh-actor-bad.err")"
# A run that has completed is no proof that this job is that run.
sed 's/in_progress/completed/' "$FX/repos/o/r/actions/runs/99.json" >"$FX/repos/o/r/actions/runs/98.json"
GITHUB_ACTIONS=true GITHUB_RUN_ID=98 GITHUB_ACTOR=${P}alice repo_run gh-actor-done approve --env reviewed --plan "$gh_plan"
rc=$?
[ $rc = 1 ] && grep -q "run 98 has completed" "$WORK/gh-actor-done.err"
check github/completed-run-refused $? "exit $rc: $(cat "$WORK/gh-actor-done.err")"
GITHUB_ACTIONS=true GITHUB_ACTOR=${P}alice repo_run gh-actor approve --env reviewed --plan "$gh_plan"
grep -q "as github:${P}alice (database role postgres)" "$WORK/gh-actor.out"
check github/actor-confirmed-recorded $? "$(cat "$WORK/gh-actor.out" "$WORK/gh-actor.err")"
GITHUB_ACTIONS=true repo_run gh4 apply --env reviewed --pr 7
so_far github/actions-approval-same-person gh4 1
# ci merge posts the outcome, with the plan that ran, into the report: it
# keeps the plan the report named before, for the reviews.
(cd "$REPO" && GITHUB_ACTIONS=true "$BIN" ci merge --env reviewed --post github --pr 7) \
	>"$WORK/gh-merge.out" 2>"$WORK/gh-merge.err"
rc=$?
body=$(python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1]))[0]["body"])' "$API/repos/o/r/issues/7/comments")
[ $rc = 1 ] && grep -q "<!-- git-schemig:reviewed-plan $gh_plan -->" <<<"$body" &&
	grep -q "## Merged: NOT applied" <<<"$body"
check github/ci-merge-keeps-reviewed-plan $? "exit $rc: $(cat "$WORK/gh-merge.err"): $(head -c 300 <<<"$body")"
# A second person: a database role of their own. Two: apply goes on.
grant "$GH_URL" "${P}bob"
GH_URL=$(as_role "$GH_URL" "${P}bob") repo_run gh-db-bob approve --env reviewed --plan "$gh_plan"
GITHUB_ACTIONS=true repo_run gh5 apply --env reviewed --pr 7
check github/resumed-with-review-and-approve $? "$(cat "$WORK/gh5.err")"
no_diff github/at-target "$GH_URL" "$FIX/desired.sql"
# alice counts once, by her login role, and the review is noted with it.
approved=$(grep '"event":"approved"' "$REPO/audit.jsonl" | tail -1)
grep -q "\"also\":\[\"github\"\],\"approver\":\"${P}alice\"" <<<"$approved" &&
	grep -q "\"approver\":\"${P}bob\"" <<<"$approved" && ! grep -q "${P}dave" <<<"$approved"
check github/audit-names-people-and-sources $? "$(grep '"event":"approved"' "$REPO/audit.jsonl" | tail -1)"
! grep -rq test-token-gh "$WORK"/gh*.out "$WORK"/gh*.err "$REPO/audit.jsonl"
check github/token-never-printed $?

# --- approvals from GitLab: the merge request's approvals ---------------
cat >"$FX/projects/42/merge_requests/7.json" <<EOF
{"iid": 7, "author": {"username": "${P}dave"}}
EOF
cat >"$FX/projects/42/merge_requests/7/approvals.json" <<EOF
{"approved_by": [{"user": {"username": "${P}alice"}}, {"user": {"username": "${P}dave"}}]}
EOF
start_fake gitlab --fixtures "$FX" || fail gitlab/fake-started
gl() { # OUT ARGS...: run in a GitLab merge-request pipeline
	GITLAB_CI=true CI_API_V4_URL=$API CI_PROJECT_ID=42 GITLAB_TOKEN=test-token-gl \
		CI_MERGE_REQUEST_IID=7 repo_run "$@"
}
# This database's journal was made by an older schemig: approvals keyed
# by (plan_id, approver), without login. The apply's setup widens it.
"${PSQL[@]}" -d "$GL_URL" -qc "CREATE SCHEMA schemig; CREATE TABLE schemig.approvals (plan_id text NOT NULL, approver text, comment text, at timestamptz, PRIMARY KEY (plan_id, approver)); INSERT INTO schemig.approvals VALUES ('old', 'someone', 'kept', now())"
gl gl1 apply --env merged
gl1_rc=$?
k=$("${PSQL[@]}" -d "$GL_URL" -tAc "SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_constraint c, unnest(c.conkey) WITH ORDINALITY k(att, n), pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = k.att AND c.conrelid = 'schemig.approvals'::regclass AND c.contype = 'p'")
old=$("${PSQL[@]}" -d "$GL_URL" -tAc "SELECT approver || ':' || login || ':' || comment FROM schemig.approvals WHERE plan_id = 'old'")
[ "$k" = "plan_id,approver,login" ] && [ "$old" = "someone::kept" ]
check gitlab/old-journal-upgraded $? "key: $k, row: $old"
rc=$gl1_rc
[ $rc = 1 ] && grep -q "merge request !7 has no report of plan" "$WORK/gl1.err"
check gitlab/no-report-no-approvals $? "exit $rc: $(cat "$WORK/gl1.err")"
gl_plan=$(sed -n 's/.*--plan \([0-9a-f]\{64\}\)`.*/\1/p' "$WORK/gl1.err" | head -1)
comment /projects/42/merge_requests/7/notes "$gl_plan"
gl gl2 apply --env merged
so_far gitlab/approval-counts-author-does-not gl2 1
grant "$GL_URL" "${P}bob"
GL_URL=$(as_role "$GL_URL" "${P}bob") repo_run gl-db-bob approve --env merged --plan "$gl_plan"
gl gl3 apply --env merged
check gitlab/resumed-with-approval-and-approve $? "$(cat "$WORK/gl3.err")"
no_diff gitlab/at-target "$GL_URL" "$FIX/desired.sql"
grep -q '"private-token": "test-token-gl"' "$LOG"
check gitlab/token-sent $?
! grep -rq test-token-gl "$WORK"/gl*.out "$WORK"/gl*.err "$REPO/audit.jsonl"
check gitlab/token-never-printed $?
unset GITHUB_API_URL GITHUB_REPOSITORY GITHUB_TOKEN GITHUB_RUN_ID

suite_end
