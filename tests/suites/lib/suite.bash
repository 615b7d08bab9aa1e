# What a suite of tests/suites needs around its checks; source it after
# setting SUITE (the name in "ok   SUITE/..." lines) and, when the suite
# makes one, DB (a database on SCHEMIG_TEST_PG_URL, dropped at exit).
#
#   ok NAME / fail NAME WHY   count and print a result
#   db_url DBNAME             SCHEMIG_TEST_PG_URL with another database
#   $WORK                     a scratch directory, removed at exit
#   $PSQL                     psql that stops on the first error
#
# At exit the counts go to SCHEMIG_SUITE_COUNTS ("passed failed").

URL=${SCHEMIG_TEST_PG_URL:?SCHEMIG_TEST_PG_URL is not set}
WORK=$(mktemp -d "${SCHEMIG_WORK:-${TMPDIR:-/tmp}}/$SUITE.XXXXXX")
COUNTS=${SCHEMIG_SUITE_COUNTS:-/dev/null}
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

passed=0
failed=0
ok() {
	echo "ok   $SUITE/$1"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL $SUITE/$1: $2"
	failed=$((failed + 1))
}
suite_finish() {
	[ -n "${DB:-}" ] && "${PSQL[@]}" -d "$URL" -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
	echo "$passed $failed" >"$COUNTS"
	rm -rf "$WORK"
}
trap suite_finish EXIT

db_url() {
	local base=${URL%%\?*} q=""
	[[ $URL == *\?* ]] && q="?${URL#*\?}"
	echo "${base%/*}/$1$q"
}
