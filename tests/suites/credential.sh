#!/usr/bin/env bash
# The one-shot credential of `git schemig apply` on the real PostgreSQL
# (`make test` runs it):
#
#   tests/suites/credential.sh BIN      (suite contract: tests/run.sh)
#
# An environment with `credential: {admin_url: env:..., ttl_minutes: N}`:
# apply makes a login schemig_<plan>_<random> with the admin (CREATEROLE,
# not a superuser), member of the role that owns the plan's tables only,
# runs every step as it and drops it. Checked while it runs (a lock held
# by another session keeps the apply retrying): the login exists, joins
# only the owner, is not a superuser, allows 3 connections, expires, needs
# its password, and cannot read a table of another owner. Gone after
# success, after a failure rolled back, after SIGTERM; a login left by
# kill -9 is listed by `doctor` and swept by the next apply, and so is an
# expired one. Objects the login made belong to the owner. A plan on
# tables a superuser owns is refused before anything changes.
set -uo pipefail

SUITE=credential
DB="cred_$$"
DB2="cred_super_$$"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/apply
OWNER=cred_owner_$$
OTHER=cred_other_$$
ADMIN=cred_admin_$$
suite_cleanup() {
	for p in ${BG:-}; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	drop_db "$DB" "$DB2"
	"${PSQL[@]}" -d "$URL" -qc "DROP ROLE IF EXISTS $ADMIN; DROP ROLE IF EXISTS $OTHER; DROP ROLE IF EXISTS $OWNER" >/dev/null 2>&1
}

# A URL of database $1 as login $2.
as_user() {
	python3 -c 'import sys, re; u = sys.argv[1]; print(re.sub(r"user=[^&]*", "user=" + sys.argv[2], u) if "user=" in u else u + ("&" if "?" in u else "?") + "user=" + sys.argv[2])' "$(db_url "$1")" "$2"
}
export CRED_URL ADMIN_URL SUPER_URL
CRED_URL=$(db_url "$DB")
SUPER_URL=$(db_url "$DB2")
ADMIN_URL=$(as_user postgres "$ADMIN")

# The owner of the application's tables (its members must give a password
# on the test server: tests/pg.sh), another owner's table the plan never
# touches, and the admin that makes the logins: CREATEROLE, nothing more.
"${PSQL[@]}" -d "$URL" >/dev/null <<SQL || fail setup/roles
CREATE ROLE $OWNER NOLOGIN IN ROLE schemig_scram;
CREATE ROLE $OTHER NOLOGIN;
SQL
# The admin as the README makes it (doc/credential-admin.sql).
"${PSQL[@]}" -d "$URL" -v admin="$ADMIN" -v owners="$OWNER" -v password=unused-here \
	-f "$TESTS/../doc/credential-admin.sql" >"$WORK/admin.out" 2>&1
check setup/admin-script $? "$(cat "$WORK/admin.out")"
a=$("${PSQL[@]}" -d "$URL" -tAc "SELECT rolsuper, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = '$ADMIN'")
[ "$a" = "f|t|t" ]
check setup/admin-not-superuser $? "super|createrole|login: $a"
ROWS=3000
load_owned() { # DB
	load_db "$1" -f "$FIX/source.sql" -c "INSERT INTO accounts (id, email) SELECT g, 'u' || g FROM generate_series(1, $ROWS) g" &&
		"${PSQL[@]}" -d "$(db_url "$1")" >/dev/null <<SQL
ALTER DATABASE $1 OWNER TO $OWNER;
ALTER TABLE accounts OWNER TO $OWNER;
ALTER FUNCTION count_updates() OWNER TO $OWNER;
CREATE TABLE secrets (id int PRIMARY KEY, v text);
ALTER TABLE secrets OWNER TO $OTHER;
ANALYZE;
SQL
}
load_owned "$DB" || fail setup/load
# The same schema, every object a superuser's.
load_db "$DB2" -f "$FIX/source.sql" -c "CREATE TABLE secrets (id int PRIMARY KEY, v text)" || fail setup/load-super
SOURCE=$WORK/source.sql
cat "$FIX/source.sql" - >"$SOURCE" <<'SQL'
CREATE TABLE secrets (id int PRIMARY KEY, v text);
SQL

REPO=$WORK/repo
mkdir -p "$REPO/db"
cat "$FIX/desired.sql" - >"$REPO/db/schema.sql" <<'SQL'
CREATE TABLE secrets (id int PRIMARY KEY, v text);
SQL
cat >"$REPO/.schemig.yml" <<EOF
schema: db/schema.sql
migrations: { format: sql, dir: migrations }
audit: { file: audit.jsonl }
environments:
  production:
    url: env:CRED_URL
    credential: { admin_url: env:ADMIN_URL, ttl_minutes: 30 }
  superowned:
    url: env:SUPER_URL
    credential: { admin_url: env:ADMIN_URL }
EOF
(cd "$REPO" && git init -q && "$BIN" generate --env production --name add_token >/dev/null 2>"$WORK/gen.err" &&
	git add -A && git -c user.name=t -c user.email=t@e commit -qm add_token)
check setup/generate $? "$(cat "$WORK/gen.err")"

q() { "${PSQL[@]}" -d "$CRED_URL" -tAc "$1" 2>&1; }
logins() { q "SELECT coalesce(string_agg(rolname, ',' ORDER BY rolname), '') FROM pg_roles WHERE rolname ~ '^schemig_[0-9a-f]{12}_[0-9a-f]{8}\$'"; }
outcome() { q "SELECT outcome FROM schemig.applies ORDER BY started DESC LIMIT 1"; }
# Hold a lock on accounts for $1 seconds, in the background (release
# ends it sooner).
block() {
	PGAPPNAME=cred-blocker "${PSQL[@]}" -d "$CRED_URL" -c "BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE; SELECT pg_sleep($1); COMMIT" >/dev/null 2>&1 &
	BLOCKER=$!
	BG="${BG:-} $BLOCKER"
	for _ in $(seq 100); do
		[ "$(q "SELECT count(*) FROM pg_locks l WHERE l.relation = 'accounts'::regclass AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND l.granted AND l.pid <> pg_backend_pid()")" -ge 1 ] 2>/dev/null && return 0
		sleep 0.1
	done
}
release() {
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cred-blocker' AND datname = current_database()" >/dev/null
	wait "$BLOCKER" 2>/dev/null
}
# Wait until a one-shot login exists (the apply is past its setup).
wait_login() {
	for _ in $(seq 300); do
		[ -n "$(logins)" ] && return 0
		sleep 0.1
	done
	return 1
}

# --- while it runs -------------------------------------------------------
# The lock is held until the checks below are done (a fixed time could
# run out first on a loaded machine, and the login with it).
block 120
(cd "$REPO" && exec "$BIN" apply --env production) >"$WORK/first.out" 2>"$WORK/first.err" &
APPLY=$!
BG="$BG $APPLY"
wait_login
role=$(logins)
[[ "$role" =~ ^schemig_[0-9a-f]{12}_[0-9a-f]{8}$ ]]
check during/one-login-named-schemig-plan-random $? "logins: '$role'"
members=$(q "SELECT string_agg(b.rolname, ',') FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = '$role'")
[ "$members" = "$OWNER" ]
check during/member-of-the-owner-only $? "member of: '$members'"
attrs=$(q "SELECT rolsuper, rolcreaterole, rolcreatedb, rolconnlimit, rolvaliduntil > now() AND rolvaliduntil <= now() + interval '31 minutes' FROM pg_roles WHERE rolname = '$role'")
[ "$attrs" = "f|f|f|3|t" ]
check during/no-superuser-3-connections-expires-in-ttl $? "super|createrole|createdb|connlimit|expiry: $attrs"
denied=$("${PSQL[@]}" -d "$CRED_URL" -tAc "SET ROLE \"$role\"; SELECT count(*) FROM secrets" 2>&1)
echo "$denied" | grep -q "permission denied for table secrets"
check during/other-owners-table-denied $? "$denied"
allowed=$("${PSQL[@]}" -d "$CRED_URL" -tAc "SET ROLE \"$role\"; SELECT count(*) FROM accounts" 2>&1)
[ "$allowed" = "$ROWS" ]
check during/owners-table-readable $? "$allowed"
nopw=$(psql -X -w -d "$(as_user "$DB" "$role")" -c "SELECT 1" 2>&1)
echo "$nopw" | grep -q "password"
check during/login-needs-its-password $? "$nopw"
release
wait "$APPLY"
rc=$?
check success/exit-0 $rc "$(tail -5 "$WORK/first.err")"
[ -z "$(logins)" ]
check success/login-dropped $? "left: $(logins)"
no_diff success/at-target "$CRED_URL" "$REPO/db/schema.sql"
[ "$(outcome)" = applied ]
check success/journal-applied $? "outcome: $(outcome)"
ev=$(q "SELECT string_agg(event::json->>'event', ',' ORDER BY seq) FROM schemig.apply_events WHERE event::json->>'role' = '$role'")
[ "$ev" = "credential_created,credential_dropped" ]
check success/journal-names-the-login $? "events: $ev"
repo_run hist history --env production
grep -q "$role" "$WORK/hist.out"
check success/history-names-the-login $? "$(head -20 "$WORK/hist.out")"
owner=$(q "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'accounts_email_idx'")
[ "$owner" = "$OWNER" ]
check success/made-objects-belong-to-owner $? "index owner: $owner"
! grep -qi "password" "$WORK/first.err" "$REPO/audit.jsonl"
check success/no-password-in-output-or-audit $? "$(grep -i password "$WORK/first.err" "$REPO/audit.jsonl" | head -3)"

# --- a failure rolled back ----------------------------------------------
# Back to the source, then a lock held past every retry: the first step
# fails, nothing is left, and neither is the login.
repo_run rb rollback --env production
check failure/setup-rollback $? "$(tail -3 "$WORK/rb.err")"
[ -z "$(logins)" ]
check failure/rollback-drops-its-login $? "left: $(logins)"
block 20
repo_run failed apply --env production --retries 0
rc=$?
kill "$BLOCKER" 2>/dev/null
wait "$BLOCKER" 2>/dev/null
[ $rc = 1 ]
check failure/exit-1 $? "exit $rc: $(tail -5 "$WORK/failed.err")"
[ -z "$(logins)" ]
check failure/login-dropped $? "left: $(logins)"
no_diff failure/at-source "$CRED_URL" "$SOURCE"

# --- SIGTERM ---------------------------------------------------------------
block 30
(cd "$REPO" && exec "$BIN" apply --env production) >"$WORK/term.out" 2>"$WORK/term.err" &
APPLY=$!
BG="$BG $APPLY"
wait_login
kill -TERM "$APPLY"
wait "$APPLY"
rc=$?
kill "$BLOCKER" 2>/dev/null
wait "$BLOCKER" 2>/dev/null
[ $rc != 0 ]
check sigterm/stopped $? "exit $rc"
[ -z "$(logins)" ]
check sigterm/login-dropped $? "left: $(logins); $(tail -5 "$WORK/term.err")"
no_diff sigterm/at-source "$CRED_URL" "$SOURCE"

# --- kill -9: a leftover, listed, then swept ------------------------------
SCHEMIG_TEST_KILL=after-commit:1 repo_run killed apply --env production
rc=$?
[ $rc = 137 ] || [ $rc = 9 ]
check kill/killed $? "exit $rc: $(tail -3 "$WORK/killed.err")"
plan12=$(q "SELECT left(plan_id, 12) FROM schemig.applies ORDER BY started DESC LIMIT 1")
# An expired login made for another database is swept too.
"${PSQL[@]}" -d "$URL" -qc "CREATE ROLE schemig_aaaaaaaaaaaa_bbbbbbbb LOGIN VALID UNTIL '2020-01-01'; COMMENT ON ROLE schemig_aaaaaaaaaaaa_bbbbbbbb IS 'git schemig one-shot credential {\"apply_id\":\"x\",\"database\":\"elsewhere\"}'" >/dev/null
left=$(logins)
[[ ",$left," =~ ,schemig_aaaaaaaaaaaa_bbbbbbbb, ]] && [[ ",$left," =~ ,schemig_${plan12}_[0-9a-f]{8}, ]]
check kill/login-left-behind $? "logins: '$left' (plan $plan12)"
repo_run doctor doctor --env production
rc=$?
[ $rc = 1 ] && grep -q "schemig_aaaaaaaaaaaa_bbbbbbbb  leftover (expired)" "$WORK/doctor.out" &&
	grep -q "schemig_${plan12}_[0-9a-f]*  leftover (no apply is running)" "$WORK/doctor.out"
check kill/doctor-lists-leftovers $? "exit $rc: $(cat "$WORK/doctor.out" "$WORK/doctor.err")"
repo_run doctorjson doctor --env production --format json
python3 -c 'import json, sys; a = json.load(open(sys.argv[1])); assert len(a) == 2 and all(x["leftover"] for x in a)' "$WORK/doctorjson.out"
check kill/doctor-json $? "$(head -c 400 "$WORK/doctorjson.out")"
repo_run resumed apply --env production --wait 30
check kill/resumed-exit-0 $? "$(tail -5 "$WORK/resumed.err")"
[ -z "$(logins)" ]
check kill/leftovers-swept $? "left: $(logins)"
grep -q '"event":"credential_dropped".*"why":"leftover of an earlier apply"' "$REPO/audit.jsonl" &&
	grep -q '"role":"schemig_aaaaaaaaaaaa_bbbbbbbb".*"why":"expired leftover"\|"why":"expired leftover".*"role":"schemig_aaaaaaaaaaaa_bbbbbbbb"' "$REPO/audit.jsonl"
check kill/sweep-audited $? "$(grep credential_dropped "$REPO/audit.jsonl" | tail -3)"
no_diff kill/at-target "$CRED_URL" "$REPO/db/schema.sql"
repo_run doctor2 doctor --env production
check kill/doctor-clean-after $? "$(cat "$WORK/doctor2.out")"

# --- refusals --------------------------------------------------------------
repo_run super apply --env superowned
rc=$?
[ $rc != 0 ] && grep -q "owned by postgres, a superuser" "$WORK/super.err"
check refuse/superuser-owned $? "exit $rc: $(cat "$WORK/super.err")"
[ -z "$(logins)" ]
check refuse/no-login-made $? "left: $(logins)"
o=$("${PSQL[@]}" -d "$SUPER_URL" -tAc "SELECT outcome FROM schemig.applies" 2>&1)
[ "$o" = failed ]
check refuse/journal-failed-nothing-changed $? "outcome: $o"
no_diff refuse/at-source "$SUPER_URL" "$SOURCE"
ADMIN_URL= repo_run unset apply --env production
rc=$?
[ $rc = 2 ] && grep -q "ADMIN_URL" "$WORK/unset.err"
check refuse/admin-url-unset $? "exit $rc: $(cat "$WORK/unset.err")"
sed -i 's/admin_url: env:ADMIN_URL, ttl_minutes: 30/admin_url: "postgresql:\/\/x:y@h\/d"/' "$REPO/.schemig.yml"
repo_run literal apply --env production
rc=$?
[ $rc = 2 ] && grep -q "\.schemig\.yml:7:.*admin_url must be env:NAME" "$WORK/literal.err" && ! grep -q "x:y" "$WORK/literal.err"
check refuse/admin-url-in-file $? "exit $rc: $(cat "$WORK/literal.err")"

suite_end
