#!/usr/bin/env bash
# Hostile schema files: `ci pr` loads the branch's DDL file into a scratch
# database while the job's environment holds tokens. Each file below tries
# to reach that environment, the server's files or its programs; each is
# loaded on the throwaway cluster (no dev URL) and on the dev URL server.
# The secret must never show up in output or in a file the SQL tried to
# write, no program may run, and a refused file fails cleanly (exit 2,
# naming file and line). Trusted extensions still load; extensions that
# reach files or programs are refused by name.
#
#   tests/suites/sandbox.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=sandbox
RUN_PID=
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
DEV_URL=${SCHEMIG_DEV_URL:-$URL}
# The server users (nobody, schemig-test) must be able to read the secret
# file and write into out/, so that an attack that gets through leaves a
# trace: a world-reachable directory (short path: it also holds the
# throwaway server's socket in the root-mode check).
T=$(mktemp -d /tmp/schemig-sbx.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/out" "$T/tmp" && chmod 1777 "$T/out" && chmod 755 "$T/tmp"
export SCHEMIG_TEST_SECRET="sekrit-$RANDOM$RANDOM"
echo "$SCHEMIG_TEST_SECRET" >"$T/secret.txt" && chmod 644 "$T/secret.txt"
suite_cleanup() {
	[ -n "$RUN_PID" ] && kill "$RUN_PID" 2>/dev/null
	rm -rf "$T"
}

# Every file starts with a table, so that the diff against dev needs the
# scratch load (the parser alone would find nothing to compare).
attack() { # NAME LINE-OF-ATTACK SQL...
	local name=$1
	shift
	{
		echo "CREATE TABLE t (id int);"
		printf '%s\n' "$@"
	} >"$T/$name.sql"
}
PROG="env > $T/out/env-\$\$.txt; touch $T/out/marker"
# A backend overwrites its own environ area (process titles); the
# postmaster's, found through postmaster.pid, is intact.
ENV="encode(pg_read_binary_file('/proc/' || split_part(pg_read_file('postmaster.pid'), E'\\n', 1) || '/environ'), 'escape')"
SECRET="substring($ENV from 'sekrit-[0-9]+')"
attack copy_program "COPY (SELECT 1) TO PROGRAM '$PROG';"
attack environ "DO \$\$ BEGIN RAISE EXCEPTION 'env: %', $ENV; END \$\$;"
# Into an identifier or a column default, so that a load that goes
# through prints it.
attack environ_name "DO \$\$ BEGIN EXECUTE format('CREATE TABLE %I (id int)', $SECRET); END \$\$;"
attack environ_default "DO \$\$ BEGIN EXECUTE format('CREATE TABLE d (x text DEFAULT %L)', $SECRET); END \$\$;"
attack environ_ctas "CREATE TABLE leak AS SELECT $ENV AS env;" \
	"DO \$\$ BEGIN RAISE EXCEPTION 'env: %', (SELECT env FROM leak); END \$\$;"
attack read_file "DO \$\$ BEGIN RAISE EXCEPTION 'file: %', pg_read_file('$T/secret.txt'); END \$\$;"
attack lo_import "DO \$\$ DECLARE o oid := lo_import('$T/secret.txt'); BEGIN RAISE EXCEPTION 'lo: %', convert_from(lo_get(o), 'UTF8'); END \$\$;"
attack alter_role "ALTER ROLE CURRENT_USER SUPERUSER;" "COPY (SELECT 1) TO PROGRAM '$PROG';"
attack reset_role "RESET ROLE;" "COPY (SELECT 1) TO PROGRAM '$PROG';"
# Object kinds that name server files or need a superuser: a text search
# dictionary's stop word or ispell files, an operator class.
attack ts_stopwords "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple, STOPWORDS = '$T/secret');"
attack ts_ispell "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = ispell, DICTFILE = '$T/secret', AFFFILE = '$T/secret');"
attack opclass "CREATE OPERATOR CLASS c FOR TYPE int USING btree AS OPERATOR 1 <, FUNCTION 1 btint4cmp(int, int);"
attacks="copy_program environ environ_name environ_default environ_ctas read_file lo_import alter_role reset_role ts_stopwords ts_ispell opclass"

# The secret anywhere a run could have put it.
leaked() { # OUT ERR
	grep -rqs -- "$SCHEMIG_TEST_SECRET" "$1" "$2" "$T/out"
}

# diff --from dev --to FILE, on the throwaway cluster or the dev URL.
run_diff() { # WHERE FILE OUT ERR
	if [ "$1" = own ]; then
		(cd "$T" && env -u SCHEMIG_DEV_URL "$BIN" diff --from dev --to "$2" >"$3" 2>"$4")
	else
		(cd "$T" && SCHEMIG_DEV_URL=$DEV_URL "$BIN" diff --from dev --to "$2" >"$3" 2>"$4")
	fi
}

for where in own dev; do
	for a in $attacks; do
		out=$T/$where-$a.out err=$T/$where-$a.err
		run_diff "$where" "$a.sql" "$out" "$err"
		rc=$?
		! leaked "$out" "$err"
		check "$where/$a/no-leak" $? "$(head -c 300 "$err")"
		[ ! -e "$T/out/marker" ] && ! ls "$T/out"/env-* >/dev/null 2>&1
		check "$where/$a/no-program" $? "$(ls "$T/out")"
		# Refused (exit 2, naming the file and a line), or loaded
		# without leaking (checked above); never a crash or exit 3.
		[ $rc -eq 0 ] || { [ $rc -eq 2 ] && grep -q "$a.sql:[0-9]" "$err"; }
		check "$where/$a/clean-exit" $? "exit $rc: $(head -c 300 "$err")"
		rm -f "$T/out"/*
	done
	# Refused, not merely survived: the server resolves no path from the
	# file, and the loader is no superuser.
	grep -q 'ts_stopwords.sql:2:1: invalid text search configuration file name' "$T/$where-ts_stopwords.err" &&
		grep -q 'ts_ispell.sql:2:1: invalid text search configuration file name' "$T/$where-ts_ispell.err" &&
		grep -q 'opclass.sql:2:1: must be superuser to create an operator class' "$T/$where-opclass.err"
	check "$where/server-files-and-superuser-refused" $? "$(cat "$T/$where-ts_stopwords.err" "$T/$where-opclass.err" | head -c 300)"
done

# Extensions: trusted ones still load; an untrusted one on the short list
# of harmless ones is created ahead; one that reaches files is refused
# with the file, the line and its name.
printf '%s\n' "CREATE EXTENSION pgcrypto;" "CREATE EXTENSION IF NOT EXISTS citext;" \
	"CREATE TABLE k (id uuid DEFAULT gen_random_uuid(), email citext);" >"$T/trusted.sql"
printf '%s\n' "CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;" \
	"COMMENT ON EXTENSION pg_stat_statements IS 'stats';" "CREATE TABLE s (id int);" \
	"ALTER TABLE s OWNER TO postgres;" >"$T/listed.sql"
printf '%s\n' "CREATE TABLE f (id int);" "CREATE EXTENSION file_fdw;" >"$T/file_fdw.sql"
for where in own dev; do
	run_diff "$where" trusted.sql "$T/o" "$T/e"
	rc=$?
	[ $rc -eq 0 ] && grep -q 'CREATE EXTENSION IF NOT EXISTS pgcrypto' "$T/o" &&
		grep -q 'email .*citext' "$T/o"
	check "$where/trusted-extensions-load" $? "exit $rc: $(head -c 300 "$T/e")"
	run_diff "$where" listed.sql "$T/o" "$T/e"
	rc=$?
	[ $rc -eq 0 ] && grep -q 'pg_stat_statements' "$T/o"
	check "$where/listed-extension-created-ahead" $? "exit $rc: $(head -c 300 "$T/e")"
	run_diff "$where" file_fdw.sql "$T/o" "$T/e"
	rc=$?
	[ $rc -eq 2 ] && grep -q 'file_fdw.sql:2: CREATE EXTENSION file_fdw' "$T/e"
	check "$where/file-fdw-refused" $? "exit $rc: $(head -c 300 "$T/e")"
done

# The dev URL server keeps no loader role and no scratch database.
left=$(psql -X -At -d "$DEV_URL" -c "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'schemig\_loader\_%'" \
	-c "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemig\_scratch\_%'" 2>&1 | tr '\n' ' ')
[ "$left" = "0 0 " ]
check dev/nothing-left $? "$left"

# A dev URL whose user may not create roles: loaded as that user, as
# before, with one warning line saying so.
plain_url=${DEV_URL/user=postgres/user=schemig_sbx_plain}
psql -X -q -d "$DEV_URL" -c "DROP ROLE IF EXISTS schemig_sbx_plain" -c "CREATE ROLE schemig_sbx_plain LOGIN CREATEDB" >/dev/null 2>&1
printf '%s\n' "CREATE TABLE p (id int);" >"$T/plain.sql"
(cd "$T" && SCHEMIG_DEV_URL=$plain_url "$BIN" diff --from dev --to plain.sql >"$T/o" 2>"$T/e")
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c "loaded with the dev URL's own privileges" "$T/e")" = 1 ] && grep -q 'CREATE TABLE public.p' "$T/o"
check dev/no-createrole-warns-once $? "exit $rc: $(head -c 300 "$T/e")"
psql -X -q -d "$DEV_URL" -c "DROP ROLE IF EXISTS schemig_sbx_plain" >/dev/null 2>&1

# The throwaway cluster while it runs: the postmaster's environment is the
# minimal one, and under root no file in its directory is root's (the
# logs are created by the server's user itself).
printf '%s\n' "CREATE TABLE slow (id int);" "SELECT pg_sleep(5);" >"$T/slow.sql"
(cd "$T" && env -u SCHEMIG_DEV_URL TMPDIR="$T/tmp" "$BIN" diff --from dev --to slow.sql >"$T/slow.out" 2>"$T/slow.err") &
RUN_PID=$!
pid_file=
for _ in $(seq 100); do
	pid_file=$(ls "$T"/tmp/schemig-dev-*/data/postmaster.pid 2>/dev/null | head -1)
	[ -n "$pid_file" ] && grep -q 'ready' "$pid_file" 2>/dev/null && break
	sleep 0.1
done
pm=$(head -1 "$pid_file" 2>/dev/null)
[ -n "$pm" ] && [ -r "/proc/$pm/environ" ] && ! tr '\0' '\n' <"/proc/$pm/environ" | grep -q '^SCHEMIG_TEST_SECRET=' &&
	! tr '\0' '\n' <"/proc/$pm/environ" | grep -qv '^\(PATH\|LANG\|LC_[A-Z_]*\|TZ\|PG[A-Z_]*\)='
check own/minimal-environment $? "postmaster '$pm': $(tr '\0' ' ' <"/proc/$pm/environ" 2>/dev/null | head -c 300)"
if [ "$(id -u)" -eq 0 ]; then
	dir=$(dirname "$(dirname "$pid_file")")
	# initdb.log only when initdb ran (a cold template cache);
	# template.log always.
	logs="$dir/server.log $dir/template.log"
	[ -e "$dir/initdb.log" ] && logs="$logs $dir/initdb.log"
	# shellcheck disable=SC2086
	owner=$(stat -c %U $logs 2>&1 | sort -u | tr '\n' ' ')
	[ "$owner" = "nobody " ]
	check own/logs-owned-by-server-user $? "$owner"
	# The running server creates and removes files (a relation cache
	# written under a temporary name) while find walks the directory: a
	# file gone in between is not a finding; any other error is.
	roots=$(find "$dir" -user root 2>&1 | grep -v ': No such file or directory$' | head -5)
	[ -z "$roots" ]
	check own/no-root-owned-files $? "$roots"
fi
wait "$RUN_PID"
rc=$?
RUN_PID=
check own/slow-load-ok "$rc" "$(head -c 300 "$T/slow.err")"

# dry-run --on dev runs the plan itself on the loaded copy: a backfill
# calls the target's volatile default once per row. The plan runs as the
# loader too, so the function's COPY TO PROGRAM fails there.
printf '%s\n' "CREATE TABLE t (id int PRIMARY KEY);" "INSERT INTO t VALUES (1), (2);" >"$T/dry_from.sql"
printf '%s\n' "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql VOLATILE AS \$\$ BEGIN COPY (SELECT 1) TO PROGRAM '$PROG'; RETURN 1; END \$\$;" \
	"CREATE TABLE t (id int PRIMARY KEY, b int DEFAULT f());" >"$T/dry_to.sql"
rm -f "$T/out/marker"
(cd "$T" && env -u SCHEMIG_DEV_URL "$BIN" dry-run --on dev --from dry_from.sql --to dry_to.sql >"$T/dry.out" 2>"$T/dry.err")
rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && [ ! -e "$T/out/marker" ] && ! leaked "$T/dry.out" "$T/dry.err"
check own/dry-run-on-dev-as-loader $? "exit $rc: $(head -c 300 "$T/dry.err")"

# The partial route (a file against a live database: only what differs is
# loaded) runs what the part holds as the same loader: a changed
# materialized view is filled at load, and its query calls a function
# that tries a program and a server file. Nothing gets through, and the
# file is named in the error, whichever route ends up loading it.
load_db sbx_live -c "CREATE TABLE kept (id int PRIMARY KEY, note text);" \
	-c "CREATE MATERIALIZED VIEW mv AS SELECT id FROM kept;"
{
	echo "CREATE TABLE kept (id int PRIMARY KEY, note text);"
	echo "CREATE FUNCTION leak() RETURNS text LANGUAGE plpgsql VOLATILE AS \$f\$"
	echo "BEGIN COPY (SELECT 1) TO PROGRAM '$PROG'; RETURN pg_read_file('$T/secret.txt'); END \$f\$;"
	echo "CREATE MATERIALIZED VIEW mv AS SELECT id, leak() AS x FROM kept UNION ALL SELECT 0, leak();"
} >"$T/partial.sql"
rm -f "$T/out/marker"
for where in own dev; do
	if [ "$where" = own ]; then
		(cd "$T" && env -u SCHEMIG_DEV_URL "$BIN" diff --from "$(db_url sbx_live)" --to partial.sql >"$T/p.out" 2>"$T/p.err")
	else
		(cd "$T" && SCHEMIG_DEV_URL=$DEV_URL "$BIN" diff --from "$(db_url sbx_live)" --to partial.sql >"$T/p.out" 2>"$T/p.err")
	fi
	rc=$?
	[ "$rc" -eq 2 ] && [ ! -e "$T/out/marker" ] && ! leaked "$T/p.out" "$T/p.err" &&
		grep -q 'partial.sql' "$T/p.err"
	check "$where/partial-route-as-loader" $? "exit $rc: $(head -c 300 "$T/p.err")"
done
drop_db sbx_live

suite_end
