#!/usr/bin/env bash
# A throwaway MariaDB server for the tests.
#
#   tests/mariadb.sh start DIR   mariadb-install-db + start mariadbd in DIR,
#                                listening only on the unix socket
#                                DIR/mysqld.sock; prints its URL on stdout:
#                                mysql://USER@localhost/?socket=DIR/mysqld.sock
#                                (USER: whoever runs this, root as root)
#   tests/mariadb.sh stop DIR    stop it (DIR itself is left to the caller)
#
# Whoever runs this script logs in over the socket as the MariaDB account
# of the same name, with every privilege and no password (unix_socket
# authentication: mariadb-install-db makes root@localhost and, for
# another user, that user's account), so nothing secret is written
# anywhere. As root the server runs as root too (--user=root):
# unlike initdb, mariadbd allows it when told so, and it saves the chown
# dance tests/pg.sh needs.
set -euo pipefail

die() {
	echo "mariadb.sh: $*" >&2
	exit 1
}

# The server's options, on the command line rather than in a defaults
# file (--no-defaults everywhere: the machine's /etc/mysql must not leak
# in). Small buffers and no binary log or performance schema: these
# servers hold a few tables each and must start fast.
server_opts() { # DIR
	local dir=$1
	printf '%s\n' --no-defaults "--datadir=$dir/data" "--socket=$dir/mysqld.sock" \
		"--pid-file=$dir/mysqld.pid" "--log-error=$dir/mysqld.err" --skip-networking \
		--skip-log-bin --performance-schema=OFF --innodb-buffer-pool-size=128M \
		--innodb-log-file-size=96M --innodb-log-buffer-size=1M --innodb-flush-log-at-trx-commit=0 \
		--innodb-doublewrite=0 --innodb-flush-method=nosync --skip-name-resolve \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
		--max-connections=200 --tmpdir="$dir"
	[ "$(id -u)" -ne 0 ] || echo --user=root
}

start() {
	local dir=$1 me i opts
	command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] ||
		die "no MariaDB server found (mariadbd); run ci/install-deps.sh"
	command -v mariadb-install-db >/dev/null 2>&1 ||
		die "no mariadb-install-db; run ci/install-deps.sh"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	# A unix socket path must stay under ~107 bytes.
	[ ${#dir} -le 90 ] || die "directory path too long for a unix socket: $dir"
	me=$(id -un)
	local user_opt=()
	[ "$(id -u)" -ne 0 ] || user_opt=(--user=root)

	mariadb-install-db --no-defaults "--datadir=$dir/data" "${user_opt[@]}" \
		--auth-root-authentication-method=socket "--auth-root-socket-user=$me" \
		--skip-test-db --skip-name-resolve >"$dir/install.log" 2>&1 ||
		{ cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }

	mapfile -t opts < <(server_opts "$dir")
	PATH=$PATH:/usr/sbin setsid mariadbd "${opts[@]}" </dev/null >/dev/null 2>&1 &
	# Ready when the socket answers; the log says why when it never does.
	for ((i = 0; i < 600; i++)); do
		if [ -S "$dir/mysqld.sock" ] &&
			mariadb --no-defaults -S "$dir/mysqld.sock" -u "$me" -e 'SELECT 1' >/dev/null 2>&1; then
			echo "mysql://$me@localhost/?socket=$dir/mysqld.sock"
			return 0
		fi
		sleep 0.05
	done
	tail -n 20 "$dir/mysqld.err" >&2 2>/dev/null
	stop "$dir"
	die "server did not start"
}

# No clean shutdown: the data is thrown away, and a kill is instant.
stop() {
	local dir=$1 pid
	[ -s "$dir/mysqld.pid" ] || return 0
	pid=$(cat "$dir/mysqld.pid")
	case "$pid" in '' | *[!0-9]*) return 0 ;; esac
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$dir/mysqld.pid"
}

case "${1:-}" in
start) [ $# -eq 2 ] || die "usage: mariadb.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || die "usage: mariadb.sh stop DIR"; stop "$2" ;;
*) die "usage: mariadb.sh start|stop DIR" ;;
esac
