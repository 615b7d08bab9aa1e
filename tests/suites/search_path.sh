#!/usr/bin/env bash
# Unqualified names in a schema file follow the search path (`make test`
# runs it):
#
#   tests/suites/search_path.sh BIN
#
# A team whose role's default schema is its own ("$user", public with a
# schema named after the role; or ALTER ROLE ... SET search_path) writes
# unqualified names that mean that schema. Checked, for both kinds of
# role, with the file's names unqualified: the diff from the live database
# (connected as that role) names that schema and never public, drops
# nothing, applies as that role, and converges; the plan names it too.
# For two files, .schemig.yml's search_path: places them; without a
# server (--parse) such a path is refused rather than read as public; a
# hostile name in it is only ever a quoted identifier.
#
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_DEV_URL,
# SCHEMIG_WORK, SCHEMIG_SUITE_COUNTS.
set -uo pipefail

SUITE=search_path
DB=search_path_a_$$
DBS=(search_path_b_$$)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

ALICE=sp_alice_$$
BOB=sp_bob_$$
suite_cleanup() {
	"${PSQL[@]}" -d "$URL" -c "DROP ROLE IF EXISTS $ALICE" \
		-c "DROP ROLE IF EXISTS $BOB" >/dev/null 2>&1
}

# $URL for database $2, logged in as role $1 (trust on the test
# server's socket).
as_role() {
	local u
	u=$(db_url "$2")
	if [[ $u == *user=* ]]; then
		sed "s/\([?&]\)user=[^&]*/\1user=$1/" <<<"$u"
	else
		echo "$u&user=$1"
	fi
}

# alice's database: her schema is named after her ("$user", public);
# bob's: ALTER ROLE ... SET search_path = app, public.
"${PSQL[@]}" -d "$URL" -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS $ALICE" -c "DROP ROLE IF EXISTS $BOB" \
	-c "CREATE ROLE $ALICE LOGIN" -c "CREATE ROLE $BOB LOGIN" >/dev/null || exit 1
fresh_db "$DB" && fresh_db "${DBS[0]}" || exit 1
"${PSQL[@]}" -d "$(db_url "$DB")" -c "CREATE SCHEMA $ALICE AUTHORIZATION $ALICE" >/dev/null || exit 1
"${PSQL[@]}" -d "$(db_url "${DBS[0]}")" -c "CREATE SCHEMA app AUTHORIZATION $BOB" \
	-c "ALTER ROLE $BOB IN DATABASE ${DBS[0]} SET search_path = app, public" >/dev/null || exit 1

cat >"$WORK/current.sql" <<'SQL'
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, item int REFERENCES items (id));
SQL
cat >"$WORK/desired.sql" <<'SQL'
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric);
CREATE TABLE orders (id int PRIMARY KEY, item int REFERENCES items (id));
CREATE INDEX orders_item_idx ON orders (item);
CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 10;
CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql
  RETURN (SELECT count(*) FROM items);
SQL

# The whole round for role $1 in database $3, whose unqualified names
# mean schema $2 there.
round() {
	local role=$1 schema=$2 u out rc
	u=$(as_role "$role" "$3")
	"${PSQL[@]}" -d "$u" -f "$WORK/current.sql" >/dev/null ||
		{ fail "$role/load" "current.sql does not load as $role"; return; }
	rc=$("${PSQL[@]}" -At -d "$u" -c "SELECT count(*) FROM pg_tables WHERE schemaname = '$schema' AND tablename IN ('items', 'orders')")
	check "$role/loaded-into-own-schema" $(($rc != 2)) "$rc tables in $schema"

	rc=0
	out=$("$BIN" diff --from "$u" --to "$WORK/desired.sql" "${DEVOPT[@]}" 2>"$WORK/$role.err") || rc=$?
	echo "$out" >"$WORK/$role.diff.sql"
	check "$role/diff" "$rc" "exit $rc: $(head -c 300 "$WORK/$role.err")"
	grep -q "ALTER TABLE $schema.items ADD COLUMN price numeric" <<<"$out"
	check "$role/diff-targets-schema" $? "$(head -c 400 <<<"$out")"
	grep -q "CREATE VIEW $schema.cheap" <<<"$out" &&
		grep -q "CREATE INDEX orders_item_idx ON $schema.orders" <<<"$out" &&
		grep -q "FUNCTION $schema.item_count()" <<<"$out"
	check "$role/diff-creates-in-schema" $? "$(head -c 400 <<<"$out")"
	! grep -q "public" <<<"$out"
	check "$role/diff-leaves-public" $? "$(grep "public\." <<<"$out" | head -3)"
	! grep -qi "^DROP" <<<"$out"
	check "$role/diff-drops-nothing" $? "$(grep -i "^DROP" <<<"$out" | head -3)"

	# The plan reads the file the same way.
	if plan_of "$role" "$u" "$WORK/desired.sql"; then
		grep -q "$schema.cheap" "$WORK/$role.plan.out" && ! grep -q "public\.cheap" "$WORK/$role.plan.out"
		check "$role/plan-targets-schema" $? "$(head -c 300 "$WORK/$role.plan.out")"
	fi

	"${PSQL[@]}" -d "$u" -f "$WORK/$role.diff.sql" >/dev/null 2>"$WORK/$role.apply.err"
	check "$role/applies-as-role" $? "$(head -c 300 "$WORK/$role.apply.err")"
	no_diff "$role/converges" "$u" "$WORK/desired.sql"
	rc=$("${PSQL[@]}" -At -d "$u" -c "SELECT count(*) FROM $schema.cheap")
	check "$role/view-in-schema" $? "$rc"
}

round "$ALICE" "$ALICE" "$DB"
round "$BOB" app "${DBS[0]}"

# public got nothing in either database.
for db in "$DB" "${DBS[0]}"; do
	n=$("${PSQL[@]}" -At -d "$(db_url "$db")" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public'")
	check "public-untouched/$db" $(($n != 0)) "$n relations in public"
done

# Two files: .schemig.yml's search_path places their unqualified names.
REPO=$WORK/repo
mkdir -p "$REPO"
cp "$WORK/current.sql" "$WORK/desired.sql" "$REPO/"
printf 'search_path: [app, public]\n' >"$REPO/.schemig.yml"
rc=0
out=$(cd "$REPO" && "$BIN" diff --from current.sql --to desired.sql "${DEVOPT[@]}" 2>&1) || rc=$?
grep -q "ALTER TABLE app.items ADD COLUMN price numeric" <<<"$out" && grep -q "CREATE VIEW app.cheap" <<<"$out"
check config/files-in-schema $? "exit $rc: $(head -c 300 <<<"$out")"
# The file may create the schema itself (and comment on it): loaded once.
{ echo "CREATE SCHEMA app;"; echo "COMMENT ON SCHEMA app IS 'the app';"; cat "$WORK/desired.sql"; } >"$REPO/with_schema.sql"
rc=0
out=$(cd "$REPO" && "$BIN" diff --from current.sql --to with_schema.sql "${DEVOPT[@]}" 2>&1) || rc=$?
grep -q "CREATE VIEW app.cheap" <<<"$out" && grep -q "COMMENT ON SCHEMA app IS 'the app'" <<<"$out"
check config/file-creates-path-schema $? "exit $rc: $(head -c 300 <<<"$out")"
# Without the setting they are public's, as before.
rc=0
out=$("$BIN" diff --from "$WORK/current.sql" --to "$WORK/desired.sql" "${DEVOPT[@]}" 2>&1) || rc=$?
grep -q "CREATE VIEW public.cheap" <<<"$out"
check config/unset-means-public $? "exit $rc: $(head -c 300 <<<"$out")"
# The parser knows public alone: such a path is refused, not guessed.
rc=0
out=$(cd "$REPO" && "$BIN" diff --parse --from current.sql --to desired.sql 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "search_path app" <<<"$out"
check config/parse-refused $? "exit $rc: $(head -c 300 <<<"$out")"
# The setting wins over the live side's own path (it is what the team
# wrote the file for): alice's database, read by bob's setting.
printf 'search_path: [app]\n' >"$REPO/.schemig.yml"
rc=0
out=$(cd "$REPO" && "$BIN" diff --from "$(as_role "$ALICE" "$DB")" --to desired.sql "${DEVOPT[@]}" 2>&1) || rc=$?
grep -q "CREATE SCHEMA app" <<<"$out" && grep -q "CREATE VIEW app.cheap" <<<"$out"
check config/wins-over-live $? "exit $rc: $(head -c 300 <<<"$out")"

# Hostile names: only ever an identifier, quoted; a quote is refused.
printf 'search_path: ["x; DROP SCHEMA public CASCADE --"]\n' >"$REPO/.schemig.yml"
rc=0
out=$(cd "$REPO" && "$BIN" diff --from current.sql --to desired.sql "${DEVOPT[@]}" 2>&1) || rc=$?
grep -qF 'CREATE VIEW "x; DROP SCHEMA public CASCADE --".cheap' <<<"$out"
check hostile/quoted $? "exit $rc: $(head -c 300 <<<"$out")"
printf 'search_path: ["app\\"; DROP TABLE x; --"]\n' >"$REPO/.schemig.yml"
rc=0
out=$(cd "$REPO" && "$BIN" diff --from current.sql --to desired.sql "${DEVOPT[@]}" 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q ".schemig.yml:1:.*without quotes" <<<"$out"
check hostile/quote-refused $? "exit $rc: $(head -c 300 <<<"$out")"
n=$("${PSQL[@]}" -At -d "$URL" -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'public'")
check hostile/public-kept $(($n != 1)) "$n"

suite_end
