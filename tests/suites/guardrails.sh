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
#   the next opening time.
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

suite_end
