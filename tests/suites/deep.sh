#!/usr/bin/env bash
# Very deep expressions: every command that parses SQL answers them with
# exit 0, or exit 2 and a "file:line:column: message", never a signal.
# Generated files: `1+1+...+1` (4,400 and 100,000 terms), nested
# parentheses, CASE and ARRAY[ARRAY[...]], each in a CHECK, a DEFAULT, a
# view and a plain SELECT, through `lint`, `diff` file to file, `diff`
# and `plan` from a database to the file.
#
#   bash tests/suites/deep.sh BIN
# Environment (from tests/run.sh): SCHEMIG_TEST_PG_URL, SCHEMIG_DEV_URL,
# SCHEMIG_WORK, SCHEMIG_SUITE_COUNTS.
set -u

SUITE=deep
DB=schemig_deep_$$
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
export SCHEMIG_DEV_URL=${SCHEMIG_DEV_URL:-$URL}
cd "$WORK" || exit 1

# repeat N STRING: STRING N times.
repeat() {
	local n=$1 s=$2 out=""
	local chunk=$s k=$n
	# Doubling keeps 100,000 repetitions fast in bash.
	while [ "$k" -gt 0 ]; do
		[ $((k & 1)) -eq 1 ] && out+=$chunk
		chunk+=$chunk
		k=$((k >> 1))
	done
	printf '%s' "$out"
}

# expr SHAPE N: the expression.
expr() {
	case $1 in
	plus) printf '1%s' "$(repeat $(($2 - 1)) '+1')" ;;
	paren) printf '%s1%s' "$(repeat "$2" '(')" "$(repeat "$2" ')')" ;;
	case) printf '%s1%s' "$(repeat "$2" 'CASE WHEN true THEN ')" "$(repeat "$2" ' END')" ;;
	array) printf '%s1%s' "$(repeat "$2" 'ARRAY[')" "$(repeat "$2" ']')" ;;
	esac
}

# write FILE PLACE EXPR
write() {
	local f=$1 place=$2 e=$3
	case $place in
	check) printf 'CREATE TABLE t (a int, b text CHECK (b <> (%s)::text));\n' "$e" ;;
	default) printf 'CREATE TABLE t (a int, b text DEFAULT (%s)::text);\n' "$e" ;;
	view) printf 'CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT (%s)::text AS x;\n' "$e" ;;
	select) printf 'CREATE TABLE t (a int);\nSELECT %s;\n' "$e" ;;
	esac >"$f"
}

# answer NAME FILE CMD...: exit 0, or exit 2 with "FILE:LINE:COL: "
# on stderr; never killed by a signal (exit > 128) or another code.
answer() {
	local name=$1 file=$2
	shift 2
	"$@" >out 2>err
	local rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$name"
	elif [ "$rc" -eq 2 ] && grep -qE "$file:[0-9]+:[0-9]+: " err; then
		ok "$name"
	else
		fail "$name" "exit $rc: $(head -c 300 err)"
	fi
}

U=$(db_url "$DB")
if load_db "$DB" -c "CREATE TABLE t (a int)"; then
	ok setup
else
	fail setup "cannot create $DB"
fi
printf 'CREATE TABLE t (a int);\n' >base.sql

for shape in plus:4400 plus:100000 paren:3000 paren:20000 case:1000 case:20000 \
	array:3000 array:20000; do
	s=${shape%%:*}
	n=${shape##*:}
	e=$(expr "$s" "$n")
	for place in check default view select; do
		f=${place}_${s}_$n.sql
		write "$f" "$place" "$e"
		answer "$f/lint" "$f" "$BIN" lint "$f"
		answer "$f/diff-file" "$f" "$BIN" diff --from base.sql --to "$f"
		# The server routes load the file: one shape is enough there.
		case $shape in plus:*)
			answer "$f/diff-live" "$f" "$BIN" diff --from "$U" --to "$f"
			answer "$f/plan" "$f" "$BIN" plan --from "$U" --to "$f"
			;;
		esac
	done
done

# The bound's own message, with the position of the expression: the
# pre-scan (100,000 terms) and the depth measured after the parse
# (20,000 terms: the walk stops 10,000 nodes down, inside the `+` of
# column 20011, the middle of the sum).
write deep100k.sql select "$(expr plus 100000)"
"$BIN" lint deep100k.sql >out 2>err
if [ $? -eq 2 ] && grep -qE "deep100k.sql:2:[0-9]+: expression nested too deeply \(limit 10000\)" err; then
	ok message/prescan
else
	fail message/prescan "$(head -c 300 err)"
fi
printf 'SELECT %s;\n' "$(expr plus 20000)" >deep20k.sql
"$BIN" diff --from base.sql --to deep20k.sql >out 2>err
if [ $? -eq 2 ] && grep -qF "deep20k.sql:1:20011: expression nested too deeply (limit 10000)" err; then
	ok message/measured
else
	fail message/measured "$(head -c 300 err)"
fi

suite_end summary
