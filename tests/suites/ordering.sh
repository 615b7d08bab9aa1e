#!/usr/bin/env bash
# Schema files written out of dependency order (issue 15): the scratch
# load runs their statements in dependency order, on the throwaway
# cluster (a loader role of its own, statements the preparation blanks)
# and on the dev URL's server, while a genuinely missing object still
# fails with exit 2 and the file:line:column of the statement that names
# it, even when that statement was moved; an inline foreign key cycle
# keeps the server's error; a SET search_path still applies to what
# follows it; the parse route reads the same files.
#
#   bash tests/suites/ordering.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=ordering
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
DEV_URL=${SCHEMIG_DEV_URL:-$URL}
cd "$WORK" || exit 1

# Everything upside down, with an OWNER TO the preparation blanks (the
# loader may not give a table away) in front of the table it names.
cat >upside_down.sql <<'EOF'
ALTER TABLE app.items OWNER TO postgres;

CREATE TRIGGER stamp BEFORE UPDATE ON app.items
    FOR EACH ROW EXECUTE FUNCTION app.stamp();

CREATE VIEW app.cheap AS SELECT id, price FROM app.items WHERE price < 10;

CREATE TABLE app.items (
    id integer PRIMARY KEY DEFAULT nextval('app.item_ids'),
    shop_id integer NOT NULL REFERENCES app.shops (id),
    price app.money_amount NOT NULL,
    changed timestamptz
);

CREATE FUNCTION app.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed := now();
    RETURN NEW;
END
$$;

CREATE DOMAIN app.money_amount AS numeric CHECK (VALUE >= 0);
CREATE SEQUENCE app.item_ids;
CREATE TABLE app.shops (id integer PRIMARY KEY);
CREATE SCHEMA app;
EOF

# A foreign key to a table defined nowhere: line 3.
cat >missing_fk.sql <<'EOF'
CREATE TABLE a (id int PRIMARY KEY);

CREATE TABLE b (
    id int,
    a_id int REFERENCES nowhere (id)
);
EOF

# The statement naming the missing table also names a later one, so it
# is moved: the error still names its own line, 2.
cat >missing_moved.sql <<'EOF'
-- b comes after a when loaded
CREATE TABLE b (
    a_id int REFERENCES a (id),
    c_id int REFERENCES nowhere (id)
);

CREATE TABLE a (id int PRIMARY KEY);
EOF

# After a moved statement: a view over a missing table, line 5, column
# 32 (where the server points).
cat >missing_late.sql <<'EOF'
CREATE VIEW v AS SELECT a FROM t;

CREATE TABLE t (a int);

CREATE VIEW w AS SELECT a FROM nowhere;
EOF

# An index on a missing table: the schema parser, which reads the file
# before it is loaded, names it with its line.
cat >missing_index.sql <<'EOF'
CREATE INDEX j ON t (a);

CREATE TABLE t (a int);

CREATE INDEX i ON nowhere (a);
EOF

# Inline foreign keys naming each other: no order loads them.
cat >cycle.sql <<'EOF'
CREATE TABLE x (id int PRIMARY KEY, y_id int REFERENCES y (id));
CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x (id));
EOF

# Nothing is moved across a SET: both tables are made in app.
cat >search_path.sql <<'EOF'
CREATE SCHEMA app;
SET search_path = app;
CREATE TABLE a (b_id int REFERENCES b (id));
CREATE TABLE b (id int PRIMARY KEY);
EOF

# diff --from dev --to FILE, on the throwaway cluster or the dev URL's
# server: the file goes through the scratch load either way.
run_diff() { # WHERE FILE
	if [ "$1" = own ]; then
		env -u SCHEMIG_DEV_URL "$BIN" diff --from dev --to "$2" >out 2>err
	else
		SCHEMIG_DEV_URL=$DEV_URL "$BIN" diff --from dev --to "$2" >out 2>err
	fi
}

# refused WHERE NAME MESSAGE: exit 2 and exactly MESSAGE on stderr.
refused() {
	run_diff "$1" "$2.sql"
	local rc=$?
	[ $rc -eq 2 ] && grep -qF "error: $3" err
	check "$1/$2" $? "exit $rc: $(head -c 300 err)"
}

for where in own dev; do
	run_diff $where upside_down.sql
	rc=$?
	[ $rc -eq 0 ] && grep -q '^CREATE TABLE app.items' out &&
		grep -q '^CREATE VIEW app.cheap' out && grep -q '^CREATE TRIGGER stamp' out &&
		grep -q 'REFERENCES app.shops' out
	check "$where/upside-down-loads" $? "exit $rc: $(head -c 300 err)"

	refused $where missing_fk 'missing_fk.sql:3:1: relation "nowhere" does not exist'
	refused $where missing_moved 'missing_moved.sql:2:1: relation "nowhere" does not exist'
	refused $where missing_late 'missing_late.sql:5:32: relation "nowhere" does not exist'
	refused $where missing_index 'missing_index.sql:5: CREATE INDEX on unknown table "public.nowhere"'
	refused $where cycle 'cycle.sql:1:1: relation "y" does not exist'

	run_diff $where search_path.sql
	rc=$?
	[ $rc -eq 0 ] && grep -q '^CREATE TABLE app.a ' out && grep -q '^CREATE TABLE app.b ' out &&
		! grep -q 'public\.' out
	check "$where/set-search-path-holds" $? "exit $rc: $(head -c 300 out) $(head -c 300 err)"
done

# The parse route (no server) reads the same file in the same order.
echo "-- empty" >empty.sql
env -u SCHEMIG_DEV_URL -u SCHEMIG_TEST_PG_URL "$BIN" diff --from empty.sql --to upside_down.sql >out 2>err
rc=$?
[ $rc -eq 0 ] && grep -q '^CREATE TABLE app.items' out && grep -q '^CREATE TRIGGER stamp' out
check parse/upside-down $? "exit $rc: $(head -c 300 err)"

# A database loaded with the file in order has nothing to change against
# the file upside down, through the scratch load and through --parse.
{
	sed -n '/^CREATE SCHEMA/p' upside_down.sql
	sed -n '/^CREATE DOMAIN/,$p' upside_down.sql | grep -v '^CREATE SCHEMA'
	sed -n '/^CREATE FUNCTION/,/^\$\$;/p' upside_down.sql
	sed -n '/^CREATE TABLE app.items/,/^);/p' upside_down.sql
	sed -n '/^CREATE TRIGGER/,/;$/p' upside_down.sql
	sed -n '/^CREATE VIEW/p' upside_down.sql
} >in_order.sql
DB=schemig_ordering_$$
load_db "$DB" -f in_order.sql
no_diff live/no-diff "$(db_url "$DB")" upside_down.sql
# --parse notes that it does not compare view queries (exit 1 either
# way): the file upside down must give what the file in order gives.
"$BIN" diff --parse --from "$(db_url "$DB")" --to in_order.sql >want 2>&1
"$BIN" diff --parse --from "$(db_url "$DB")" --to upside_down.sql >out 2>&1
cmp -s want out && ! grep -q '^CREATE\|^ALTER\|^DROP' out
check parse/same-as-in-order $? "$(diff want out | head -c 300)"

# Columns listed in another order than the database has them: a note,
# once, and no difference (PostgreSQL cannot reorder columns).
"${PSQL[@]}" -d "$(db_url "$DB")" -qc "CREATE TABLE app.pairs (a int, b int, c int)" >/dev/null
{ cat in_order.sql; echo "CREATE TABLE app.pairs (a int, c int, b int);"; } >reordered.sql
"$BIN" plan --from "$(db_url "$DB")" --to reordered.sql --format json >colplan.json 2>colplan.err
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c 'app.pairs: the target lists its columns as (a, c, b), the source has them as (a, b, c); PostgreSQL cannot reorder' colplan.err)" = 1 ] &&
	python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); sys.exit(len(p["steps"]) != 0)' colplan.json
check column-order/note-no-difference $? "exit $rc: $(head -c 400 colplan.err)"

suite_end summary
