#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests.
#
#   tests/pg.sh start DIR   initdb + start a server in DIR listening only on
#                           a unix socket in DIR; prints its URL on stdout
#   tests/pg.sh stop DIR    stop it (DIR itself is left to the caller)
#   tests/pg.sh bindir      print the directory of the server's programs
#                           (psql, pg_dump of the same version)
#
# initdb refuses to run as root, so as root the server runs as the
# unprivileged user schemig-test (created when missing).
set -euo pipefail

TEST_USER=schemig-test

die() {
	echo "pg.sh: $*" >&2
	exit 1
}

# The newest installed server, else whatever pg_config points at.
find_bindir() {
	local d best=""
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] || continue
		if [ -z "$best" ] || [ "$(basename "$(dirname "$d")" | sed 's/[^0-9].*//')" -gt \
			"$(basename "$(dirname "$best")" | sed 's/[^0-9].*//')" ]; then
			best=$d
		fi
	done
	if [ -z "$best" ] && command -v pg_config >/dev/null 2>&1; then
		best=$(pg_config --bindir)
	fi
	[ -n "$best" ] && [ -x "$best/initdb" ] || die "no PostgreSQL server found (initdb); run ci/install-deps.sh"
	echo "$best"
}

# Run a command as the server's owner: ourselves, or TEST_USER when root.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		local cmd="" a
		for a in "$@"; do
			cmd+=" $(printf '%q' "$a")"
		done
		su -s /bin/sh "$TEST_USER" -c "$cmd"
	else
		"$@"
	fi
}

start() {
	local dir=$1 bindir port url
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	bindir=$(find_bindir)

	if [ "$(id -u)" -eq 0 ]; then
		if ! id "$TEST_USER" >/dev/null 2>&1; then
			useradd --system --no-create-home --shell /usr/sbin/nologin \
				"$TEST_USER" >/dev/null 2>&1 || id "$TEST_USER" >/dev/null 2>&1 ||
				die "cannot create user $TEST_USER"
		fi
		chown "$TEST_USER" "$dir"
		chmod 700 "$dir"
		su -s /bin/sh "$TEST_USER" -c "test -w $(printf '%q' "$dir")" ||
			die "$TEST_USER cannot reach $dir (is a parent directory closed?)"
	fi

	# The socket lives in DIR, so any port works; vary it anyway so two
	# servers never share a System V shared memory key.
	port=$((20000 + $$ % 20000))
	echo "$port" >"$dir/port"

	as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust \
		-E UTF8 --locale=C -N >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	# One role must give its password, so that the tests can check that a
	# wrong one is refused and never echoed, and so must the members of
	# schemig_scram (the credential suite's one-shot logins, which only
	# apply knows the password of); everyone else is trusted.
	{ printf '%s\n' "local all schemig_pw scram-sha-256" "local all +schemig_scram scram-sha-256"
	  cat "$dir/data/pg_hba.conf"; } >"$dir/hba.tmp"
	cat "$dir/hba.tmp" >"$dir/data/pg_hba.conf" && rm -f "$dir/hba.tmp"
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
		-o "-k $dir -p $port -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_locks_per_transaction=1024" \
		start >/dev/null 2>&1 ||
		{ cat "$dir/log" >&2 2>/dev/null; die "server did not start"; }

	# Roles the cases grant to; roles are cluster-wide, so once is enough.
	psql -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL' ||
CREATE ROLE app_reader;
CREATE ROLE app_writer;
CREATE ROLE app_owner;
CREATE ROLE "Mixed Case Role";
CREATE ROLE "PUBLIC";
CREATE ROLE schemig_pw LOGIN PASSWORD 'right-password';
CREATE ROLE schemig_scram;
SQL
		die "cannot create the test roles"

	url="postgresql:///postgres?host=$dir&port=$port&user=postgres"
	echo "$url"
}

stop() {
	local dir=$1 bindir
	[ -d "$dir/data" ] || return 0
	bindir=$(find_bindir)
	as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
start) [ $# -eq 2 ] || die "usage: pg.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || die "usage: pg.sh stop DIR"; stop "$2" ;;
bindir) find_bindir ;;
*) die "usage: pg.sh start|stop DIR | pg.sh bindir" ;;
esac
