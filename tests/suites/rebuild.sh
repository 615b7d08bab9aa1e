#!/usr/bin/env bash
# Table rebuilds (dialects/postgres/diff_partition.c, plan_rebuild.c) on
# tables with rows: a plain table made range-partitioned keeps every row,
# its identity and serial columns go on after the values they had (diff
# applied with psql, and the plan applied step by step and rolled back);
# --strict-column-order rebuilds a table whose columns the target lists
# in another order (diff and plan), keeps its rows and converges, while
# without it the order is no difference; a table with an inheritance
# child is refused, naming the child, and so is a table that becomes a
# partition of a rebuilt one.
#
#   bash tests/suites/rebuild.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=rebuild
DB=rebuild_suite
DBS=(rebuild_plan rebuild_order)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$WORK" || exit 1

cat >current.sql <<'EOF'
CREATE TABLE jobs (
    id bigint GENERATED ALWAYS AS IDENTITY,
    queue text NOT NULL,
    n serial,
    PRIMARY KEY (id, queue)
);
CREATE VIEW mail_jobs AS SELECT id, n FROM jobs WHERE queue = 'mail';
INSERT INTO jobs (queue) SELECT CASE WHEN g % 3 = 0 THEN 'mail' ELSE 'sms' END
    FROM generate_series(1, 300) g;
EOF
cat >desired.sql <<'EOF'
CREATE TABLE jobs (
    id bigint GENERATED ALWAYS AS IDENTITY,
    queue text NOT NULL,
    n serial,
    PRIMARY KEY (id, queue)
) PARTITION BY LIST (queue);
CREATE TABLE jobs_mail PARTITION OF jobs FOR VALUES IN ('mail');
CREATE TABLE jobs_rest PARTITION OF jobs DEFAULT;
CREATE VIEW mail_jobs AS SELECT id, n FROM jobs WHERE queue = 'mail';
EOF
q() { "${PSQL[@]}" -At -d "$1" -c "$2"; }

# The rows, the partition they are in, and what the next insert gets.
facts() {
	q "$1" "SELECT count(*), sum(id), sum(n) FROM jobs" &&
		q "$1" "SELECT count(*) FROM mail_jobs"
}
next_ids() {
	q "$1" "INSERT INTO jobs (queue) VALUES ('mail') RETURNING id, n"
}

# --- diff applied with psql ---------------------------------------------
load_db "$DB" -f current.sql
U=$(db_url "$DB")
before=$(facts "$U")
"$BIN" diff --from "$U" --to desired.sql "${DEVOPT[@]}" >diff.sql 2>diff.err
check diff/made $? "$(head -c 300 diff.err)"
grep -q "INSERT INTO public.jobs" diff.sql
check diff/copies $? "$(head -c 400 diff.sql)"
"${PSQL[@]}" -d "$U" -f diff.sql >/dev/null 2>psql.err
check diff/applies $? "$(head -c 300 psql.err)"
after=$(facts "$U")
[ "$before" = "$after" ]
check diff/rows_kept $? "before: $before, after: $after"
[ "$(q "$U" "SELECT count(*) FROM ONLY jobs_mail")" = 100 ]
check diff/rows_routed $? "jobs_mail holds $(q "$U" "SELECT count(*) FROM jobs_mail") rows"
[ "$(next_ids "$U")" = "301|301" ]
check diff/identity_and_serial_go_on $? "next insert got $(next_ids "$U")"
[ "$(q "$U" "SELECT pg_get_serial_sequence('jobs', 'id')")" = public.jobs_id_seq ]
check diff/identity_sequence_name $? "$(q "$U" "SELECT pg_get_serial_sequence('jobs', 'id')")"
[ "$(q "$U" "SELECT pg_get_serial_sequence('jobs', 'n')")" = public.jobs_n_seq ]
check diff/serial_still_owned $? "$(q "$U" "SELECT pg_get_serial_sequence('jobs', 'n')")"
no_diff diff/converges "$U" desired.sql

# --- the plan, step by step, and its rollback -----------------------------
load_db rebuild_plan -f current.sql
P=$(db_url rebuild_plan)
if plan_of plan "$P" desired.sql; then
	grep -q '"kind": *"rebuild_table"' "$WORK/plan.json"
	check plan/one_rebuild_step $? "$(head -c 300 "$WORK/plan.plan.out")"
	grep -q "is rebuilt" "$WORK/plan.plan.out"
	check plan/flagged_blocking $? "$(head -c 300 "$WORK/plan.plan.out")"
	"$BIN" plan --plan "$WORK/plan.json" --format sql >fwd.sql &&
		"$BIN" plan --plan "$WORK/plan.json" --format sql --rollback >back.sql
	check plan/scripts $?
	"${PSQL[@]}" -d "$P" -f fwd.sql >/dev/null 2>psql.err
	check plan/applies $? "$(head -c 300 psql.err)"
	[ "$(facts "$P")" = "$before" ]
	check plan/rows_kept $? "$(facts "$P")"
	no_diff plan/converges "$P" desired.sql
	"${PSQL[@]}" -d "$P" -f back.sql >/dev/null 2>psql.err
	check plan/rollback_applies $? "$(head -c 300 psql.err)"
	[ "$(facts "$P")" = "$before" ]
	check plan/rollback_rows_kept $? "$(facts "$P")"
	[ "$(next_ids "$P")" = "301|301" ]
	check plan/rollback_identity_goes_on $? "$(next_ids "$P")"
fi

# --- column order ------------------------------------------------------
cat >order_current.sql <<'EOF'
CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL, email text);
CREATE INDEX people_email_idx ON people (email);
INSERT INTO people VALUES (1, 'ann', 'a@x'), (2, 'bob', NULL);
EOF
cat >order_desired.sql <<'EOF'
CREATE TABLE people (id integer PRIMARY KEY, email text, name text NOT NULL);
CREATE INDEX people_email_idx ON people (email);
EOF
load_db rebuild_order -f order_current.sql
O=$(db_url rebuild_order)
no_diff order/no_difference_without_flag "$O" order_desired.sql
"$BIN" diff --from "$O" --to order_desired.sql "${DEVOPT[@]}" \
	--strict-column-order >order.sql 2>order.err
check order/diff_made $? "$(head -c 300 order.err)"
grep -q "rebuild\|RENAME TO people_schemig_old" order.sql
check order/rebuilds $? "$(head -c 300 order.sql)"
"$BIN" plan --from "$O" --to order_desired.sql "${DEVOPT[@]}" \
	--strict-column-order >order.plan 2>&1
grep -q "rebuild_table" order.plan && ! grep -q "cannot reorder" order.plan
check order/plan_rebuilds $? "$(head -c 300 order.plan)"
"${PSQL[@]}" -d "$O" -f order.sql >/dev/null 2>psql.err
check order/applies $? "$(head -c 300 psql.err)"
cols=$(q "$O" "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
    WHERE attrelid = 'people'::regclass AND attnum > 0 AND NOT attisdropped")
[ "$cols" = "id,email,name" ]
check order/order_matches $? "columns: $cols"
[ "$(q "$O" "SELECT string_agg(id || name || coalesce(email, '-'), ' ' ORDER BY id) FROM people")" = "1anna@x 2bob-" ]
check order/rows_kept $?
out=$("$BIN" diff --from "$O" --to order_desired.sql "${DEVOPT[@]}" \
	--strict-column-order --exit-code 2>&1)
check order/converges $? "$(echo "$out" | head -c 300)"

# --- refused: a rebuild under an inheritance child ---------------------------
cat >inh_current.sql <<'EOF2'
CREATE TABLE base (id integer NOT NULL, at date NOT NULL);
CREATE TABLE base_child (extra text) INHERITS (base);
EOF2
cat >inh_desired.sql <<'EOF2'
CREATE TABLE base (id integer NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE base_child (id integer NOT NULL, at date NOT NULL, extra text);
EOF2
out=$("$BIN" diff --from inh_current.sql --to inh_desired.sql 2>&1)
rc=$?
[ "$rc" = 2 ] && grep -q "public.base_child inherits from it" <<<"$out"
check refused/inheritance_child $? "exit $rc: $(echo "$out" | head -c 300)"

# --- refused: a table that becomes a partition of a rebuilt table ---------
cat >mv_current.sql <<'EOF2'
CREATE TABLE log (id integer NOT NULL, at date NOT NULL);
CREATE TABLE log_old (id integer NOT NULL, at date NOT NULL);
EOF2
cat >mv_desired.sql <<'EOF2'
CREATE TABLE log (id integer NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE log_old PARTITION OF log FOR VALUES FROM ('2000-01-01') TO ('2024-01-01');
EOF2
out=$("$BIN" diff --from mv_current.sql --to mv_desired.sql 2>&1)
rc=$?
[ "$rc" = 2 ] && grep -q "public.log_old becomes a partition of public.log" <<<"$out"
check refused/attach_to_rebuilt $? "exit $rc: $(echo "$out" | head -c 300)"

suite_end
