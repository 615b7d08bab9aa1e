#!/usr/bin/env bash
# `git schemig ci pr` on a sample repository: the committed migrations
# must be the ones the schema file implies, the plan is dry-run on the
# environment's replica, and the report is posted (to a local stand-in
# for GitHub's API: no real one can be reached from the tests).
#
#   tests/suites/ci.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=ci
P=schemig_ci_$$
DBS=("${P}_db" "${P}_rep" "${P}_prod")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

# The database and its replica (here: a second copy), both at demo v1.
for d in db rep; do
	fresh_db "${P}_$d" &&
		"${PSQL[@]}" -d "$(db_url "${P}_$d")" -f "$ROOT/demo/v1.sql" &&
		psql -X -q -d "$(db_url "${P}_$d")" -c "INSERT INTO customers (email, name) SELECT 'c'||g, 'n'||g FROM generate_series(1, 300) g; INSERT INTO orders (customer_id, status, total, note) SELECT 1 + g % 300, 'paid', 1, 'x' FROM generate_series(1, 3000) g; ANALYZE"
done >"$WORK/setup.log" 2>&1
check setup $? "$(tail -3 "$WORK/setup.log")"
export CI_DB_URL CI_REPLICA_URL
CI_DB_URL=$(db_url "${P}_db")
CI_REPLICA_URL=$(db_url "${P}_rep")

repo=$WORK/repo
mkdir -p "$repo/db" && cd "$repo" && git init -q . &&
	git config user.email ci@example.com && git config user.name ci
cp "$ROOT/demo/v2.sql" db/schema.sql
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
"$BIN" diff --from "$CI_REPLICA_URL" --to "$ROOT/demo/v1.sql" --exit-code >/dev/null 2>&1
check replica-untouched $?

# Generate and commit: now ci pr passes and names the file.
"$BIN" generate --env staging --name orders >/dev/null 2>"$WORK/gen.err"
check generate $? "$(cat "$WORK/gen.err")"
git add -A && git commit -qm migration
"$BIN" ci pr --env staging --report-out "$WORK/r2.md" >/dev/null 2>"$WORK/r2.err"
check committed-exit $? "$(tail -3 "$WORK/r2.err")"
grep -q 'Migrations: committed' "$WORK/r2.md"
check committed-said $?

# --- only the files generate writes for this plan count -----------------
# The header kept (plan id and both fingerprints), other SQL below it.
cp -r migrations "$WORK/saved-migrations"
gen=$(ls migrations/*.sql | grep -v '[.]down[.]sql$' | head -1)
python3 - "$gen" <<'PY'
import sys
p = sys.argv[1]
head = [l for l in open(p).read().splitlines(True) if l.startswith("--")]
open(p, "w").write("".join(head) + "DROP TABLE customers CASCADE;\n")
PY
git commit -qam tampered
"$BIN" ci pr --env staging --report-out "$WORK/r3.md" >/dev/null 2>"$WORK/r3.err"
rc=$?
check tampered-not-accepted "$([ $rc = 1 ] && grep -q 'not committed' "$WORK/r3.md" && grep -q 'not what `git schemig generate` writes' "$WORK/r3.md"; echo $?)" "exit $rc: $(grep -i migrations "$WORK/r3.md"; tail -2 "$WORK/r3.err")"
# The generated files themselves, outside the repository, linked from
# migrations/: not read.
mkdir -p "$WORK/outside" && rm -rf migrations && mkdir migrations &&
	cp "$WORK"/saved-migrations/* "$WORK/outside/" &&
	for f in "$WORK"/outside/*; do ln -s "$f" migrations/; done &&
	git add -A && git commit -qm symlinks
"$BIN" ci pr --env staging --report-out "$WORK/r4.md" >/dev/null 2>"$WORK/r4.err"
rc=$?
check symlink-out-ignored "$([ $rc = 1 ] && grep -q 'not committed' "$WORK/r4.md" && grep -q 'out of the repository: ignored' "$WORK/r4.err"; echo $?)" "exit $rc: $(grep -i migrations "$WORK/r4.md"; tail -2 "$WORK/r4.err")"
# Back to the generated files: accepted again.
rm -rf migrations && cp -r "$WORK/saved-migrations" migrations &&
	git add -A && git commit -qm restored
"$BIN" ci pr --env staging --report-out "$WORK/r5.md" >/dev/null 2>"$WORK/r5.err"
check generated-accepted $? "$(grep -i migrations "$WORK/r5.md"; tail -2 "$WORK/r5.err")"

# Posting, twice: one comment created, then updated.
start_fake api
export GITHUB_API_URL=$API GITHUB_REPOSITORY=acme/shop GITHUB_TOKEN=t0ken
for _ in 1 2; do
	"$BIN" ci pr --env staging --post github --pr 7 >/dev/null 2>>"$WORK/post.err"
done
posts=$(grep -c '"method": *"POST"' "$WORK/api.log" 2>/dev/null)
patches=$(grep -c '"method": *"PATCH"' "$WORK/api.log" 2>/dev/null)
check posted-once-updated-once "$([ "$posts" = 1 ] && [ "$patches" = 1 ]; echo $?)" "POST $posts, PATCH $patches: $(tail -2 "$WORK/post.err")"
! grep -q 't0ken' "$WORK/post.err"
check token-not-printed $?

# --- the branch chooses the replica: never the production database ------
# The branch's .schemig.yml names the environment's own URL (or another
# spelling of it) as the replica, and its schema drops a column: a dry
# run there would commit the drop and lose the column's data. It must be
# refused before any statement, and the database left as it was.
PROD_URL=$(db_url "${P}_prod")
fresh_db "${P}_prod" &&
	"${PSQL[@]}" -d "$PROD_URL" -f "$ROOT/demo/v1.sql" \
		-c "INSERT INTO customers (email, name) VALUES ('a@x', 'a');
		    INSERT INTO orders (customer_id, status, total, note)
		    SELECT 1, 'paid', 1, 'keep me' FROM generate_series(1, 500)" \
		>"$WORK/prod-setup.log" 2>&1
check hostile/setup $? "$(tail -3 "$WORK/prod-setup.log")"
prod_intact() { # NAME
	local n f=$WORK/${1//\//_}.diff
	n=$(psql -X -tA -d "$PROD_URL" -c "SELECT count(*) FROM orders WHERE note = 'keep me'" 2>&1)
	check "$1/rows-intact" "$([ "$n" = 500 ]; echo $?)" "orders with their note: $n"
	"$BIN" diff --from "$PROD_URL" --to "$ROOT/demo/v1.sql" --exit-code >"$f" 2>&1
	check "$1/schema-intact" $? "$(head -5 "$f")"
}
hostile() { # NAME YAML: a branch whose schema drops orders.note
	rm -rf "$WORK/$1" && mkdir -p "$WORK/$1/db" && cd "$WORK/$1" && git init -q . &&
		git config user.email ci@example.com && git config user.name ci &&
		grep -v 'note varchar' "$ROOT/demo/v1.sql" | sed 's/quantity integer NOT NULL DEFAULT 1,/quantity integer NOT NULL DEFAULT 1/' >db/schema.sql &&
		printf '%s\n' "$2" >.schemig.yml && git add -A && git commit -qm hostile
}
export DATABASE_URL=$PROD_URL SPELLED_URL
# The same server and database through another route (spelled: the
# socket directory percent-encoded in the authority, a trailing "/.").
SPELLED_URL=$(spelled "$PROD_URL")
hostile replica-is-url "environments:
  production: { url: env:DATABASE_URL, replica: env:DATABASE_URL }"
"$BIN" ci pr --env production >"$WORK/h1.out" 2>"$WORK/h1.err"
rc=$?
check hostile/replica-is-url-refused "$([ $rc = 2 ] && grep -q "refused" "$WORK/h1.err" && grep -q "'production'" "$WORK/h1.err"; echo $?)" "exit $rc: $(tail -3 "$WORK/h1.err")"
prod_intact hostile/replica-is-url
# Another spelling, and an environment not called production.
hostile replica-spelled "environments:
  main: { url: env:DATABASE_URL, replica: env:SPELLED_URL }"
"$BIN" ci pr --env main >"$WORK/h2.out" 2>"$WORK/h2.err"
rc=$?
check hostile/replica-spelled-refused "$([ $rc = 2 ] && grep -q "environment 'main'" "$WORK/h2.err"; echo $?)" "exit $rc: $(tail -3 "$WORK/h2.err")"
prod_intact hostile/replica-spelled
# The branch renames the environment away: --from (the plan's source)
# is still never a dry-run target.
hostile renamed "environments:
  staging: { url: env:CI_REPLICA_URL, replica: env:SPELLED_URL }"
"$BIN" ci pr --env staging --from env:DATABASE_URL >"$WORK/h3.out" 2>"$WORK/h3.err"
rc=$?
check hostile/source-refused "$([ $rc = 2 ] && grep -q "the plan's source" "$WORK/h3.err"; echo $?)" "exit $rc: $(tail -3 "$WORK/h3.err")"
prod_intact hostile/source

# --- every emitter's files are recognised when re-rendered -------------
# Next to an earlier migration, so that the version (Flyway, Knex) and the
# head (Alembic) depend on what the directory held when generating.
for fmt in flyway knex alembic; do
	d=$WORK/emit-$fmt
	mkdir -p "$d/db" "$d/migrations/versions" && cd "$d" && git init -q . &&
		git config user.email ci@example.com && git config user.name ci &&
		cp "$ROOT/demo/v2.sql" db/schema.sql &&
		printf 'migrations: { format: %s, dir: migrations }\nenvironments:\n  staging: { url: env:CI_DB_URL }\n' "$fmt" >.schemig.yml
	case $fmt in
	flyway) echo "SELECT 1;" >migrations/V1__init.sql ;;
	knex)
		echo 'exports.up = async () => {}; exports.down = async () => {};' >migrations/20990101000000_later.js
		echo 'module.exports = { client: "pg" };' >knexfile.js
		;;
	alembic)
		printf '[alembic]\nscript_location = migrations\n' >alembic.ini
		echo "# env" >migrations/env.py
		printf 'revision = "aaa111"\ndown_revision = None\n' >migrations/versions/aaa111_init.py
		;;
	esac
	"$BIN" generate --env staging >"$WORK/gen-$fmt.out" 2>&1 && git add -A && git commit -qm "$fmt"
	"$BIN" ci pr --env staging --report-out "$WORK/emit-$fmt.md" >/dev/null 2>"$WORK/emit-$fmt.err"
	check "committed/$fmt" $? "$(cat "$WORK/gen-$fmt.out"; grep -i migrations "$WORK/emit-$fmt.md"; tail -2 "$WORK/emit-$fmt.err")"
done
# A later edit of a file the header does not cover (Flyway's undo).
cd "$WORK/emit-flyway" && echo "DROP TABLE customers;" >>"$(ls migrations/U2__*.sql)" && git commit -qam undo
"$BIN" ci pr --env staging --report-out "$WORK/emit-u.md" >/dev/null 2>&1
rc=$?
check committed/flyway-undo-edited "$([ $rc = 1 ] && grep -q 'U2__.*not what' "$WORK/emit-u.md"; echo $?)" "exit $rc: $(grep -i migrations "$WORK/emit-u.md")"

# --- a report longer than a comment may be -----------------------------
# A thousand new tables: the steps table alone is over GitHub's limit of
# 65,536 characters; the posted comment is trimmed and says so.
mkdir -p "$WORK/long/db" && cd "$WORK/long" && git init -q . &&
	git config user.email ci@example.com && git config user.name ci &&
	{ cat "$ROOT/demo/v1.sql"; for i in $(seq -w 1 1000); do
		echo "CREATE TABLE audit_log_partition_$i (id bigint PRIMARY KEY);"; done; } >db/schema.sql &&
	printf 'environments:\n  staging: { url: env:CI_DB_URL }\n' >.schemig.yml &&
	git add -A && git commit -qm long
before=$(wc -l <"$WORK/api.log")
"$BIN" ci pr --env staging --post github --pr 8 >"$WORK/long.out" 2>"$WORK/long.err"
python3 - "$WORK/api.log" "$before" "$WORK/long.out" >"$WORK/long.check" 2>&1 <<'PY'
import json, sys
posted = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):]
bodies = [p["body"]["body"] for p in posted
          if p["method"] in ("POST", "PATCH") and p["body"]]
assert bodies, "nothing posted"
body = bodies[-1]
full = open(sys.argv[3]).read()
assert len(full) > 65536, "the report is only %d characters" % len(full)
assert len(body) <= 65536, "posted %d characters" % len(body)
assert "trimmed" in body, body[-300:]
assert "Migrations: not committed" in body, body[-300:]
assert body.startswith("<!-- git-schemig:report -->"), body[:80]
PY
check long-report-trimmed $? "$(cat "$WORK/long.check"; tail -3 "$WORK/long.err")"
cd "$repo" || exit 1

suite_end
