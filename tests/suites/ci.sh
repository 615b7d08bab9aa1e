#!/usr/bin/env bash
# `git schemig ci pr` on a sample repository: the committed migrations
# must be the ones the schema file implies, the plan is dry-run on the
# environment's replica, and the report is posted (to a local stand-in
# for GitHub's API: no real one can be reached from the tests).
#
#   tests/suites/ci.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

BIN=$1
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${SCHEMIG_WORK:-/tmp}/ci.XXXXXX")
base=$SCHEMIG_TEST_PG_URL
P=schemig_ci_$$
url_of() { echo "${base/\/postgres\?//$1?}"; }
passed=0
failed=0
API_PID=
cleanup() {
	[ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null
	psql -X -q -d "$base" -c "DROP DATABASE IF EXISTS ${P}_db WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS ${P}_rep WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT
check() { # NAME STATUS [DETAIL]
	if [ "$2" -eq 0 ]; then
		echo "ok   ci/$1"
		passed=$((passed + 1))
	else
		echo "FAIL ci/$1${3:+: $3}"
		failed=$((failed + 1))
	fi
}

# The database and its replica (here: a second copy), both at demo v1.
for d in db rep; do
	psql -X -q -d "$base" -c "CREATE DATABASE ${P}_$d" &&
		psql -X -q -v ON_ERROR_STOP=1 -d "$(url_of "${P}_$d")" -f "$HERE/../demo/v1.sql" &&
		psql -X -q -d "$(url_of "${P}_$d")" -c "INSERT INTO customers (email, name) SELECT 'c'||g, 'n'||g FROM generate_series(1, 300) g; INSERT INTO orders (customer_id, status, total, note) SELECT 1 + g % 300, 'paid', 1, 'x' FROM generate_series(1, 3000) g; ANALYZE"
done >"$WORK/setup.log" 2>&1
check setup $? "$(tail -3 "$WORK/setup.log")"
export CI_DB_URL CI_REPLICA_URL
CI_DB_URL=$(url_of "${P}_db")
CI_REPLICA_URL=$(url_of "${P}_rep")

repo=$WORK/repo
mkdir -p "$repo/db" && cd "$repo" && git init -q . &&
	git config user.email ci@example.com && git config user.name ci
cp "$HERE/../demo/v2.sql" db/schema.sql
cat >.schemig.yml <<'YML'
dialect: postgres
schema: db/schema.sql
migrations: { format: sql, dir: migrations }
environments:
  staging: { url: env:CI_DB_URL, replica: env:CI_REPLICA_URL }
YML
git add -A && git commit -qm schema

# No migration committed yet: exit 1, and the report says so.
"$BIN" ci pr --env staging --report-out "$WORK/r1.md" >"$WORK/r1.out" 2>"$WORK/r1.err"
rc=$?
check not-committed-exit "$([ $rc -eq 1 ]; echo $?)" "exit $rc: $(tail -3 "$WORK/r1.err")"
grep -q 'Migrations: not committed' "$WORK/r1.md"
check not-committed-said $?
grep -qi 'backwards compatible' "$WORK/r1.md"
check verdict-in-report $?
grep -qi 'dry run' "$WORK/r1.md" && ! grep -q 'Dry run: not run' "$WORK/r1.md"
check dry-run-on-replica $? "$(grep -i 'dry' "$WORK/r1.md" | head -3)"
# The replica is left as it was: no diff from demo v1.
"$BIN" diff --from "$CI_REPLICA_URL" --to "$HERE/../demo/v1.sql" --exit-code >/dev/null 2>&1
check replica-untouched $?

# Generate and commit: now ci pr passes and names the file.
"$BIN" generate --env staging --name orders >/dev/null 2>"$WORK/gen.err"
check generate $? "$(cat "$WORK/gen.err")"
git add -A && git commit -qm migration
"$BIN" ci pr --env staging --report-out "$WORK/r2.md" >/dev/null 2>"$WORK/r2.err"
check committed-exit $? "$(tail -3 "$WORK/r2.err")"
grep -q 'Migrations: committed' "$WORK/r2.md"
check committed-said $?

# Posting, twice: one comment created, then updated.
python3 "$HERE/report/fake_api.py" "$WORK/port" "$WORK/api.log" &
API_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
export GITHUB_API_URL="http://127.0.0.1:$(cat "$WORK/port")" GITHUB_REPOSITORY=acme/shop GITHUB_TOKEN=t0ken
for _ in 1 2; do
	"$BIN" ci pr --env staging --post github --pr 7 >/dev/null 2>>"$WORK/post.err"
done
posts=$(grep -c '"method": *"POST"' "$WORK/api.log" 2>/dev/null)
patches=$(grep -c '"method": *"PATCH"' "$WORK/api.log" 2>/dev/null)
check posted-once-updated-once "$([ "$posts" = 1 ] && [ "$patches" = 1 ]; echo $?)" "POST $posts, PATCH $patches: $(tail -2 "$WORK/post.err")"
! grep -q 't0ken' "$WORK/post.err"
check token-not-printed $?

echo "$passed $failed" >"${SCHEMIG_SUITE_COUNTS:-/dev/null}"
[ "$failed" -eq 0 ]
