#!/usr/bin/env bash
# Passwords never leave schemig: every command that names a source (diff,
# plan in text, JSON and --out, generate's migration header, dry-run,
# report, ci pr with a replica, GITHUB_STEP_SUMMARY and a post to a local
# stand-in for GitHub's API) runs against the real test server with each
# spelling of a connection string that holds a password, and the password
# must show up in none of stdout, stderr, the files written and the
# requests the API received.
#
# The test server trusts its socket, so any password is accepted: the
# commands really connect, and the password really travels with them.
#
#   tests/suites/redact.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=redact
DB=schemig_redact_$$
DBS=("${DB}_r")
ROLE=schemig_redact_alice
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# After the databases, which the role owns.
suite_cleanup() {
	psql -X -q -d "$URL" -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
}

# host and port of the test server, for URLs of our own.
read -r HOST PORT < <(python3 -c 'import sys
from urllib.parse import urlsplit, parse_qs
q = parse_qs(urlsplit(sys.argv[1]).query)
print(q["host"][0], q.get("port", ["5432"])[0])' "$URL")
enc() { python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$1"; }
SOCK="host=$(enc "$HOST")&port=$PORT"

# $DB is the environment's database; ${DB}_r its replica, where dry runs
# go (a dry run on an environment's own database is refused).
psql -X -q -d "$URL" -v ON_ERROR_STOP=1 \
	-c "CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD 'not-the-one-used'" \
	-c "CREATE DATABASE $DB OWNER $ROLE" \
	-c "CREATE DATABASE ${DB}_r OWNER $ROLE" >"$WORK/setup.log" 2>&1
setup=$?
for d in "$DB" "${DB}_r"; do
	psql -X -q -v ON_ERROR_STOP=1 -d "postgresql:///$d?$SOCK&user=$ROLE" \
		-c "CREATE TABLE orders (id bigint PRIMARY KEY, note text)" \
		-c "INSERT INTO orders SELECT g, 'n' FROM generate_series(1, 50) g" \
		-c "ANALYZE orders" >>"$WORK/setup.log" 2>&1 || setup=1
done
[ "$setup" -eq 0 ]
check setup $? "$(tail -3 "$WORK/setup.log")"

repo=$WORK/repo
mkdir -p "$repo/db" && cd "$repo" && git init -q . &&
	git config user.email ci@example.com && git config user.name ci
cat >db/schema.sql <<'SQL'
CREATE TABLE orders (id bigint PRIMARY KEY, note text, placed_at timestamptz);
CREATE INDEX orders_placed_idx ON orders (placed_at);
SQL

start_fake api
check fake-api-started $?
export GITHUB_API_URL=$API \
	GITHUB_REPOSITORY=acme/shop GITHUB_TOKEN=t0ken SCHEMIG_HTTP_BACKOFF_MS=1

# run_all NAME URL SECRET...: every command with URL as the source (and
# the same URL naming the replica database as the replica); none of the
# SECRETs may appear in anything they wrote. With LIGHT=1 only the four
# commands that each print the spec their own way (diff, plan --out,
# dry-run, ci pr): the other spellings of a URL go through the same
# redaction as the full runs, and each full command costs a scratch load.
run_all() {
	local name=$1 url=$2 d=$WORK/$1 rurl
	shift 2
	mkdir -p "$d"
	if [[ $url == env:* ]]; then
		local var=${url#env:}
		export REDACT_REPLICA_URL=${!var}
		REDACT_REPLICA_URL=${REDACT_REPLICA_URL/"/$DB?"/"/${DB}_r?"}
		rurl=env:REDACT_REPLICA_URL
	else
		rurl=${url/"/$DB?"/"/${DB}_r?"}
	fi
	cat >.schemig.yml <<YML
dialect: postgres
schema: db/schema.sql
migrations: { format: sql, dir: migrations }
environments:
  staging: { url: env:REDACT_URL, replica: '$rurl' }
YML
	export REDACT_URL=$url
	"$BIN" diff --from "$url" --to db/schema.sql >"$d/diff.out" 2>"$d/diff.err"
	echo "diff $?" >>"$d/rc"
	"$BIN" plan --from "$url" --to db/schema.sql --out "$d/plan.json" >"$d/plan.out" 2>"$d/plan.err"
	echo "plan $?" >>"$d/rc"
	if [ "${LIGHT:-0}" = 0 ]; then
		"$BIN" plan --plan "$d/plan.json" --format json >"$d/plan.json.out" 2>"$d/plan.json.err"
		"$BIN" plan --env staging --to db/schema.sql --out "$d/plan-env.json" >"$d/planenv.out" 2>"$d/planenv.err"
		"$BIN" generate --plan "$d/plan.json" --dir "$d/migrations" --name m >"$d/gen.out" 2>"$d/gen.err"
	fi
	"$BIN" dry-run --plan "$d/plan.json" --on "$rurl" --report "$d/dry.json" >"$d/dry.out" 2>"$d/dry.err"
	echo "dry-run $?" >>"$d/rc"
	[ "${LIGHT:-0}" = 0 ] &&
		"$BIN" report --plan "$d/plan.json" --dry-run "$d/dry.json" >"$d/report.out" 2>"$d/report.err"
	GITHUB_STEP_SUMMARY=$d/summary.md "$BIN" ci pr --from "$url" --post github --pr 7 \
		--report-out "$d/ci.md" >"$d/ci.out" 2>"$d/ci.err"
	echo "ci $?" >>"$d/rc"
	cp "$WORK/api.log" "$d/api.log" 2>/dev/null
	local hits="" s
	for s in "$@"; do
		hits+=$(grep -rlF -- "$s" "$d" | sed "s|^$d/||" | tr '\n' ' ')
	done
	check "$name-never-shown" "$([ -z "$hits" ]; echo $?)" "found in: $hits"
}

# A password with '/' and '@' (percent-encoded, as a URL needs them).
run_all userinfo "postgresql://$ROLE:Zq8SecretA%2F%40x@/$DB?$SOCK" \
	Zq8SecretA 'Zq8SecretA%2F%40x'
# The commands really ran: a plan, a dry run and a post happened.
grep -qx 'plan 0' "$WORK/userinfo/rc" && grep -qx 'dry-run 0' "$WORK/userinfo/rc" &&
	grep -q '"spec": *"postgresql://schemig_redact_alice:\*\*\*@/' "$WORK/userinfo/plan.json" &&
	grep -q 'Dry run on postgresql://schemig_redact_alice:\*\*\*@' "$WORK/userinfo/ci.md" &&
	grep -q '"method": *"POST"' "$WORK/userinfo/api.log"
check userinfo-commands-ran $? "$(cat "$WORK/userinfo/rc" | tr '\n' ' ')$(tail -2 "$WORK/userinfo/dry.err")"
grep -q "ci pr: planning postgresql://$ROLE:\*\*\*@" "$WORK/userinfo/ci.err"
check ci-planning-line-redacted $? "$(grep planning "$WORK/userinfo/ci.err")"

LIGHT=1 run_all query "postgresql:///$DB?$SOCK&user=$ROLE&password=Zq8SecretB" Zq8SecretB
LIGHT=1 run_all sslpassword "postgresql:///$DB?$SOCK&user=$ROLE&password=Zq8SecretC1&sslpassword=Zq8SecretC2" \
	Zq8SecretC1 Zq8SecretC2
LIGHT=1 run_all duplicate "postgresql:///$DB?$SOCK&user=$ROLE&password=Zq8SecretD1&password=Zq8SecretD2" \
	Zq8SecretD1 Zq8SecretD2
LIGHT=1 run_all encoded-key "postgresql:///$DB?$SOCK&user=$ROLE&pass%77ord=Zq8SecretE" Zq8SecretE
# One character: only whole-token forms can be looked for.
LIGHT=1 run_all one-char "postgresql://$ROLE:Q@/$DB?$SOCK" ":Q@" "password=Q" "'Q'"
grep -qx 'plan 0' "$WORK/one-char/rc"
check one-char-commands-ran $?
# A raw '/' in the password: libpq reads a host and a port out of it and
# cannot connect; the message must not quote any piece of it.
LIGHT=1 run_all raw-slash "postgresql://$ROLE:Zq8/SecretF@/$DB?$SOCK" Zq8 SecretF
grep -q 'unparsable connection string\|does not parse' "$WORK/raw-slash/plan.err"
check raw-slash-refused-without-echo $? "$(cat "$WORK/raw-slash/plan.err")"

# env:NAME: the name may be shown, its value never.
export REDACT_ENV_URL="postgresql://$ROLE:Zq8SecretH@/$DB?$SOCK"
run_all env-name "env:REDACT_ENV_URL" Zq8SecretH
grep -q '"spec": *"env:REDACT_ENV_URL"' "$WORK/env-name/plan.json"
check env-name-kept-in-plan $?

# The scratch server (--dev-url) with a password too; and one that cannot
# be reached, whose error names it.
DEV="postgresql:///$DB?$SOCK&user=$ROLE&password=Zq8%20SecretG"
"$BIN" diff --dev-url "$DEV" --from "postgresql:///$DB?$SOCK&user=$ROLE" \
	--to db/schema.sql >"$WORK/dev.out" 2>"$WORK/dev.err"
rc=$?
! grep -qF 'SecretG' "$WORK/dev.out" "$WORK/dev.err" && [ "$rc" -le 1 ]
check dev-url-never-shown $? "rc=$rc $(tail -2 "$WORK/dev.err")"
"$BIN" diff --dev-url "postgresql://u:Zq8SecretG@/postgres?host=/nonexistent-schemig&port=1" \
	--from "postgresql:///$DB?$SOCK&user=$ROLE" --to db/schema.sql >"$WORK/dev2.out" 2>"$WORK/dev2.err"
rc=$?
! grep -qF 'SecretG' "$WORK/dev2.err" && grep -qF 'u:***@' "$WORK/dev2.err" && [ "$rc" -eq 3 ]
check dev-url-error-redacted $? "rc=$rc $(cat "$WORK/dev2.err")"

# A connection string passed where no argument is taken is named in the
# usage error, without its password, by every command.
bad=
for c in diff plan generate report init demo version; do
	"$BIN" $c "postgresql://u:Zq8SecretI@h/db" >/dev/null 2>"$WORK/pos.err"
	rc=$?
	{ [ "$rc" -eq 2 ] && grep -qF 'u:***@h' "$WORK/pos.err" && ! grep -qF SecretI "$WORK/pos.err"; } || bad="$bad $c(rc=$rc)"
done
[ -z "$bad" ]
check positional-url-redacted $? "$bad"

suite_end
