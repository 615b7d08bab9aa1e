#!/usr/bin/env bash
# Every kind of statement pg_dump can write, one at a time, through every
# route: parse (file to file, both ways), introspection (the statement
# loaded into a live database, where the server accepts it), live to file
# and plan. Whatever schemig does not model, it must survive: exit codes
# are 0, 1 or 2, never a signal or a sanitizer report. And what it does
# not model is never called equal: `diff --exit-code` of such a file with
# itself exits 1 and lists it as "not compared".
#
#   tests/suites/unmodelled.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=unmodelled
# Too many checks for a line each: failures only, and a count at the end.
SUITE_QUIET_OK=1
DBS=()
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

# A run survived: exit 0, 1 or 2 and no sanitizer or crash report.
survived() { # RC ERR-FILE
	[ "$1" -le 2 ] && ! grep -qE 'AddressSanitizer|runtime error|LeakSanitizer|Segmentation' "$2"
}

# run NAME EXPECT ARGS...: EXPECT is "any" (0/1/2) or one exit code.
run() {
	local name=$1 expect=$2 rc
	shift 2
	timeout 60 "$BIN" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if ! survived $rc "$WORK/err"; then
		check "$name" 1 "exit $rc: $(grep -m3 -E 'ERROR|error|runtime' "$WORK/err" | tr '\n' ' ')"
	elif [ "$expect" != any ] && [ "$rc" -ne "$expect" ]; then
		check "$name" 1 "exit $rc, expected $expect: $(head -c 300 "$WORK/err" | tr '\n' ' ')"
	else
		check "$name" 0
	fi
}

BASE='CREATE TABLE public.t (id integer PRIMARY KEY, name text);
CREATE FUNCTION public.eq_int(integer, integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 = $2 $$;'
printf '%s\n' "$BASE" >"$WORK/base.sql"

# NAME KIND SQL: KIND u = not modelled (must count as a difference of a
# file with itself), m = modelled or pg_dump boilerplate (must not).
snippets=(
	"aggregate|m|CREATE AGGREGATE public.agg(integer) (SFUNC = int4pl, STYPE = integer);
COMMENT ON AGGREGATE public.agg(integer) IS 'sum';"
	"operator|m|CREATE OPERATOR public.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.eq_int);
COMMENT ON OPERATOR public.=== (integer, integer) IS 'eq';"
	"operator_class|m|CREATE OPERATOR CLASS public.int_ops2 FOR TYPE integer USING btree AS
    OPERATOR 1 <, OPERATOR 3 =, FUNCTION 1 btint4cmp(integer, integer);
COMMENT ON OPERATOR CLASS public.int_ops2 USING btree IS 'c';"
	"operator_family|m|CREATE OPERATOR FAMILY public.fam USING hash;
COMMENT ON OPERATOR FAMILY public.fam USING hash IS 'f';"
	"cast|m|CREATE CAST (public.t AS text) WITH INOUT;
COMMENT ON CAST (public.t AS text) IS 'c';"
	"collation|m|CREATE COLLATION public.c2 (locale = 'C');
COMMENT ON COLLATION public.c2 IS 'c';"
	"conversion|u|CREATE CONVERSION public.conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
COMMENT ON CONVERSION public.conv IS 'c';"
	"ts_configuration|m|CREATE TEXT SEARCH CONFIGURATION public.cfg (COPY = pg_catalog.english);
COMMENT ON TEXT SEARCH CONFIGURATION public.cfg IS 'c';"
	"ts_dictionary|m|CREATE TEXT SEARCH DICTIONARY public.dict (TEMPLATE = pg_catalog.simple);
COMMENT ON TEXT SEARCH DICTIONARY public.dict IS 'c';"
	"ts_parser|u|CREATE TEXT SEARCH PARSER public.prs (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype);
COMMENT ON TEXT SEARCH PARSER public.prs IS 'c';"
	"ts_template|u|CREATE TEXT SEARCH TEMPLATE public.tpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);
COMMENT ON TEXT SEARCH TEMPLATE public.tpl IS 'c';"
	"statistics|m|CREATE STATISTICS public.st (dependencies) ON id, name FROM public.t;
COMMENT ON STATISTICS public.st IS 'c';"
	"fdw_server_mapping_foreign_table|u|CREATE FOREIGN DATA WRAPPER w;
CREATE SERVER s FOREIGN DATA WRAPPER w;
CREATE USER MAPPING FOR CURRENT_USER SERVER s;
CREATE FOREIGN TABLE public.ft (a integer) SERVER s;
COMMENT ON FOREIGN DATA WRAPPER w IS 'c';
COMMENT ON SERVER s IS 'c';
COMMENT ON FOREIGN TABLE public.ft IS 'c';"
	"publication|u|CREATE PUBLICATION pub FOR TABLE public.t;
COMMENT ON PUBLICATION pub IS 'c';"
	"subscription|u|CREATE SUBSCRIPTION sub CONNECTION 'dbname=none' PUBLICATION pub
    WITH (connect = false, enabled = false, create_slot = false, slot_name = NONE);
COMMENT ON SUBSCRIPTION sub IS 'c';"
	"event_trigger|u|CREATE FUNCTION public.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS \$\$ BEGIN END \$\$;
CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION public.on_ddl();
COMMENT ON EVENT TRIGGER et IS 'c';"
	"rule|u|CREATE RULE r AS ON INSERT TO public.t DO INSTEAD NOTHING;
COMMENT ON RULE r ON public.t IS 'c';"
	"transform|u|CREATE TRANSFORM FOR integer LANGUAGE sql (FROM SQL WITH FUNCTION public.eq_int(integer, integer));"
	"access_method|u|CREATE ACCESS METHOD am2 TYPE TABLE HANDLER heap_tableam_handler;
COMMENT ON ACCESS METHOD am2 IS 'c';"
	"language|u|CREATE TRUSTED LANGUAGE plx HANDLER plpgsql_call_handler;
COMMENT ON LANGUAGE plx IS 'c';"
	"default_privileges|u|ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;"
	"security_label|u|SECURITY LABEL FOR dummy ON TABLE public.t IS 'secret';"
	"comment_on_modelled|m|COMMENT ON TABLE public.t IS 't';
COMMENT ON COLUMN public.t.name IS 'n';
COMMENT ON FUNCTION public.eq_int(integer, integer) IS 'f';
COMMENT ON CONSTRAINT t_pkey ON public.t IS 'pk';"
	"sequence_owned_by|m|CREATE SEQUENCE public.s;
ALTER SEQUENCE public.s OWNED BY public.t.id;"
	"owner_to|m|ALTER TABLE public.t OWNER TO CURRENT_USER;
ALTER FUNCTION public.eq_int(integer, integer) OWNER TO CURRENT_USER;"
	"set_config|m|SELECT pg_catalog.set_config('search_path', '', false);"
	"set_lines|m|SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;"
	"set_custom|u|SET work_mem = '64MB';"
)

# One live database takes every statement the server accepts, so that
# introspection meets all the kinds at once (a database per kind would
# cost a scratch load each).
live=schemig_unmod_$$
live_url=$(db_url "$live")
fresh_db "$live" 2>/dev/null || check createdb 1
DBS+=("$live")
printf '%s\n' "$BASE" >"$WORK/combined.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$live_url" -f "$WORK/base.sql" >/dev/null 2>&1 || check load-base 1

start=$(date +%s)
loaded=0
for s in "${snippets[@]}"; do
	name=${s%%|*}
	rest=${s#*|}
	kind=${rest%%|*}
	sql=${rest#*|}
	f=$WORK/$name.sql
	printf '%s\n%s\n' "$BASE" "$sql" >"$f"
	self=$([ "$kind" = u ] && echo 1 || echo 0)
	differs=$([ "$kind" = u ] && echo 1 || echo any)

	# Parse: the file with itself, and both ways against the base.
	run "$name/self" "$self" diff --from "$f" --to "$f" --exit-code --format text
	if [ "$kind" = u ] && ! grep -q '^not compared: ' "$WORK/out"; then
		check "$name/self-lists" 1 "no 'not compared:' line in the text output"
	fi
	run "$name/file-to-base" "$differs" diff --from "$f" --to "$WORK/base.sql" --exit-code --format json
	run "$name/base-to-file" "$differs" diff --from "$WORK/base.sql" --to "$f" --exit-code

	printf '%s\n' "$sql" >"$WORK/one.sql"
	if psql -X -q -v ON_ERROR_STOP=1 -d "$live_url" -f "$WORK/one.sql" >/dev/null 2>&1; then
		loaded=$((loaded + 1))
		# A scratch database holding a subscription cannot be
		# dropped: the file routes leave that one out.
		[ "$name" = subscription ] || printf '%s\n' "$sql" >>"$WORK/combined.sql"
	fi
done

# Introspection of every kind at once, through every route.
f=$WORK/combined.sql
run live/self 1 diff --from "$live_url" --to "$live_url" --exit-code --format text
run live/live-to-file any diff --from "$live_url" --to "$f" --exit-code --format text
run live/file-to-live any diff --from "$f" --to "$live_url" --format json
run live/live-to-base 1 diff --from "$live_url" --to "$WORK/base.sql" --exit-code
run live/plan-to-base any plan --from "$live_url" --to "$WORK/base.sql" --format json
run live/plan-to-file any plan --from "$live_url" --to "$f" --format text
psql -X -q -d "$live_url" -c "DROP SUBSCRIPTION IF EXISTS sub" >/dev/null 2>&1
echo "ok   unmodelled: ${#snippets[@]} statement kinds ($loaded loaded live), $passed checks passed ($(($(date +%s) - start))s)"

suite_end
