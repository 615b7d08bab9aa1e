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
#   distinct login roles approve the plan (`approve`), then apply goes on.
# Each refusal leaves the database at the source (a diff proves it).
set -uo pipefail

SUITE=guardrails
DBS=("guard_staging_$$" "guard_prod_$$" "guard_other_$$")
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
EOF
for d in "${DBS[@]}"; do load "$d" || fail "setup/$d"; done
(cd "$REPO" && git init -q && "$BIN" generate --env staging --name add_token >/dev/null 2>"$WORK/gen.err" &&
	git add -A && git -c user.name=t -c user.email=t@e commit -qm add_token)
check setup/generate $? "$(cat "$WORK/gen.err")"

run() { # OUT ARGS...
	local out=$1
	shift
	(cd "$REPO" && "$BIN" "$@") >"$WORK/$out.out" 2>"$WORK/$out.err"
}

# --- staging before production ----------------------------------------
run prod-first apply --env production
rc=$?
[ $rc = 1 ] && grep -q "no successful apply in staging's journal" "$WORK/prod-first.err"
check require-before/refused $? "exit $rc: $(cat "$WORK/prod-first.err")"
no_diff require-before/prod-untouched "$PRD_URL" "$FIX/source.sql"
run promote-first promote --from staging --to production
[ $? = 1 ] && grep -q "no successful apply in staging's journal" "$WORK/promote-first.err"
check promote/refused-before-staging $? "$(cat "$WORK/promote-first.err")"
run staging apply --env staging
check require-before/staging-applied $? "$(cat "$WORK/staging.err")"
run promote promote --from staging --to production
check promote/applied-after-staging $? "$(cat "$WORK/promote.err")"
no_diff promote/prod-at-target "$PRD_URL" "$FIX/desired.sql"
grep -q '"event":"promoted_from"' "$REPO/audit.jsonl"
check promote/audited $? "$(tail -3 "$REPO/audit.jsonl")"

# --- deny ----------------------------------------------------------------
run locked apply --env locked
rc=$?
[ $rc = 1 ] && grep -q "step 3 (backfill public.accounts.token) is denied by the policy of locked (deny: backfill)" "$WORK/locked.err"
check deny/kind $? "exit $rc: $(cat "$WORK/locked.err")"
run noindex apply --env noindex
rc=$?
[ $rc = 1 ] && grep -q "(deny: index_build)" "$WORK/noindex.err"
check deny/hazard $? "exit $rc: $(cat "$WORK/noindex.err")"
no_diff deny/untouched "$OTHER_URL" "$FIX/source.sql"

# --- window --------------------------------------------------------------
run windowed apply --env windowed
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
suite_cleanup() {
	"${PSQL[@]}" -d "$URL" -qc "DROP ROLE IF EXISTS $APPROVER" >/dev/null 2>&1
}
export LIMITED_URL=$OTHER_URL
run limited apply --env limited
rc=$?
[ $rc = 1 ] && grep -q "paused before step 3 (backfill public.accounts.token): it goes through 2000 rows (max_rows 100). It needs 2 approvals" "$WORK/limited.err"
check limits/paused $? "exit $rc: $(cat "$WORK/limited.err")"
s=$("${PSQL[@]}" -d "$OTHER_URL" -tAc "SELECT string_agg(n || ':' || status, ',' ORDER BY n) FROM schemig.apply_steps")
[ "$s" = "1:done,2:done,3:paused" ]
check limits/journal-paused-before-step-3 $? "steps: $s"
plan_id=$(sed -n 's/.*--plan \([0-9a-f]\{64\}\)`.*/\1/p' "$WORK/limited.err" | head -1)
run approve1 approve --env limited --plan "$plan_id" --comment "looked at it"
check limits/approve $? "$(cat "$WORK/approve1.err")"
grep -q "approved plan ${plan_id:0:12} as postgres" "$WORK/approve1.out"
check limits/approver-is-the-login $? "$(cat "$WORK/approve1.out")"
run approve2 approve --env limited --plan "$plan_id"
run still apply --env limited
[ $? = 1 ] && grep -q "(1 so far)" "$WORK/still.err"
check limits/same-person-counts-once $? "$(cat "$WORK/still.err")"
"${PSQL[@]}" -d "$OTHER_URL" -qc "CREATE ROLE $APPROVER LOGIN; GRANT USAGE ON SCHEMA schemig TO $APPROVER; GRANT SELECT, INSERT, UPDATE ON schemig.approvals TO $APPROVER" >/dev/null
LIMITED_URL=$(python3 -c 'import sys, re; print(re.sub(r"user=[^&]*", "user=" + sys.argv[2], sys.argv[1]) if "user=" in sys.argv[1] else sys.argv[1] + ("&" if "?" in sys.argv[1] else "?") + "user=" + sys.argv[2])' "$OTHER_URL" "$APPROVER") \
	run approve3 approve --env limited --plan "$plan_id"
grep -q "as $APPROVER" "$WORK/approve3.out"
check limits/second-approver $? "$(cat "$WORK/approve3.out" "$WORK/approve3.err")"
run resumed apply --env limited
check limits/resumed-after-approvals $? "$(cat "$WORK/resumed.err")"
no_diff limits/at-target "$OTHER_URL" "$FIX/desired.sql"
n=$("${PSQL[@]}" -d "$OTHER_URL" -tAc "SELECT count(*) FROM schemig.approvals WHERE plan_id = '$plan_id'")
[ "$n" = 2 ]
check limits/two-approvals $? "approvals: $n"

suite_end
