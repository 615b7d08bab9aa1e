#!/usr/bin/env bash
# The data-aware verdict, end to end (`make test` runs it):
#
#   tests/suites/verdict.sh BIN
#
# A live database with planted NULLs, duplicates, orphans, CHECK
# violations and oversize values is planned towards desired.sql (NOT
# NULL, UNIQUE, FOREIGN KEY, CHECK, a narrower varchar); the JSON
# verdict's data_checks must carry the exact counts and will_fail must be
# true. The same schema with clean data must give will_fail false and
# every check ran with 0 failing rows.
#
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_WORK,
# SCHEMIG_SUITE_COUNTS. Never asserts on timing.
set -uo pipefail

SUITE=verdict
# Created in $(...) subshells, so named here for the cleanup.
DBS=("verdict_dirty_$$" "verdict_clean_$$")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

SCHEMA='
CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE orders (id int PRIMARY KEY, status text, customer_id int,
	qty int);
CREATE TABLE users (id int PRIMARY KEY, email text, name varchar(50));
'

# Every rule below is broken by an exact number of rows; rows the
# server would let through (NULL keys, NULL qty, names of exactly 20
# characters) are planted next to them and must not count.
DIRTY='
INSERT INTO customers SELECT g, $$c$$ || g FROM generate_series(1, 10) g;
INSERT INTO orders SELECT g,
	CASE WHEN g <= 7 THEN NULL ELSE $$new$$ END,
	CASE WHEN g BETWEEN 8 AND 12 THEN 100 + g
	     WHEN g BETWEEN 13 AND 15 THEN NULL ELSE g % 10 + 1 END,
	CASE WHEN g BETWEEN 16 AND 19 THEN 16 - g
	     WHEN g = 20 THEN NULL ELSE g END
	FROM generate_series(1, 1300) g;
INSERT INTO orders SELECT g, NULL, 1, 1 FROM generate_series(1301, 2500) g;
INSERT INTO users VALUES
	(1, $$a$$, $$x$$), (2, $$a$$, $$x$$), (3, $$b$$, $$x$$),
	(4, $$b$$, $$x$$), (5, $$c$$, $$x$$), (6, $$c$$, $$x$$),
	(7, $$c$$, $$x$$), (8, NULL, $$x$$), (9, NULL, $$x$$),
	(10, $$d$$, repeat($$n$$, 21)), (11, $$e$$, repeat($$n$$, 50)),
	(12, $$f$$, repeat($$n$$, 30)), (13, $$g$$, repeat($$n$$, 25)),
	(14, $$h$$, repeat($$n$$, 22)), (15, $$i$$, repeat($$n$$, 40)),
	(16, $$j$$, repeat($$n$$, 20)), (17, $$k$$, NULL);
'

CLEAN='
INSERT INTO customers SELECT g, $$c$$ || g FROM generate_series(1, 10) g;
INSERT INTO orders SELECT g, $$new$$,
	CASE WHEN g % 3 = 0 THEN NULL ELSE g % 10 + 1 END, g
	FROM generate_series(1, 50) g;
INSERT INTO users VALUES (1, $$a$$, $$x$$), (2, NULL, $$y$$),
	(3, NULL, repeat($$n$$, 20));
'

cat >"$WORK/desired.sql" <<'SQL'
CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE orders (
	id int PRIMARY KEY,
	status text NOT NULL,
	customer_id int CONSTRAINT orders_customer_id_fkey
		REFERENCES customers (id),
	qty int CONSTRAINT orders_qty_check CHECK (qty > 0)
);
CREATE TABLE users (
	id int PRIMARY KEY,
	email text CONSTRAINT users_email_key UNIQUE,
	name varchar(20)
);
SQL

# make_db NAME DATA: a fresh database with SCHEMA and DATA; prints its URL.
make_db() {
	local db=verdict_$1_$$
	load_db "$db" -c "$SCHEMA" -c "$2" || return 1
	db_url "$db"
}

# plan_json NAME URL [OPTION...]: the JSON plan in $WORK/NAME.json; 0
# when it exists.
plan_json() {
	local name=$1 url=$2 rc=0
	shift 2
	"$BIN" plan --from "$url" --to "$WORK/desired.sql" --format json "$@" \
		>"$WORK/$name.json" 2>"$WORK/$name.err" || rc=$?
	set -- "$name"
	if [ "$rc" -gt 1 ] || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
		"$WORK/$1.json" 2>/dev/null; then
		fail "$1/plan" "exit $rc: $(head -c 300 "$WORK/$1.err")"
		return 1
	fi
	ok "$1/plan"
}

# check_json NAME EXPECTATIONS: python prints one "ok NAME" or
# "FAIL NAME: why" line per expectation. An expectation is
# "kind table failing message" (message "" skips the text check), or
# "will_fail true|false", "all_clean" (every check ran, 0 failing),
# "none_ran" or "hazards" (exactly the steps guarded by a failing check
# carry the will_fail hazard).
check_json() {
	local name=$1 line
	shift
	while IFS= read -r line; do
		case "$line" in
		ok\ *) ok "$name/${line#ok }" ;;
		FAIL\ *) line=${line#FAIL } && fail "$name/${line%%: *}" "${line#*: }" ;;
		*) fail "$name/python" "$line" ;;
		esac
	done < <(python3 - "$WORK/$name.json" "$@" <<'PY' 2>&1
import json, sys
plan = json.load(open(sys.argv[1]))
verdict = plan.get("verdict", {})
checks = verdict.get("data_checks") or []
def show(c):
    return "%s %s ran=%s failing=%s %r" % (c.get("kind"), c.get("table"),
        c.get("ran"), c.get("failing"), c.get("message"))
for spec in sys.argv[2:]:
    if spec.startswith("will_fail "):
        want = spec.split()[1] == "true"
        got = verdict.get("will_fail")
        if got is want:
            print("ok will_fail-%s" % str(want).lower())
        else:
            print("FAIL will_fail-%s: verdict.will_fail is %r" % (str(want).lower(), got))
        continue
    if spec == "none_ran":
        bad = [show(c) for c in checks if c.get("ran")]
        if checks and not bad:
            print("ok no-check-ran")
        else:
            print("FAIL no-check-ran: %s" % ("; ".join(bad) or "no data_checks"))
        continue
    if spec == "hazards":
        steps = plan.get("steps") or []
        want = {c.get("step") for c in checks if c.get("ran") and c.get("failing", 0) > 0}
        got = {s.get("n") for s in steps if "will_fail" in (s.get("hazards") or [])}
        if want == got:
            print("ok will_fail-hazards")
        else:
            print("FAIL will_fail-hazards: steps %s carry will_fail, want %s" % (sorted(got), sorted(want)))
        continue
    if spec == "all_clean":
        bad = [show(c) for c in checks if not c.get("ran") or c.get("failing") != 0]
        if checks and not bad:
            print("ok all-checks-clean")
        else:
            print("FAIL all-checks-clean: %s" % ("; ".join(bad) or "no data_checks"))
        continue
    kind, table, failing, message = spec.split(" ", 3)
    label = "%s-%s" % (kind, table)
    mine = [c for c in checks if c.get("kind") == kind and c.get("table") == table]
    if not mine:
        print("FAIL %s: no %s check on %s (have: %s)" % (label, kind, table,
              "; ".join(show(c) for c in checks) or "none"))
        continue
    c = mine[0]
    if not c.get("ran") or c.get("failing") != int(failing):
        print("FAIL %s: want %s failing rows, got %s" % (label, failing, show(c)))
    elif message and c.get("message") != message:
        print("FAIL %s: message %r, want %r" % (label, c.get("message"), message))
    else:
        print("ok %s" % label)
PY
)
}

if dirty=$(make_db dirty "$DIRTY"); then
	ok "dirty/setup"
	if plan_json dirty "$dirty"; then
		check_json dirty \
			"not_null orders 1207 will fail: 1,207 rows of orders have NULL status" \
			"foreign_key orders 5 will fail: 5 rows of orders reference a missing customers row (customer_id)" \
			"check orders 4 will fail: 4 rows of orders violate CHECK ((qty > 0))" \
			"unique users 7 will fail: 7 rows of users share a duplicated (email) in 3 groups" \
			"narrow users 6 will fail: 6 rows of users have name values that do not fit character varying(20)" \
			"hazards" \
			"will_fail true"
		# Progress is for terminals only: stderr here is a file.
		if grep -q "checking data" "$WORK/dirty.err"; then
			fail "dirty/quiet-stderr" "progress lines on a non-terminal stderr"
		else
			ok "dirty/quiet-stderr"
		fi
	fi
	if plan_json dirty-unchecked "$dirty" --no-data-checks; then
		check_json dirty-unchecked "none_ran" "will_fail false"
	fi
else
	fail "dirty/setup" "cannot create the database"
fi

if clean=$(make_db clean "$CLEAN"); then
	ok "clean/setup"
	if plan_json clean "$clean"; then
		check_json clean \
			"not_null orders 0 ok: no NULL status in orders" \
			"foreign_key orders 0 " \
			"check orders 0 " \
			"unique users 0 " \
			"narrow users 0 " \
			"all_clean" \
			"hazards" \
			"will_fail false"
	fi
else
	fail "clean/setup" "cannot create the database"
fi
suite_end
