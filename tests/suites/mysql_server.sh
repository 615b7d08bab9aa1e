#!/usr/bin/env bash
# The MySQL dialect's servers and scratch databases: `dev` on a throwaway
# MariaDB that schemig starts itself (gone after the run, and after a
# SIGTERM); scratch databases on the harness's MariaDB
# (SCHEMIG_TEST_MY_URL as --dev-url) dropped even when schemig is killed
# (SIGTERM, SIGKILL) with its loader account; the exact route (a file
# whose view is spelt otherwise than the live one's compares equal, a
# changed view is replaced and converges, views made after the views
# they read); a hostile file (USE, another database's table, GRANT, SET
# GLOBAL, OUTFILE, DATA DIRECTORY, ENGINE=CONNECT, mysql.user) refused with
# file:line and nothing created; a statement the
# server rejects named by file:line with the server's message; a scratch
# server of another dialect refused by name; the cases of
# tests/cases_mysql through the scratch route (run_cases_mysql.sh mode 6).
#
#   bash tests/suites/mysql_server.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=mysql_server
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
MY=$SCHEMIG_TEST_MY_URL
my() { mariadb --no-defaults -S "$SOCK" -u root --batch "$@"; }
murl() { echo "mysql://root@localhost/$1?socket=$SOCK"; }
# Every schemig this suite runs on the shared server, by pid: the
# scratch databases and loader accounts are named after it, and another
# suite's (tests/suites/mysql.sh on the same server) are not ours.
PIDS=()
sch() { # [VAR=VALUE...] ARGS...: run BIN, its pid kept
	env "${@:1:$(nvars "$@")}" "$BIN" "${@:$(($(nvars "$@") + 1))}" &
	local p=$!
	PIDS+=("$p")
	wait "$p"
}
nvars() {
	local n=0 a
	for a in "$@"; do
		[[ $a == [A-Z_]*=* ]] || break
		n=$((n + 1))
	done
	echo "$n"
}
# What our scratch databases left behind on the shared server, if anything.
leftovers() {
	local re
	re=$(
		IFS='|'
		echo "${PIDS[*]:-0}"
	)
	my -N -e "SHOW DATABASES WHERE \`Database\` REGEXP '^schemig_scratch_($re)_';
		SELECT user FROM mysql.user WHERE user REGEXP '^schemig_ld_($re)_'"
}
# Wait up to $1 tenths of a second for `leftovers` to be empty.
gone_within() {
	local i
	for ((i = 0; i < $1; i++)); do
		[ -z "$(leftovers)" ] && return 0
		sleep 0.1
	done
	return 1
}
# The throwaway servers' directories go here (a short path: sockets).
TD=$(mktemp -d "${TMPDIR:-/tmp}/mys.XXXXXX")
[ ${#TD} -le 50 ] || { rm -rf "$TD"; TD=$(mktemp -d /tmp/mys.XXXXXX); }
suite_cleanup() { rm -rf "$TD"; }

cat >view.sql <<'EOF'
create table t (id int primary key, name varchar(10));
create view v as select id from t;
EOF

# ---- dev: a throwaway MariaDB of schemig's own --------------------------
t0=$(date +%s.%N)
env -u SCHEMIG_DEV_URL TMPDIR="$TD" "$BIN" diff --dialect mysql --from dev \
	--to view.sql >dev.sql 2>dev.err
rc=$?
echo "dev: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s (a throwaway MariaDB started, loaded, read and removed)"
[ $rc -eq 0 ] && grep -q '^CREATE VIEW `v` AS select `t`.`id` AS `id` from `t`;$' dev.sql
check dev/diff $? "exit $rc: $(cat dev.err dev.sql)"
[ -z "$(ls "$TD")" ]
check dev/removed $? "left: $(ls "$TD")"

printf 'CREATE TABLE a (id int);\nCREATE TABLE slow AS SELECT SLEEP(20) AS s;\n' >slow.sql
# (plan: diff would stop at the parser, which does not read CREATE
# TABLE ... SELECT, before loading anything.)
env -u SCHEMIG_DEV_URL TMPDIR="$TD" "$BIN" plan --dialect mysql \
	--from dev --to slow.sql >/dev/null 2>term.err &
pid=$!
for ((i = 0; i < 300; i++)); do
	compgen -G "$TD/schemig-my-*/mysqld.sock" >/dev/null && break
	sleep 0.1
done
sleep 1
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ]
check dev/killed_while_loading $? "exit $rc: $(cat term.err)"
for ((i = 0; i < 100; i++)); do
	[ -z "$(ls "$TD")" ] && break
	sleep 0.1
done
[ $rc -ne 0 ] && [ -z "$(ls "$TD")" ]
check dev/removed_after_sigterm $? "exit $rc, left: $(ls "$TD") $(cat term.err)"

# ---- scratch databases on a shared server, killed ------------------------
for sig in TERM KILL; do
	SCHEMIG_FULL_LOAD=1 "$BIN" diff --dialect mysql --dev-url "$MY" --from dev \
		--to slow.sql >/dev/null 2>kill.err &
	pid=$!
	PIDS+=("$pid")
	seen=
	for ((i = 0; i < 100; i++)); do
		[ -n "$(leftovers)" ] && seen=1 && break
		sleep 0.1
	done
	sleep 0.5
	kill -$sig $pid
	wait $pid 2>/dev/null
	rc=$?
	[ -n "$seen" ] && [ $rc -eq $((128 + $(kill -l $sig))) ]
	check "shared/killed_while_loading_sig${sig,,}" $? "exit $rc: $(cat kill.err)"
	# The janitor's DROP waits for the killed session's statement.
	gone_within 300
	check "shared/dropped_after_sig${sig,,}" $? "left: $(leftovers)"
done

# ---- the exact route -----------------------------------------------------
my -e "DROP DATABASE IF EXISTS mss_live; CREATE DATABASE mss_live;
	CREATE TABLE mss_live.t (id int PRIMARY KEY, name varchar(10));
	CREATE VIEW mss_live.v AS SELECT id FROM mss_live.t"
LIVE=$(murl mss_live)
sch diff --dialect mysql --dev-url "$MY" --exit-code --from "$LIVE" \
	--to view.sql >same.out 2>&1
check exact/view_spelt_otherwise_is_equal $? "$(cat same.out)"
cat >chg.sql <<'EOF'
create table t (id int primary key, name varchar(10));
create view v as select id, name from t where id > 0;
create view a_v as select id from b_v;
create view b_v as select id from v;
EOF
sch diff --dialect mysql --dev-url "$MY" --from "$LIVE" --to chg.sql >chg.out 2>&1
check exact/diff $? "$(cat chg.out)"
grep -q '^CREATE OR REPLACE VIEW `v` AS select `t`.`id` AS `id`,`t`.`name` AS `name` from `t` where `t`.`id` > 0;$' chg.out
check exact/view_replaced $? "$(cat chg.out)"
[ "$(grep -n 'CREATE VIEW `b_v`' chg.out | cut -d: -f1)" -lt "$(grep -n 'CREATE VIEW `a_v`' chg.out | cut -d: -f1)" ] 2>/dev/null
check exact/views_after_what_they_read $? "$(cat chg.out)"
my mss_live <chg.out >apply.log 2>&1
check exact/applies $? "$(cat apply.log)"
sch diff --dialect mysql --dev-url "$MY" --exit-code --from "$LIVE" \
	--to chg.sql >again.out 2>&1
check exact/converges $? "$(cat again.out)"
[ -z "$(leftovers)" ]
check exact/no_scratch_left $? "left: $(leftovers)"

# ---- hostile files: refused before anything runs -------------------------
my -e "DROP DATABASE IF EXISTS mss_other; CREATE DATABASE mss_other;
	CREATE TABLE mss_other.keep (id int)"
before=$(my -N -e "SELECT @@GLOBAL.max_connections; SELECT count(*) FROM mysql.user")
while IFS='|' read -r name line sql; do
	printf '%b' "$sql" >h.sql
	sch SCHEMIG_FULL_LOAD=1 diff --dialect mysql --dev-url "$MY" --from "$LIVE" \
		--to h.sql >h.out 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q "^error: h.sql:$line: .* is not loaded into a scratch database" h.out
	check "hostile/$name" $? "exit $rc: $(cat h.out)"
	# The default route (the part that differs) runs none of it either.
	sch diff --dialect mysql --dev-url "$MY" --from "$LIVE" --to h.sql >/dev/null 2>&1
done <<'EOF'
use_other|2|CREATE TABLE a (id int);\nUSE mss_other;\nCREATE TABLE b (id int);\n
other_table|2|CREATE TABLE a (id int);\nCREATE TABLE mss_other.evil (id int);\n
grant|1|GRANT ALL ON *.* TO 'mss_evil'@'%%' IDENTIFIED BY 'x';\n
set_global|2|SET NAMES utf8mb4;\nSET GLOBAL max_connections = 7;\n
outfile|1|SELECT 1 INTO OUTFILE 'mss_evil';\n
data_directory|1|CREATE TABLE d (id int) DATA DIRECTORY = 'mss_evil';\n
connect_engine|1|CREATE TABLE f (id int) ENGINE=CONNECT TABLE_TYPE=DOS FILE_NAME='mss_evil';\n
system_schema|1|CREATE VIEW w AS SELECT user FROM mysql.user;\n
EOF
[ "$(my -N -e "SELECT group_concat(table_name) FROM information_schema.tables
	WHERE table_schema = 'mss_other'")" = keep ]
check hostile/other_database_untouched $? "$(my -e 'SHOW TABLES IN mss_other' 2>&1)"
[ "$(my -N -e "SELECT @@GLOBAL.max_connections; SELECT count(*) FROM mysql.user")" = "$before" ]
check hostile/server_untouched $? "$(my -N -e 'SELECT @@GLOBAL.max_connections; SELECT user FROM mysql.user' 2>&1)"
[ "$(my -N -e "SELECT group_concat(table_name ORDER BY table_name) FROM information_schema.tables
	WHERE table_schema = 'mss_live'")" = "a_v,b_v,t,v" ] && [ -z "$(leftovers)" ]
check hostile/live_untouched_no_scratch_left $? "$(my -e 'SHOW TABLES IN mss_live' 2>&1) $(leftovers)"

# A dump's preamble loads: its own database named first, DEFINER clauses,
# executable comments, session SETs.
cat >dump.sql <<'EOF'
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
USE `shop`;
DROP TABLE IF EXISTS `t`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE `shop`.`t` (
  `id` int(11) NOT NULL,
  `name` varchar(10) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
LOCK TABLES `t` WRITE;
INSERT INTO `t` VALUES (1,'a');
UNLOCK TABLES;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */
/*!50001 VIEW `v` AS select `t`.`id` AS `id` from `t` */;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN
  SET NEW.name = lower(NEW.name);
END */;;
DELIMITER ;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
EOF
my -e "DROP DATABASE IF EXISTS mss_dump; CREATE DATABASE mss_dump"
sed -e '/DATABASE/d' -e '/^USE/d' -e 's/`shop`\.//' dump.sql | my mss_dump >dumpload.log 2>&1
sch SCHEMIG_FULL_LOAD=1 diff --dialect mysql --dev-url "$MY" --exit-code \
	--from "$(murl mss_dump)" --to dump.sql >dump.out 2>&1
check dump_loads_and_matches $? "$(cat dumpload.log dump.out)"

# ---- a statement the server rejects --------------------------------------
printf 'CREATE TABLE r (id int);\n\nCREATE TABLE r (id int);\n' >rej.sql
sch SCHEMIG_FULL_LOAD=1 diff --dialect mysql --dev-url "$MY" --from "$LIVE" \
	--to rej.sql >rej.out 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "^error: rej.sql:3: Table 'r' already exists$" rej.out
check rejected_by_server $? "exit $rc: $(cat rej.out)"

# ---- a scratch server of another dialect ---------------------------------
SCHEMIG_DEV_URL="postgresql://u:hunter2@localhost/x" "$BIN" diff --dialect mysql \
	--from "$LIVE" --to chg.sql >wrong.out 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'is a PostgreSQL server, but the dialect is mysql' wrong.out &&
	! grep -q hunter2 wrong.out
check wrong_dialect_dev_url $? "exit $rc: $(cat wrong.out)"

# ---- the cases through the scratch route ---------------------------------
SCHEMIG_CASES_JOBS=2 SCHEMIG_MY_CASES_MODES=6 \
	bash "$TESTS/run_cases_mysql.sh" "$BIN" >cases.out 2>&1
check cases_exact_route $? "$(grep -v '^ *|' cases.out | tail -n 12)"
tail -n 1 cases.out

my -e "DROP DATABASE IF EXISTS mss_live; DROP DATABASE IF EXISTS mss_other;
	DROP DATABASE IF EXISTS mss_dump" >/dev/null 2>&1
suite_end
