#!/usr/bin/env bash
# The MySQL dialect end to end on the harness's MariaDB
# (SCHEMIG_TEST_MY_URL, tests/mariadb.sh): the acceptance cases of
# tests/cases_mysql (a live database to a file, a file to a file, two
# live databases the other way round); a plan whose
# ALGORITHMs the server was asked (INSTANT for a new column, COPY with
# its reason, estimated time and gh-ost / pt-online-schema-change
# commands for int -> bigint), applied, converged and rolled back with
# the rows kept; the data verdict (NULLs, values too long or too large,
# duplicates, orphans, invalid dates); a hostile schema file naming
# another database, refused by the scratch load (file:line), that
# database and the live one untouched; a MySQL URL under the PostgreSQL
# dialect refused by name, its password never shown.
#
#   bash tests/suites/mysql.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=mysql
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$WORK" || exit 1

if [ -z "${SCHEMIG_TEST_MY_URL:-}" ]; then
	fail setup "SCHEMIG_TEST_MY_URL is not set (tests/run.sh starts a MariaDB)"
	suite_end
	exit 1
fi
SOCK=${SCHEMIG_TEST_MY_URL#*socket=}
SOCK=${SOCK%%&*}
my() { mariadb --no-defaults -S "$SOCK" -u root --batch "$@"; }
# Scratch databases go on the test server (the lanes' SCHEMIG_DEV_URL is
# their PostgreSQL's, which a MySQL file cannot be loaded into).
export SCHEMIG_DEV_URL=$SCHEMIG_TEST_MY_URL
murl() { echo "mysql://root@localhost/$1?socket=$SOCK"; }

# ---- the cases: live to file, file to file, live to live the other way ---
# Modes 1, 2 and 5 here (run_cases_mysql.sh runs all five by hand): 3
# and 4 repeat 1 and 5 the other way round, and the 150 cases in every
# mode would cost this suite about twice as long. A case waits on the
# server more than it computes: three at a time.
SCHEMIG_CASES_JOBS=${SCHEMIG_CASES_JOBS:-3} \
	SCHEMIG_MY_CASES_MODES=${SCHEMIG_MY_CASES_MODES:-1 2 5} \
	bash "$TESTS/run_cases_mysql.sh" "$BIN" >cases.out 2>&1
check cases $? "$(grep -v '^ *|' cases.out | tail -n 12)"

# ---- a plan the server was asked about ---------------------------------
my -e "DROP DATABASE IF EXISTS ms_a; DROP DATABASE IF EXISTS ms_b;
	DROP DATABASE IF EXISTS ms_orig;
	CREATE DATABASE ms_a; CREATE DATABASE ms_b; CREATE DATABASE ms_orig;
	CREATE TABLE ms_a.t (id int PRIMARY KEY, name varchar(20) NOT NULL, n int);
	INSERT INTO ms_a.t VALUES (1, 'a', 10), (2, 'b', 20);
	CREATE TABLE ms_orig.t LIKE ms_a.t;
	CREATE TABLE ms_b.t (id int PRIMARY KEY, name varchar(20) NOT NULL,
	    note text, n bigint, KEY name_idx (name))"
A=$(murl ms_a)
B=$(murl ms_b)
"$BIN" plan --dialect mysql --from "$A" --to "$B" --out plan.json \
	--format text >plan.txt 2>plan.err
check plan/runs $? "$(cat plan.err)"
grep -A1 'add_column .*`note`' plan.txt | grep -q 'ALGORITHM=INSTANT (probed on MariaDB'
check plan/instant_add_column $? "$(cat plan.txt)"
grep -A1 'modify_column .*`n`' plan.txt | grep -q 'ALGORITHM=COPY, LOCK=SHARED'
check plan/copy_for_bigint $? "$(cat plan.txt)"
grep -q 'writes wait for the whole copy, about [0-9.]* s for its [0-9.]* MB (at 25 MB/s)' plan.txt
check plan/copy_reason $? "$(cat plan.txt)"
grep -qF "instead: gh-ost --host=HOST --port=3306 --user=root --ask-pass --database='ms_a' --table='t' --alter='MODIFY COLUMN \`n\` bigint NULL' --execute, or pt-online-schema-change --alter 'MODIFY COLUMN \`n\` bigint NULL' --ask-pass 'S=$SOCK,u=root,D=ms_a,t=t' --execute" plan.txt
check plan/copy_commands $? "$(cat plan.txt)"
grep -A1 'create_index .*`name_idx`' plan.txt | grep -q 'ALGORITHM=INPLACE, LOCK=NONE'
check plan/inplace_index $? "$(cat plan.txt)"
[ -z "$(my -N -e "SHOW DATABASES LIKE 'schemig_probe%'")" ]
check plan/probe_dropped $? "a probe database was left behind"

"$BIN" plan --dialect mysql --plan plan.json --format sql >fwd.sql 2>>plan.err &&
	"$BIN" plan --dialect mysql --plan plan.json --format sql --rollback >rb.sql 2>>plan.err
check plan/renders $? "$(cat plan.err)"
grep -q '^SET SESSION lock_wait_timeout = 2;$' fwd.sql &&
	grep -q ', ALGORITHM=INSTANT;$' fwd.sql
check plan/envelope $? "$(head -20 fwd.sql)"
my ms_a <fwd.sql >apply.log 2>&1
check plan/applies $? "$(cat apply.log)"
"$BIN" diff --dialect mysql --exit-code --from "$A" --to "$B" >again.sql 2>&1
check plan/converges $? "$(cat again.sql)"
my ms_a <rb.sql >rb.log 2>&1
check plan/rolls_back $? "$(cat rb.log)"
"$BIN" diff --dialect mysql --exit-code --from "$A" --to "$(murl ms_orig)" >back.sql 2>&1
check plan/back_at_source $? "$(cat back.sql)"
[ "$(my -N -e 'SELECT group_concat(id, name, n ORDER BY id) FROM ms_a.t')" = "1a10,2b20" ]
check plan/rows_kept $? "$(my -e 'SELECT * FROM ms_a.t' 2>&1)"

# ---- a trigger's body in a script: fenced for the mysql client -----------
my -e "DROP DATABASE IF EXISTS ms_g; DROP DATABASE IF EXISTS ms_h2;
	CREATE DATABASE ms_g; CREATE DATABASE ms_h2;
	CREATE TABLE ms_g.t (id int PRIMARY KEY, n int);
	CREATE TABLE ms_h2.t (id int PRIMARY KEY, n int)"
printf '%s\n' 'DELIMITER ;;' \
	'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.n = COALESCE(NEW.n, 0); IF NEW.n < 0 THEN SET NEW.n = 0; END IF; END;;' \
	'DELIMITER ;' | my ms_h2
"$BIN" plan --dialect mysql --from "$(murl ms_g)" --to "$(murl ms_h2)" --out tg.json >/dev/null 2>&1 &&
	"$BIN" plan --dialect mysql --plan tg.json --format sql >tg.sql 2>&1 &&
	grep -qx 'DELIMITER ;;' tg.sql && my ms_g <tg.sql >tg.log 2>&1 &&
	"$BIN" diff --dialect mysql --exit-code --from "$(murl ms_g)" --to "$(murl ms_h2)" >>tg.log 2>&1
check plan/trigger_script_fenced $? "$(cat tg.sql tg.log)"
my -e "DROP DATABASE ms_g; DROP DATABASE ms_h2" >/dev/null 2>&1

# ---- the verdict asks the data ------------------------------------------
my -e "DROP DATABASE IF EXISTS ms_c; DROP DATABASE IF EXISTS ms_d;
	CREATE DATABASE ms_c; CREATE DATABASE ms_d;
	CREATE TABLE ms_c.p (id int PRIMARY KEY); INSERT INTO ms_c.p VALUES (1);
	CREATE TABLE ms_c.t (id int PRIMARY KEY, email varchar(50),
	    code varchar(20), n bigint, pid int);
	INSERT INTO ms_c.t VALUES (1, 'a@x', 'abcdefghijkl', 5, 1),
	    (2, 'a@x', NULL, 3000000000, 7), (3, NULL, 'ab', 1, NULL);
	CREATE TABLE ms_d.p (id int PRIMARY KEY);
	CREATE TABLE ms_d.t (id int PRIMARY KEY, email varchar(50),
	    code varchar(10) NOT NULL, n int, pid int, UNIQUE KEY email_u (email),
	    CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES ms_d.p (id))"
"$BIN" plan --dialect mysql --from "$(murl ms_c)" --to "$(murl ms_d)" \
	--format text >verdict.txt 2>&1
check verdict/runs $? "$(cat verdict.txt)"
while IFS='|' read -r name want; do
	grep -qF "$want" verdict.txt
	check "verdict/$name" $? "$(cat verdict.txt)"
done <<'EOF'
not_null|will fail: 1 row of `t` has NULL `code` (step 1)
shorter_varchar|will fail: 1 row of `t` does not fit `code` as varchar(10) (step 1)
smaller_int|will fail: 1 row of `t` does not fit `n` as int (step 2)
duplicates|will fail: 2 rows of `t` share a duplicated (`email`) (step 3)
orphans|will fail: 1 row of `t` references no row of `p` (step 5)
EOF
my -e "DROP DATABASE ms_c; DROP DATABASE ms_d" >/dev/null 2>&1

# Text made dates: strict mode refuses an invalid or a zero date.
my -e "DROP DATABASE IF EXISTS ms_e; DROP DATABASE IF EXISTS ms_f;
	CREATE DATABASE ms_e; CREATE DATABASE ms_f;
	CREATE TABLE ms_e.t (id int PRIMARY KEY, d varchar(20), e varchar(20));
	INSERT INTO ms_e.t VALUES (1, '2024-01-02', '2024-01-01 10:00:00'),
	    (2, '2024-02-30', '0000-00-00 00:00:00'), (3, NULL, 'junk');
	CREATE TABLE ms_f.t (id int PRIMARY KEY, d date, e datetime)"
"$BIN" plan --dialect mysql --from "$(murl ms_e)" --to "$(murl ms_f)" \
	--format text >dates.txt 2>&1
grep -qF 'will fail: 1 row of `t` does not fit `d` as date (step 1)' dates.txt &&
	grep -qF 'will fail: 2 rows of `t` do not fit `e` as datetime (step 2)' dates.txt
check verdict/invalid_dates $? "$(cat dates.txt)"
my -e "DROP DATABASE ms_e; DROP DATABASE ms_f" >/dev/null 2>&1

# ---- a hostile schema file: refused before anything runs ----------------
# The branch's file names another database on the same server and asks
# for a view; planning against the live source loads it into a scratch
# database, whose screen refuses it (file:line): that database and the
# live one stay as they were. (tests/suites/mysql_server.sh has more.)
my -e "DROP DATABASE IF EXISTS ms_h; DROP DATABASE IF EXISTS ms_other;
	CREATE DATABASE ms_h; CREATE DATABASE ms_other;
	CREATE TABLE ms_h.t (id int PRIMARY KEY);
	CREATE TABLE ms_other.keep (id int PRIMARY KEY)"
cat >hostile.sql <<'EOF'
CREATE TABLE t (id int PRIMARY KEY, n int DEFAULT 0);
CREATE TABLE ms_other.evil (id int PRIMARY KEY);
CREATE TABLE ms_other.keep2 (id int PRIMARY KEY,
    k int, FOREIGN KEY (k) REFERENCES ms_other.keep (id));
CREATE VIEW v AS SELECT id FROM t;
EOF
"$BIN" plan --dialect mysql --from "$(murl ms_h)" --to hostile.sql \
	--format text >hostile.txt 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q '^error: hostile.sql:2: .*it names database ms_other' hostile.txt
check hostile/refused $? "exit $rc: $(cat hostile.txt)"
[ "$(my -N -e "SELECT group_concat(table_name) FROM information_schema.tables
	WHERE table_schema = 'ms_other'")" = keep ]
check hostile/other_database_untouched $? "$(my -e 'SHOW TABLES IN ms_other' 2>&1)"
[ -z "$(my -N -e "SELECT table_name FROM information_schema.views
	WHERE table_schema = 'ms_h'")" ]
check hostile/live_database_untouched $? "$(my -e 'SHOW FULL TABLES IN ms_h' 2>&1)"
[ -z "$(my -N -e "SHOW DATABASES LIKE 'schemig\\_%'")" ]
check hostile/no_scratch_left $? "$(my -N -e 'SHOW DATABASES' 2>&1)"
my -e "DROP DATABASE ms_h; DROP DATABASE ms_other" >/dev/null 2>&1

# ---- a MySQL URL under the PostgreSQL dialect ---------------------------
"$BIN" diff --dialect postgres --from "mysql://root:hunter2@localhost/ms_a?socket=$SOCK" \
	--to "$B" >wrong.out 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'is a MySQL database, but the dialect is postgres: pass --dialect mysql' wrong.out &&
	! grep -q hunter2 wrong.out
check wrong_dialect $? "exit $rc: $(cat wrong.out)"

my -e "DROP DATABASE ms_a; DROP DATABASE ms_b; DROP DATABASE ms_orig" >/dev/null 2>&1
suite_end
