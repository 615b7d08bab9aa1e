#!/usr/bin/env bash
# Install the Debian packages git schemig needs to build and test.
#
#   ci/install-deps.sh               install (apt-get update + install)
#   ci/install-deps.sh --if-missing  install only when something is missing,
#                                    so `make test` can call it cheaply
#   ci/install-deps.sh --runtime [--if-missing]
#                                    only what building git-schemig and
#                                    running it needs (the GitHub Action, the
#                                    GitLab template): no test tools, no
#                                    Node.js, no Alembic, no clang
set -euo pipefail

RUNTIME=0
if [ "${1:-}" = "--runtime" ]; then
	RUNTIME=1
	shift
fi

# Building and running: the libraries, and PostgreSQL's server binaries
# for the throwaway server (initdb, postgres) and its client tools.
PACKAGES=(
	build-essential pkg-config libgit2-dev libpq-dev libpg-query-dev
	libprotobuf-c-dev libmariadb-dev freetds-dev libyaml-dev
	libcurl4-openssl-dev libjansson-dev libssl-dev zlib1g-dev
	postgresql tzdata
)
if [ "$RUNTIME" = 0 ]; then
	PACKAGES+=(libcmocka-dev postgresql-contrib clang-format time
		clang libclang-rt-dev alembic python3-alembic python3-psycopg2
		python3-pymysql
		mariadb-server mariadb-client)
	# The Knex tests and the MCP suite need Node.js and npm. A machine may already have
	# them from another source (whose nodejs package conflicts with
	# Debian's npm): only ask Debian for them when they are missing.
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		PACKAGES+=(nodejs npm)
	fi
fi

# What building and running touch.
runtime_present() {
	local f
	for f in cc make pkg-config psql pg_dump; do
		command -v "$f" >/dev/null 2>&1 || return 1
	done
	pkg-config --exists libpq libgit2 yaml-0.1 jansson libcurl libcrypto zlib libmariadb \
		2>/dev/null || return 1
	for f in /usr/include/pg_query.h /usr/include/protobuf-c/protobuf-c.h \
		/usr/include/mariadb/mysql.h /usr/include/sybdb.h; do
		[ -e "$f" ] || return 1
	done
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || return 1
	return 0
}

# Everything the build and the test suite touch; any miss means install.
deps_present() {
	local f
	runtime_present || return 1
	[ "$RUNTIME" = 1 ] && return 0
	for f in clang-format clang node npm; do
		command -v "$f" >/dev/null 2>&1 || return 1
	done
	pkg-config --exists cmocka 2>/dev/null || return 1
	for f in /usr/bin/time /usr/bin/alembic /usr/share/zoneinfo/Europe/Berlin; do
		[ -e "$f" ] || return 1
	done
	# Alembic's tests run Debian's python3 with its psycopg2 (and PyMySQL
	# for MariaDB, tests/suites/emit_mysql.sh).
	/usr/bin/python3 -c 'import alembic, psycopg2, pymysql' >/dev/null 2>&1 || return 1
	# The parser fuzz suite links clang's libFuzzer (libclang-rt-dev).
	ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 || return 1
	# The MySQL dialect's tests start a throwaway MariaDB (tests/mariadb.sh);
	# mariadbd lives in /usr/sbin, outside an ordinary user's PATH.
	command -v mariadb-install-db >/dev/null 2>&1 || return 1
	command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || return 1
	# postgresql-contrib: the test cases use pgcrypto, citext and hstore.
	ls /usr/share/postgresql/*/extension/pgcrypto.control >/dev/null 2>&1 || return 1
	return 0
}

if [ "${1:-}" = "--if-missing" ]; then
	if deps_present; then
		exit 0
	fi
	echo "install-deps: some dependency is missing; installing" >&2
elif [ $# -gt 0 ]; then
	echo "usage: ci/install-deps.sh [--runtime] [--if-missing]" >&2
	exit 2
fi

# apt-get needs root: use sudo only when we are not root and it exists.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=(sudo -E)
	else
		echo "install-deps: not root and no sudo; install these packages:" >&2
		echo "  ${PACKAGES[*]}" >&2
		exit 1
	fi
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update
"${SUDO[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}"
