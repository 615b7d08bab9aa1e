#!/usr/bin/env bash
# `diff --parse` against a live database (`make test` runs it):
#
#   tests/suites/parse_route.sh BIN
#
#   roundtrip/NAME  each tests/cases/realworld/*_roundtrip/current.sql,
#                   loaded into a database, against itself: no statement,
#                   exit code 0 (its views are pg_dump's text: compared)
#   dump, hand      tests/parse_route/{dump,hand}.sql against a database
#                   loaded with the same file: no statement; the view of
#                   the hand-written file is noted as not compared and
#                   --exit-code says "may differ" (1)
#   changes         the database of dump.sql changed in each class (index
#                   expression, partition bound, trigger WHEN, foreign key,
#                   function attributes and defaults, view query): each
#                   change is found, the view's as a note
#
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_WORK,
# SCHEMIG_SUITE_COUNTS.
set -uo pipefail

SUITE=parse_route
DB=parse_route_$$
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

U=$(db_url "$DB")

# A fresh database loaded with FILE (and then the SQL in $2, if any, in
# a session of its own: a dump empties search_path); psql's errors in
# $WORK/load.log.
load() {
	load_db "$DB" -f "$1" 2>"$WORK/load.log" &&
		{ [ -z "${2:-}" ] || "${PSQL[@]}" -d "$U" -c "$2" >/dev/null 2>>"$WORK/load.log"; }
}

# diff --parse --exit-code from the database to FILE: stdout, stderr and
# the exit code into $WORK/out, $WORK/err, $rc.
parse_diff() {
	"$BIN" diff --parse --exit-code --from "$U" --to "$1" >"$WORK/out" 2>"$WORK/err"
	rc=$?
}

for f in "$TESTS"/cases/realworld/*_roundtrip/current.sql; do
	name=$(basename "$(dirname "$f")")
	if ! load "$f"; then
		fail "roundtrip/$name" "does not load: $(head -c 200 "$WORK/load.log")"
		continue
	fi
	parse_diff "$f"
	if [ "$rc" -eq 0 ] && [ ! -s "$WORK/out" ]; then
		ok "roundtrip/$name"
	else
		fail "roundtrip/$name" "exit $rc, $(grep -c ';$' "$WORK/out") statement(s): $(head -c 300 "$WORK/out" "$WORK/err" | tr '\n' ' ')"
	fi
done

for kind in dump hand; do
	f=$TESTS/parse_route/$kind.sql
	if ! load "$f"; then
		fail "$kind" "does not load: $(head -c 200 "$WORK/load.log")"
		continue
	fi
	parse_diff "$f"
	if [ -s "$WORK/out" ]; then
		fail "$kind" "statements: $(head -c 400 "$WORK/out" | tr '\n' ' ')"
	elif [ $kind = dump ] && [ "$rc" -ne 0 ]; then
		fail "$kind" "exit $rc: $(head -c 300 "$WORK/err")"
	elif [ $kind = hand ] && { [ "$rc" -ne 1 ] ||
		! grep -q '^note: view public.v: its query is not compared by --parse' "$WORK/err"; }; then
		fail "$kind" "exit $rc, no note for view public.v: $(head -c 300 "$WORK/err")"
	else
		ok "$kind"
	fi
done

# One real change per class, made on the server; each must show.
changes="
DROP INDEX public.tags_kind2_idx;
CREATE INDEX tags_kind2_idx ON public.tags (kind) WHERE kind IN ('p', 'z');
ALTER TABLE public.events DETACH PARTITION public.events_2024;
ALTER TABLE public.events ATTACH PARTITION public.events_2024
  FOR VALUES FROM ('2024-01-01 00:00:00-01') TO ('2025-01-01 00:00:00+00');
DROP TRIGGER tags_touch2 ON public.tags;
CREATE TRIGGER tags_touch2 BEFORE UPDATE OF kind ON public.tags FOR EACH ROW
  WHEN (NEW.kind IN ('a', 'c')) EXECUTE FUNCTION public.touch();
ALTER TABLE public.orders DROP CONSTRAINT orders_tag_fk;
ALTER TABLE public.orders ADD CONSTRAINT orders_tag_fk FOREIGN KEY (tag_id)
  REFERENCES public.tags(id) ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
ALTER FUNCTION public.touch() SET search_path = pg_catalog;
CREATE OR REPLACE FUNCTION public.add(a integer, b integer DEFAULT 2, c text DEFAULT 'x',
  d bigint DEFAULT 5, e text[] DEFAULT '{}') RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 6 AS \$\$ SELECT a + b \$\$;
CREATE OR REPLACE VIEW public.v AS SELECT id, kind FROM public.tags WHERE kind <> 'x';
"
if ! load "$TESTS/parse_route/dump.sql" "$changes"; then
	fail changes "do not load: $(head -c 300 "$WORK/load.log")"
else
	parse_diff "$TESTS/parse_route/dump.sql"
	missing=""
	for obj in tags_kind2_idx events_2024 tags_touch2 orders_tag_fk 'public.touch()' 'public.add('; do
		grep -qF "$obj" "$WORK/out" || missing+=" $obj"
	done
	grep -q '^note: view public.v: its query is not compared' "$WORK/err" || missing+=" note:public.v"
	grep -q 'VIEW public.v' "$WORK/out" && missing+=" (a statement for view public.v)"
	if [ -z "$missing" ] && [ "$rc" -eq 1 ]; then
		ok changes
	else
		fail changes "exit $rc, not found:$missing: $(head -c 600 "$WORK/out" | tr '\n' ' ')"
	fi
fi
suite_end
