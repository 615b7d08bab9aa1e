#!/usr/bin/env bash
# The execution half on MySQL/MariaDB (SCHEMIG_TEST_MY_URL, the harness's
# MariaDB): dry runs and applies through the same core as PostgreSQL.
#
#   - a dry run on a copy proves the plan and its rollback, leaves the
#     copy at its source, and is refused on an environment's database;
#   - apply journals in the server's `schemig` database (rows for this
#     database only), history lists it, rollback brings the source back;
#   - writes (2,000 a second) go on while INSTANT and INPLACE steps and
#     their rollbacks run: no write waits 100 ms for a metadata lock, as
#     the server's process list times it (tests/tools/myload), while a
#     COPY step does hold them (the check that the measurement can
#     fail). The server's clock, not the writers': on a loaded machine a
#     writer kept off the CPU is not a writer held by a lock;
#   - apply killed with SIGKILL while its step waits for a lock: the
#     server finishes the orphaned ALTER, the resumed apply finds its
#     work there (the step's guard) instead of failing on it, and the
#     journal says applied;
#   - a NOT NULL with a default over NULLs is backfilled by key ranges;
#     apply killed between batches resumes after the last one, every
#     NULL filled once;
#   - with a one-shot credential the steps run as an account made for
#     the apply and dropped after it; a leftover is listed by doctor and
#     swept by the next apply;
#   - names full of quotes, backticks and backslashes go through the
#     guards, a backfill's batches and the journal as names;
#   - a plan made for PostgreSQL is refused by name.
#
#   bash tests/suites/mysql_apply.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=mysql_apply
SUITE_NO_SERVER=1
HOLDER=""
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
suite_cleanup() {
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
	my -e "DROP DATABASE IF EXISTS ma_src; DROP DATABASE IF EXISTS ma_copy;
		DROP DATABASE IF EXISTS ma_target" >/dev/null 2>&1
}
cd "$WORK" || exit 1

if [ -z "${SCHEMIG_TEST_MY_URL:-}" ]; then
	fail setup "SCHEMIG_TEST_MY_URL is not set (tests/run.sh starts a MariaDB)"
	suite_end
	exit 1
fi
LOAD=${SCHEMIG_TOOLS_DIR:-$ROOT/build/test/tools}/myload
SOCK=${SCHEMIG_TEST_MY_URL#*socket=}
SOCK=${SOCK%%&*}
my() { mariadb --no-defaults -S "$SOCK" -u root --batch "$@"; }
murl() { echo "mysql://root@localhost/$1?socket=$SOCK"; }
SRC=$(murl ma_src)
COPY=$(murl ma_copy)
TARGET=$(murl ma_target)
export APPLY_DB_URL=$SRC

# A repository whose production is ma_src.
mkdir -p repo && cd repo || exit 1
cat >.schemig.yml <<'EOF'
dialect: mysql
environments:
  production:
    url: env:APPLY_DB_URL
EOF
git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm init

# What an earlier run journalled for these databases (steps and events
# go with their apply).
if [ -n "$(my -N -e "SHOW TABLES IN schemig LIKE 'applies'" 2>/dev/null)" ]; then
	my -e "DELETE FROM schemig.applies WHERE db IN ('ma_src', 'ma_copy', 'ma_bf', 'ma_cr', 'ma_nasty')"
fi

# The source: 200,000 orders, so that a table copy takes long enough to
# be seen by the writers, and the same table in a copy.
TABLE="CREATE TABLE orders (id bigint AUTO_INCREMENT PRIMARY KEY, v int,
	n int, note varchar(20)) ENGINE=InnoDB"
my -e "DROP DATABASE IF EXISTS ma_src; DROP DATABASE IF EXISTS ma_copy;
	DROP DATABASE IF EXISTS ma_target;
	CREATE DATABASE ma_src; CREATE DATABASE ma_copy; CREATE DATABASE ma_target;
	USE ma_src; $TABLE;
	INSERT INTO orders (v, n) SELECT seq % 1000, seq FROM seq_1_to_200000;
	CREATE TABLE ma_copy.orders LIKE orders;
	INSERT INTO ma_copy.orders SELECT * FROM orders;
	USE ma_target; $TABLE;
	ALTER TABLE orders ADD COLUMN extra int DEFAULT 5,
	    ADD KEY v_idx (v), ADD KEY n_idx (n)" >setup.log 2>&1
check setup $? "$(cat setup.log)"

# ---- the dry run ----------------------------------------------------------
"$BIN" plan --from "$SRC" --to "$TARGET" --out online.json --format text >online.txt 2>&1
check plan $? "$(cat online.txt)"
[ "$(jq -r '.steps[] | select(.kind == "add_column") | .guard' online.json)" = \
	"SELECT IF(COUNT(*) > 0, 1, 0) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'extra'" ]
check plan/guard $? "$(jq '.steps[] | .guard' online.json)"

"$BIN" dry-run --plan online.json --on "$COPY" --from "$SRC" --to "$TARGET" \
	--report dry.json >dry.txt 2>&1
check dry_run/passes $? "$(cat dry.txt)"
grep -q 'forward proof (reaches the target): ok' dry.txt &&
	grep -q 'rollback proof (back to the source): ok' dry.txt
check dry_run/proofs $? "$(cat dry.txt)"
"$BIN" diff --exit-code --from "$COPY" --to "$SRC" >copy.diff 2>&1
check dry_run/copy_at_source $? "$(cat copy.diff)"
[ "$(my -N -e 'SELECT COUNT(*) FROM ma_copy.orders')" = 200000 ]
check dry_run/rows_kept $? "$(my -e 'SELECT COUNT(*) FROM ma_copy.orders' 2>&1)"
"$BIN" dry-run --plan online.json --on "$SRC" >guard.txt 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q 'production' guard.txt
check dry_run/refused_on_environment $? "exit $rc: $(cat guard.txt)"

# ---- apply under writes: INSTANT and INPLACE steps hold no write ---------
"$LOAD" --url "$SRC" --table orders --rate 2000 --exec "'$BIN' apply --env production \
	--plan online.json >apply.log 2>&1" >load.json 2>load.err
check apply/runs $? "$(cat apply.log load.err load.json)"
read -r ops mdl <<<"$(jq -r '"\(.ops) \(.mdl_wait_max_ms)"' load.json)"
[ "$ops" -gt 100 ] && awk -v m="$mdl" 'BEGIN { exit !(m < 100) }'
check apply/writes_never_wait_100ms $? "$(cat load.json)"
"$BIN" diff --exit-code --from "$SRC" --to "$TARGET" >at_target.diff 2>&1
check apply/at_target $? "$(cat at_target.diff)"
[ "$(my -N -e "SELECT outcome FROM schemig.applies WHERE db = 'ma_src'")" = applied ] &&
	[ "$(my -N -e "SELECT COUNT(*) FROM schemig.apply_steps s JOIN schemig.applies a
		ON a.id = s.apply_id WHERE a.db = 'ma_src' AND s.status = 'done'")" = 3 ]
check apply/journal $? "$(my -e 'SELECT * FROM schemig.apply_steps' 2>&1)"
"$BIN" history --env production >history.txt 2>&1 &&
	grep -q 'applied  production' history.txt && grep -c ' done ' history.txt | grep -qx 3
check history $? "$(cat history.txt)"
APPLY_DB_URL=$COPY "$BIN" history --env production >history_copy.txt 2>&1 &&
	! grep -q 'applied  production' history_copy.txt
check history/other_database_sees_none $? "$(cat history_copy.txt)"

# The rollback drops the indexes and the column: INPLACE and INSTANT
# too, under the same writes.
"$LOAD" --url "$SRC" --table orders --rate 2000 --exec "'$BIN' rollback \
	--env production >rollback.txt 2>&1" >load_rb.json 2>load.err
check rollback/runs $? "$(cat rollback.txt load.err)"
awk -v m="$(jq -r .mdl_wait_max_ms load_rb.json)" 'BEGIN { exit !(m < 100) }'
check rollback/writes_never_wait_100ms $? "$(cat load_rb.json)"
"$BIN" diff --exit-code --from "$SRC" --to "$COPY" >at_source.diff 2>&1
check rollback/at_source $? "$(cat at_source.diff)"

# A widened varchar is INSTANT, but narrowing it back copies the table:
# the plan says so of the step's rollback.
my -e "ALTER TABLE ma_target.orders MODIFY note varchar(40)"
"$BIN" plan --from "$SRC" --to "$TARGET" --format text >widen.txt 2>&1
grep -q 'undoing this step copies table `orders` (ALGORITHM=COPY)' widen.txt &&
	grep -q "its rollback copies the table" widen.txt
check rollback/copy_said $? "$(cat widen.txt)"
my -e "ALTER TABLE ma_target.orders MODIFY note varchar(20)"

# ---- a table copy does hold writes: the measurement can fail -------------
my -e "ALTER TABLE ma_target.orders MODIFY n bigint"
"$BIN" plan --from "$SRC" --to "$TARGET" --out copy.json --format text >copy.txt 2>&1
grep -q 'ALGORITHM=COPY' copy.txt
check copy/planned_as_copy $? "$(cat copy.txt)"
"$LOAD" --url "$SRC" --table orders --rate 2000 --exec "'$BIN' apply --env production \
	--plan copy.json >apply_copy.log 2>&1" >load_copy.json 2>load.err
check copy/applies $? "$(cat apply_copy.log load.err)"
awk -v m="$(jq -r .mdl_wait_max_ms load_copy.json)" 'BEGIN { exit !(m >= 100) }'
check copy/writes_wait $? "$(cat load_copy.json)"
"$BIN" rollback --env production >rollback2.txt 2>&1
check copy/rolled_back $? "$(cat rollback2.txt)"
my -e "ALTER TABLE ma_target.orders MODIFY n int"

# ---- SIGKILL while a step waits; its work done meanwhile; resume ---------
# A session holds the table (a transaction that read it) for 3 s; the
# plan's steps wait up to 6 s for their lock. apply is killed at 1.5 s
# while its first step waits, so the journal says "running". The server
# may carry on with the orphaned ALTER once the holder commits, or drop
# it when it sees its client gone (MariaDB checks now and then); when it
# dropped it, the column is added by hand, as the orphan would have. The
# apply run again must find the work there (the step's guard) rather
# than fail on "Duplicate column name".
"$BIN" apply --env production --plan online.json >again.log 2>&1
check kill/setup $? "$(cat again.log)"
my -e "ALTER TABLE ma_target.orders ADD COLUMN k int, ADD KEY k_idx (k)"
"$BIN" plan --from "$SRC" --to "$TARGET" --lock-timeout 6000 --out kill.json \
	--format text >kill.txt 2>&1
check kill/plan $? "$(cat kill.txt)"
(
	echo "START TRANSACTION; SELECT id FROM orders LIMIT 1;"
	sleep 3
	echo "COMMIT;"
) | my ma_src >/dev/null 2>&1 &
HOLDER=$!
sleep 0.3
"$BIN" apply --env production --plan kill.json >kill1.log 2>&1 &
AP=$!
sleep 1.5
kill -9 $AP
wait $AP 2>/dev/null
[ "$(my -N -e "SELECT s.status FROM schemig.apply_steps s JOIN schemig.applies a
	ON a.id = s.apply_id WHERE a.db = 'ma_src' AND a.outcome = 'running' AND s.n = 1")" = running ]
check kill/journal_says_running $? "$(my -e 'SELECT * FROM schemig.apply_steps' 2>&1)"
wait $HOLDER
HOLDER=""
# Until the orphan, if any, is done.
for _ in $(seq 40); do
	[ -z "$(my -N -e "SELECT ID FROM information_schema.PROCESSLIST
		WHERE INFO LIKE 'ALTER TABLE%'")" ] && break
	sleep 0.25
done
[ -n "$(my -N -e "SHOW COLUMNS FROM ma_src.orders LIKE 'k'")" ] ||
	my -e "ALTER TABLE ma_src.orders ADD COLUMN k int NULL"
[ -n "$(my -N -e "SHOW COLUMNS FROM ma_src.orders LIKE 'k'")" ]
check kill/step_work_done_meanwhile $? "$(my -e 'SHOW PROCESSLIST' 2>&1)"
"$BIN" apply --env production >kill2.log 2>&1
check kill/resumes $? "$(cat kill2.log)"
grep -q 'step 1 (add_column `orders`.`k`): its work is already there, not run again' kill2.log
check kill/guard_skips_done_step $? "$(cat kill2.log)"
"$BIN" diff --exit-code --from "$SRC" --to "$TARGET" >kill.diff 2>&1
check kill/at_target $? "$(cat kill.diff)"
[ "$(my -N -e "SELECT outcome FROM schemig.applies WHERE db = 'ma_src'
	ORDER BY started DESC LIMIT 1")" = applied ] &&
	[ "$(my -N -e "SELECT attempts FROM schemig.apply_steps s JOIN schemig.applies a
		ON a.id = s.apply_id WHERE a.db = 'ma_src' AND s.n = 1
		ORDER BY a.started DESC LIMIT 1")" = 2 ]
check kill/journal_says_applied $? "$(my -e 'SELECT * FROM schemig.applies; SELECT * FROM schemig.apply_steps' 2>&1)"

# ---- a batched backfill, killed between batches, resumes -----------------
# v made NOT NULL DEFAULT 7 over 100,000 rows, a third of them NULL: the
# NULLs are filled by primary-key ranges first. apply is killed during
# the backfill (slowed by a test pause between batches); run again, it
# continues after the last committed batch: every NULL filled once.
my -e "DROP DATABASE IF EXISTS ma_bf; DROP DATABASE IF EXISTS ma_bf_t;
	CREATE DATABASE ma_bf; CREATE DATABASE ma_bf_t; USE ma_bf;
	CREATE TABLE orders (id bigint AUTO_INCREMENT PRIMARY KEY, v int, w int);
	INSERT INTO orders (v, w) SELECT IF(seq % 3 = 0, NULL, seq), seq
	    FROM seq_1_to_100000;
	CREATE TABLE ma_bf_t.orders (id bigint AUTO_INCREMENT PRIMARY KEY,
	    v int NOT NULL DEFAULT 7, w int)"
BF=$(murl ma_bf)
"$BIN" plan --from "$BF" --to "$(murl ma_bf_t)" --batch-size 5000 --out bf.json \
	--format text >bf.txt 2>&1
grep -q '1. backfill  *`orders`.`v`' bf.txt && grep -q '2. modify_column  *`orders`.`v`' bf.txt &&
	! grep -q 'will fail' bf.txt
check backfill/planned $? "$(cat bf.txt)"
APPLY_DB_URL=$BF SCHEMIG_TEST_BATCH_PAUSE_MS=100 "$BIN" apply --env production \
	--plan bf.json >bf1.log 2>&1 &
AP=$!
for _ in $(seq 40); do
	[ "$(my -N -e "SELECT COALESCE(MAX(s.rows), 0) > 0 FROM schemig.apply_steps s
		JOIN schemig.applies a ON a.id = s.apply_id WHERE a.db = 'ma_bf'" 2>/dev/null)" = 1 ] && break
	sleep 0.1
done
kill -9 $AP
wait $AP 2>/dev/null
left=$(my -N -e "SELECT COUNT(*) FROM ma_bf.orders WHERE v IS NULL")
[ "$left" -gt 0 ] && [ "$left" -lt 33333 ]
check backfill/killed_halfway $? "$left NULLs left: $(cat bf1.log)"
APPLY_DB_URL=$BF "$BIN" apply --env production >bf2.log 2>&1
check backfill/resumes $? "$(cat bf2.log)"
read -r rows attempts <<<"$(my -N -e "SELECT s.rows, s.attempts FROM schemig.apply_steps s
	JOIN schemig.applies a ON a.id = s.apply_id WHERE a.db = 'ma_bf' AND s.n = 1")"
[ "$rows" = 33333 ] && [ "$attempts" = 2 ] &&
	[ "$(my -N -e "SELECT COUNT(*), SUM(v = 7) FROM ma_bf.orders")" = "$(printf '100000\t33334')" ]
check backfill/every_null_once $? "rows $rows, attempts $attempts"
APPLY_DB_URL=$BF "$BIN" diff --exit-code --from "$BF" --to "$(murl ma_bf_t)" >bf.diff 2>&1
check backfill/at_target $? "$(cat bf.diff)"
my -e "DROP DATABASE ma_bf; DROP DATABASE ma_bf_t" >/dev/null 2>&1

# ---- a one-shot credential ----------------------------------------------
# With `credential:`, the steps (a backfill's batches too) run as an
# account made for this apply: granted on this database only, dropped at
# the end. A leftover of a killed apply is listed by doctor and swept by
# the next apply on the database.
my -e "DROP DATABASE IF EXISTS ma_cr; DROP DATABASE IF EXISTS ma_cr_t;
	CREATE DATABASE ma_cr; CREATE DATABASE ma_cr_t; USE ma_cr;
	CREATE TABLE orders (id bigint AUTO_INCREMENT PRIMARY KEY, v int, w int);
	INSERT INTO orders (v, w) SELECT IF(seq % 3 = 0, NULL, seq), seq
	    FROM seq_1_to_20000;
	CREATE TABLE ma_cr_t.orders (id bigint AUTO_INCREMENT PRIMARY KEY,
	    v int NOT NULL DEFAULT 7, w int, x int, KEY w_idx (w))"
mkdir -p "$WORK/crrepo"
printf '%s\n' 'dialect: mysql' 'environments:' '  production:' \
	'    url: env:APPLY_DB_URL' \
	'    credential: { admin_url: env:ADMIN_URL, ttl_minutes: 30 }' \
	>"$WORK/crrepo/.schemig.yml"
CR=$(murl ma_cr)
(
	cd "$WORK/crrepo" && git init -q . &&
		export APPLY_DB_URL=$CR ADMIN_URL=$SCHEMIG_TEST_MY_URL &&
		"$BIN" plan --from "$CR" --to "$(murl ma_cr_t)" --out p.json >/dev/null 2>&1 &&
		my -e "CREATE USER 'schemig_aaaaaaaaaaaa_bbbbbbbb'@'localhost';
			CREATE DATABASE IF NOT EXISTS schemig;
			CREATE TABLE IF NOT EXISTS schemig.credentials (name varchar(64)
			    NOT NULL PRIMARY KEY, db varchar(64) NOT NULL, apply_id
			    varchar(64) NOT NULL, valid_until datetime NOT NULL);
			INSERT INTO schemig.credentials VALUES
			    ('schemig_aaaaaaaaaaaa_bbbbbbbb', 'ma_cr', 'x', UTC_TIMESTAMP()
			    + INTERVAL 1 HOUR)" &&
		{
			"$BIN" doctor --env production >"$WORK/doctor.txt" 2>&1
			echo $? >"$WORK/doctor.rc"
		} &&
		"$BIN" apply --env production --plan p.json >"$WORK/cr.log" 2>&1 &&
		"$BIN" history --env production >"$WORK/cr_history.txt" 2>&1
)
check credential/applies $? "$(cat "$WORK/cr.log")"
[ "$(cat "$WORK/doctor.rc")" = 1 ] && grep -q 'schemig_aaaaaaaaaaaa_bbbbbbbb' "$WORK/doctor.txt"
check credential/doctor_lists_leftover $? "$(cat "$WORK/doctor.txt")"
grep -q 'steps ran as one-shot login schemig_' "$WORK/cr_history.txt"
check credential/steps_ran_as_login $? "$(cat "$WORK/cr_history.txt")"
[ -z "$(my -N -e "SELECT User FROM mysql.user WHERE User REGEXP
	'^schemig_[0-9a-f]{12}_[0-9a-f]{8}\$'")" ]
check credential/logins_dropped $? "$(my -e "SELECT User, Host FROM mysql.user" 2>&1)"
events=$(my -N -e "SELECT e.event FROM schemig.apply_events e JOIN schemig.applies a
	ON a.id = e.apply_id WHERE a.db = 'ma_cr' ORDER BY e.seq" |
	grep -o '"event":"credential_[a-z]*"' | tr '\n' ' ')
[ "$events" = '"event":"credential_dropped" "event":"credential_created" "event":"credential_dropped" ' ]
check credential/leftover_swept_then_own_dropped $? "$events"
[ "$(my -N -e "SELECT COUNT(*) FROM ma_cr.orders WHERE v IS NULL")" = 0 ]
check credential/backfill_as_login $? "$(cat "$WORK/cr.log")"
my -e "DROP DATABASE ma_cr; DROP DATABASE ma_cr_t" >/dev/null 2>&1

# ---- names a branch chose: quotes, backticks, backslashes ---------------
# Guards, backfill batches and the journal build SQL from the plan's
# names: a schema file's hostile names must stay names (quoted by the
# dialect), on every statement apply sends.
my -e "DROP DATABASE IF EXISTS ma_nasty; DROP DATABASE IF EXISTS ma_nasty_t;
	CREATE DATABASE ma_nasty; CREATE DATABASE ma_nasty_t;
	CREATE TABLE ma_nasty.\`o'r\`\`d\\\\x\` (id bigint PRIMARY KEY, \`v'; DROP TABLE x; --\` int);
	INSERT INTO ma_nasty.\`o'r\`\`d\\\\x\` VALUES (1, NULL), (2, 5);
	CREATE TABLE ma_nasty.x (id int);
	CREATE TABLE ma_nasty_t.\`o'r\`\`d\\\\x\` (id bigint PRIMARY KEY,
	    \`v'; DROP TABLE x; --\` int NOT NULL DEFAULT 3, \`n\"e\\\\w\` int,
	    KEY \`k'\`\`\` (id));
	CREATE TABLE ma_nasty_t.x (id int)"
NA=$(murl ma_nasty)
APPLY_DB_URL=$NA "$BIN" plan --from "$NA" --to "$(murl ma_nasty_t)" --out nasty.json >nasty.log 2>&1 &&
	[ "$(jq '[.steps[] | select(.guard)] | length' nasty.json)" -ge 2 ] &&
	APPLY_DB_URL=$NA "$BIN" apply --env production --plan nasty.json >>nasty.log 2>&1 &&
	"$BIN" diff --exit-code --from "$NA" --to "$(murl ma_nasty_t)" >>nasty.log 2>&1 &&
	[ "$(my -N -e "SELECT COUNT(*) FROM ma_nasty.x")" = 0 ] &&
	[ "$(my -N -e 'SELECT GROUP_CONCAT(`v'"'"'; DROP TABLE x; --` ORDER BY id) FROM ma_nasty.`o'"'"'r``d\\x`')" = "3,5" ]
check hostile_names/apply_converges $? "$(cat nasty.log)"
my -e "DROP DATABASE ma_nasty; DROP DATABASE ma_nasty_t" >/dev/null 2>&1

# ---- a PostgreSQL plan is refused by name --------------------------------
mkdir -p "$WORK/pg" && echo 'CREATE TABLE t (id int);' >"$WORK/pg/a.sql" &&
	echo 'CREATE TABLE t (id int, n int);' >"$WORK/pg/b.sql" &&
	(cd "$WORK/pg" && "$BIN" plan --dialect postgres --from a.sql \
		--to b.sql --out pg.json >/dev/null 2>&1) && cp "$WORK/pg/pg.json" pg.json
"$BIN" apply --env production --plan pg.json >pg.log 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'the plan is for postgres, but the dialect here is mysql' pg.log
check other_dialect_refused $? "exit $rc: $(cat pg.log)"

suite_end
