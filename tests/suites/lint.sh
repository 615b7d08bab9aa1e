#!/usr/bin/env bash
# git schemig lint: every rule fires on its fixture (tests/lint/RULE.sql)
# at an exact file:line:column and stays quiet on the safe form
# (RULE_safe.sql); exit codes, JSON, syntax errors, missing files, stdin.
# Needs no server.
#
#   bash tests/suites/lint.sh BIN
set -u

SUITE=lint
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS/lint

# run ARGS...: OUT, ERR and RC of `BIN lint ARGS`, from the fixture dir
# so that findings name the files as given.
run() {
	(cd "$FIX" && "$BIN" lint "$@" >"$WORK/out" 2>"$WORK/err")
	RC=$?
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
}

# fires NAME "FILE:LINE:COL: LEVEL[RULE]" RC ARGS...
fires() {
	local name=$1 want=$2 rc=$3
	shift 3
	run "$@"
	if [ "$RC" -ne "$rc" ]; then
		fail "$name" "exit $RC, want $rc; $ERR"
	elif ! grep -qF -- "$want:" <<<"$OUT"; then
		fail "$name" "no '$want' in: $(head -c 400 <<<"$OUT")"
	else
		ok "$name"
	fi
}

# quiet NAME RULE ARGS...: exit 0 and RULE not reported.
quiet() {
	local name=$1 rule=$2
	shift 2
	run "$@"
	if [ "$RC" -ne 0 ]; then
		fail "$name" "exit $RC, want 0; $(head -c 400 <<<"$OUT") $ERR"
	elif grep -qF -- "[$rule]" <<<"$OUT"; then
		fail "$name" "$rule reported: $(grep -F -- "[$rule]" <<<"$OUT")"
	else
		ok "$name"
	fi
}

# rule  line:col  level  exit
while read -r rule pos level rc; do
	[ -n "$rule" ] || continue
	fires "$rule" "$rule.sql:$pos: $level[$rule]" "$rc" "$rule.sql"
	quiet "$rule/safe" "$rule" "${rule}_safe.sql"
done <<'EOF'
require_concurrent_index_creation 3:1 error 1
require_concurrent_index_deletion 3:1 error 1
concurrently_in_transaction 3:1 error 1
constraint_missing_not_valid 3:24 error 1
disallowed_unique_constraint 3:24 error 1
adding_not_null_field 3:1 error 1
adding_required_field 3:31 error 1
adding_field_with_volatile_default 3:40 error 1
renaming_column 3:1 error 1
renaming_table 3:1 error 1
ban_drop_column 3:1 error 1
ban_drop_table 3:1 error 1
ban_truncate 3:1 error 1
ban_drop_database 2:1 error 1
require_lock_timeout 2:1 warning 0
prefer_bigint_over_int 2:50 warning 0
prefer_identity 2:25 warning 0
prefer_text_field 2:51 warning 0
prefer_timestamptz 2:56 warning 0
ban_char_field 2:50 warning 0
rewrite_commands 2:1 error 1
EOF

# Rules that depend on the target version or on an earlier file.
fires enum_value_in_transaction/pg11 \
	"enum_value_in_transaction.sql:3:1: error[enum_value_in_transaction]" 1 \
	--min-version 11 enum_value_in_transaction.sql
fires enum_value_in_transaction/pg15 \
	"enum_value_in_transaction.sql:3:1: warning[enum_value_in_transaction]" 0 \
	enum_value_in_transaction.sql
quiet enum_value_in_transaction/safe enum_value_in_transaction \
	--min-version 11 enum_value_in_transaction_safe.sql
fires add_column_with_default_old_pg \
	"add_column_with_default_old_pg.sql:3:41: error[add_column_with_default_old_pg]" 1 \
	--min-version 10 add_column_with_default_old_pg.sql
quiet add_column_with_default_old_pg/pg11 add_column_with_default_old_pg \
	add_column_with_default_old_pg.sql
quiet add_column_with_default_old_pg/safe add_column_with_default_old_pg \
	--min-version 10 add_column_with_default_old_pg_safe.sql
fires changing_column_type \
	"changing_column_type.sql:3:35: error[changing_column_type]" 1 \
	changing_column_type_setup.sql changing_column_type.sql
quiet changing_column_type/safe changing_column_type \
	changing_column_type_setup.sql changing_column_type_safe.sql
fires changing_column_type/unknown-old-type \
	"changing_column_type.sql:3:35: warning[changing_column_type]" 0 \
	changing_column_type.sql

# USING always rewrites, even when the old type is unknown.
printf 'SET lock_timeout = 1000;\nALTER TABLE t ALTER COLUMN c TYPE bigint USING c::bigint;\n' >"$WORK/using.sql"
run "$WORK/using.sql"
if [ "$RC" -eq 1 ] && grep -qF "using.sql:2:28: error[changing_column_type]" <<<"$OUT"; then
	ok changing_column_type/using
else
	fail changing_column_type/using "exit $RC: $OUT"
fi

# SET LOCAL before BEGIN sets nothing; inside the transaction it does.
printf "SET LOCAL lock_timeout = '1s';\nBEGIN;\nALTER TABLE t ALTER COLUMN c SET DEFAULT 0;\nCOMMIT;\n" >"$WORK/local.sql"
run "$WORK/local.sql"
if [ "$RC" -eq 0 ] && grep -qF "local.sql:3:1: warning[require_lock_timeout]" <<<"$OUT"; then
	ok require_lock_timeout/set-local-outside-transaction
else
	fail require_lock_timeout/set-local-outside-transaction "exit $RC: $OUT"
fi

# A table created earlier in the same file is new: nothing fires.
run context_new_table.sql
if [ "$RC" -eq 0 ] && [ "$OUT" = "0 errors, 0 warnings in 1 file" ]; then
	ok context/new-table
else
	fail context/new-table "exit $RC: $OUT"
fi
# ... but with --one-migration a table from an earlier file is new too.
quiet context/one-migration changing_column_type --one-migration \
	changing_column_type_setup.sql changing_column_type.sql

# Summary line and the suggestion.
run require_concurrent_index_creation.sql
if grep -qx "1 error, 0 warnings in 1 file" <<<"$OUT" &&
	grep -qF "suggestion: CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);" <<<"$OUT"; then
	ok text/summary-and-suggestion
else
	fail text/summary-and-suggestion "$OUT"
fi

# JSON parses and lists the expected rules, counts and hazards.
run --format json require_concurrent_index_creation.sql ban_drop_table.sql \
	require_lock_timeout.sql
if [ "$RC" -eq 1 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rules = [f["rule"] for f in d["findings"]]
assert rules == ["require_concurrent_index_creation", "ban_drop_table",
                 "require_lock_timeout"], rules
assert d["errors"] == 2 and d["warnings"] == 1, d
f = d["findings"][0]
assert (f["file"], f["line"], f["column"], f["level"]) == \
    ("require_concurrent_index_creation.sql", 3, 1, "error"), f
assert f["hazards"] == ["blocks_writes", "index_build"], f
assert "public.orders" in f["message"] and f["suggestion"], f
' "$WORK/out"; then
	ok json
else
	fail json "exit $RC: $(head -c 400 <<<"$OUT")"
fi

# --rule-off: repeatable and comma lists; unknown names are refused.
run --rule-off require_lock_timeout --rule-off=ban_drop_table,ban_truncate \
	require_lock_timeout.sql ban_drop_table.sql ban_truncate.sql
if [ "$RC" -eq 0 ] && [ "$OUT" = "0 errors, 0 warnings in 3 files" ]; then
	ok rule-off
else
	fail rule-off "exit $RC: $OUT"
fi
run --rule-off no_such_rule ban_truncate.sql
if [ "$RC" -eq 2 ] && grep -qF "no_such_rule" <<<"$ERR"; then
	ok rule-off/unknown
else
	fail rule-off/unknown "exit $RC: $ERR"
fi

# Syntax error: file:line:column from the parser's cursor, exit 2.
run syntax_error.sql
if [ "$RC" -eq 2 ] && grep -qF 'syntax_error.sql:3:8: syntax error at or near "TABEL"' <<<"$ERR"; then
	ok syntax-error
else
	fail syntax-error "exit $RC: $ERR"
fi
# ... and the other files are still linted.
run syntax_error.sql ban_truncate.sql
if [ "$RC" -eq 2 ] && grep -qF "ban_truncate.sql:3:1: error[ban_truncate]" <<<"$OUT"; then
	ok syntax-error/others-linted
else
	fail syntax-error/others-linted "exit $RC: $OUT"
fi

# Missing file: exit 2, named.
run no_such_file.sql
if [ "$RC" -eq 2 ] && grep -qF "no_such_file.sql" <<<"$ERR"; then
	ok missing-file
else
	fail missing-file "exit $RC: $ERR"
fi

# No files: usage error.
run
if [ "$RC" -eq 2 ] && grep -qF "usage:" <<<"$ERR"; then
	ok no-files
else
	fail no-files "exit $RC: $ERR"
fi

# Bad option values.
run --format yaml ban_truncate.sql
[ "$RC" -eq 2 ] && ok bad-format || fail bad-format "exit $RC"
run --min-version abc ban_truncate.sql
[ "$RC" -eq 2 ] && ok bad-min-version || fail bad-min-version "exit $RC"

# Standard input.
OUT=$(printf 'SELECT 1;\nCREATE INDEX i ON t (a);\n' | "$BIN" lint - 2>"$WORK/err")
RC=$?
if [ "$RC" -eq 1 ] && grep -qF "<stdin>:2:1: error[require_concurrent_index_creation]" <<<"$OUT"; then
	ok stdin
else
	fail stdin "exit $RC: $OUT $(cat "$WORK/err")"
fi

# Help lists the rules and exits 0.
run -h
if [ "$RC" -eq 0 ] && grep -qF "require_concurrent_index_creation" <<<"$OUT"; then
	ok help
else
	fail help "exit $RC"
fi

suite_end summary
