#!/usr/bin/env bash
# git schemig lint --dialect mysql: every fixture of tests/lint/mysql/
# gives exactly the findings its "-- expect: LINE:COL LEVEL RULE" lines
# list (none for a *_safe.sql), after the files its "-- before: FILE"
# lines name (linted first, so their tables' column types are known); a
# "-- expect-error: LINE:COL" fixture exits 2 naming file:line:column.
# Then the dialect from .schemig.yml, JSON, --rule-off, the rule list.
# Needs no server: lint never runs SQL.
#
#   bash tests/suites/lint_mysql.sh BIN
set -u

SUITE=lint_mysql
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/lint/mysql

# run ARGS...: OUT, ERR and RC of `BIN lint --dialect mysql ARGS`, from the
# fixture dir so that findings name the files as given.
run() {
	(cd "$FIX" && "$BIN" lint --dialect mysql "$@" >"$WORK/out" 2>"$WORK/err")
	RC=$?
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
}

for path in "$FIX"/*.sql; do
	f=$(basename "$path")
	case $f in *_setup.sql) continue ;; esac
	before=$(sed -n 's/^-- before: //p' "$path")
	want_err=$(sed -n 's/^-- expect-error: //p' "$path")
	# shellcheck disable=SC2086 # the before files are plain names
	run $before "$f"
	if [ -n "$want_err" ]; then
		if [ "$RC" -eq 2 ] && grep -qF "$f:$want_err:" <<<"$ERR"; then
			ok "${f%.sql}"
		else
			fail "${f%.sql}" "exit $RC, want 2 and $f:$want_err: in: $ERR"
		fi
		continue
	fi
	want=$(sed -n 's/^-- expect: \([0-9:]*\) \([a-z]*\) \([a-z_]*\)$/'"$f"':\1: \2[\3]/p' "$path" | sort)
	got=$(grep -oE "^$f:[0-9]+:[0-9]+: (error|warning)\[[a-z_]+\]" <<<"$OUT" | sort)
	rc=0
	grep -qF ': error[' <<<"$want" && rc=1
	if [ "$RC" -ne "$rc" ]; then
		fail "${f%.sql}" "exit $RC, want $rc: $ERR $(head -c 600 <<<"$OUT")"
	elif [ "$want" != "$got" ]; then
		fail "${f%.sql}" "want [$want] got [$got]"
	else
		ok "${f%.sql}"
	fi
done

# Every message names the object; a suggestion follows each finding.
run nasty_names.sql
if grep -qF 'DROP COLUMN `a\b'"'"'c` on `we``ird "t"`' <<<"$OUT" &&
	grep -qF 'suggestion: ALTER TABLE `we``ird "t"` ADD INDEX `i``x` (`a\b'"'"'c`), ALGORITHM=INPLACE, LOCK=NONE;' <<<"$OUT"; then
	ok messages/nasty-names
else
	fail messages/nasty-names "$OUT"
fi
run copying_column_type_change_setup.sql copying_column_type_change.sql
if grep -qF 'MODIFY `visits` on `accounts` copies the table and blocks writes: it changes the type from int to bigint' <<<"$OUT" &&
	grep -qF 'varchar(40) to varchar(100) crosses 255 bytes' <<<"$OUT"; then
	ok messages/type-change-reason
else
	fail messages/type-change-reason "$OUT"
fi

# --one-migration: a table of an earlier file is new too (nothing fires).
run --one-migration copying_column_type_change_setup.sql copying_column_type_change.sql
if [ "$RC" -eq 0 ] && [ "$OUT" = "0 errors, 0 warnings in 2 files" ]; then
	ok one-migration
else
	fail one-migration "exit $RC: $OUT"
fi

# The dialect from .schemig.yml when --dialect is not given.
mkdir -p "$WORK/proj"
printf 'dialect: mysql\n' >"$WORK/proj/.schemig.yml"
cp "$FIX/ban_drop_column.sql" "$WORK/proj/"
(cd "$WORK/proj" && "$BIN" lint ban_drop_column.sql >"$WORK/out" 2>"$WORK/err")
RC=$?
if [ "$RC" -eq 1 ] && grep -qF "ban_drop_column.sql:4:20: error[ban_drop_column]" "$WORK/out"; then
	ok dialect-from-config
else
	fail dialect-from-config "exit $RC: $(cat "$WORK/out" "$WORK/err")"
fi
# ... and --dialect mariadb is the same linter.
(cd "$FIX" && "$BIN" lint --dialect mariadb ban_drop_column.sql >"$WORK/out" 2>&1)
RC=$?
if [ "$RC" -eq 1 ] && grep -qF "error[ban_drop_column]" "$WORK/out"; then
	ok dialect-mariadb
else
	fail dialect-mariadb "exit $RC: $(cat "$WORK/out")"
fi

# JSON: rules, levels, hazards, counts.
run --format json ban_drop_column.sql require_lock_wait_timeout.sql
if [ "$RC" -eq 1 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rules = [f["rule"] for f in d["findings"]]
assert rules == ["ban_drop_column", "require_lock_wait_timeout",
                 "require_lock_wait_timeout"], rules
assert d["errors"] == 1 and d["warnings"] == 2, d
f = d["findings"][0]
assert (f["file"], f["line"], f["column"], f["level"]) == \
    ("ban_drop_column.sql", 4, 20, "error"), f
assert "deletes_data" in f["hazards"] and f["suggestion"], f
assert "`orders`" in f["message"], f
' "$WORK/out"; then
	ok json
else
	fail json "exit $RC: $(head -c 400 <<<"$OUT")"
fi

# --rule-off takes this dialect's names; PostgreSQL's are unknown here.
run --rule-off ban_drop_column ban_drop_column.sql
if [ "$RC" -eq 0 ] && [ "$OUT" = "0 errors, 0 warnings in 1 file" ]; then
	ok rule-off
else
	fail rule-off "exit $RC: $OUT"
fi
run --rule-off require_concurrent_index_creation ban_drop_column.sql
if [ "$RC" -eq 2 ] && grep -qF "require_concurrent_index_creation" <<<"$ERR"; then
	ok rule-off/other-dialect
else
	fail rule-off/other-dialect "exit $RC: $ERR"
fi

# A bad file does not stop the others; standard input.
run bad_action.sql ban_drop_column.sql
if [ "$RC" -eq 2 ] && grep -qF "ban_drop_column.sql:4:20: error[ban_drop_column]" <<<"$OUT"; then
	ok bad-input/others-linted
else
	fail bad-input/others-linted "exit $RC: $OUT"
fi
OUT=$(printf 'SELECT 1;\nALTER TABLE t DROP COLUMN c;\n' | "$BIN" lint --dialect mysql - 2>"$WORK/err")
RC=$?
if [ "$RC" -eq 1 ] && grep -qF "<stdin>:2:15: error[ban_drop_column]" <<<"$OUT"; then
	ok stdin
else
	fail stdin "exit $RC: $OUT $(cat "$WORK/err")"
fi

# Help lists this dialect's rules.
run -h
if [ "$RC" -eq 0 ] && grep -qF "rules (mysql)" <<<"$OUT" && grep -qF "require_algorithm_lock" <<<"$OUT"; then
	ok help
else
	fail help "exit $RC: $OUT"
fi

suite_end summary
