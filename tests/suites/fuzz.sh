#!/usr/bin/env bash
# The parser fuzz targets, briefly: tests/fuzz/fuzz_parse.c (PostgreSQL)
# and tests/fuzz/fuzz_my_parse.c (MySQL/MariaDB). For each, replay every
# seed in its corpus (tests/fuzz/corpus/parse, tests/fuzz/corpus/my_parse:
# the test SQL and every input that once crashed), then
# SCHEMIG_FUZZ_SECONDS (default 10) of fuzzing from them. `make fuzz` and
# `make fuzz-mysql` are the long runs. Skipped only when clang is missing
# (ci/install-deps.sh installs it).
#
#   bash tests/suites/fuzz.sh BIN     (BIN is unused: the target is built
#                                      here, with clang and libFuzzer)
set -u

SUITE=fuzz
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
SECONDS_TO_RUN=${SCHEMIG_FUZZ_SECONDS:-10}

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	echo "ok   fuzz (skipped: no clang)"
	passed=1
	suite_end
	exit
fi

if make -C "$ROOT" --no-print-directory -j2 build/fuzz/fuzz_parse \
	build/fuzz/fuzz_my_parse >"$WORK/build.log" 2>&1; then
	ok build
else
	fail build "$(tail -n 20 "$WORK/build.log")"
	exit 1
fi

# show LOG: the finding's first lines (sanitizer report, input file).
show() {
	grep -E "ERROR|SUMMARY|Test unit written|#[0-9]+ 0x" "$1" | head -n 12
}

# fuzz TARGET CORPUS LABEL: replay the seeds, then fuzz for a while.
fuzz() {
	local fuzzer=$ROOT/build/fuzz/$1 seeds=$ROOT/tests/fuzz/corpus/$2 label=$3
	local dir=$WORK/$1 nseeds runs
	mkdir -p "$dir/corpus" "$dir/crashes"
	nseeds=$(find "$seeds" -type f | wc -l)
	if "$fuzzer" -runs=0 -timeout=30 "$seeds" >"$dir/replay.log" 2>&1 &&
		grep -q "INITED" "$dir/replay.log"; then
		ok "${label}replay ($nseeds seeds)"
	else
		fail "${label}replay" "$(show "$dir/replay.log")"
	fi
	if "$fuzzer" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=30 \
		-rss_limit_mb=4096 -artifact_prefix="$dir/crashes/" -print_final_stats=1 \
		"$dir/corpus" "$seeds" >"$dir/fuzz.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log")
		ok "${label}run (${SECONDS_TO_RUN}s, ${runs:-?} inputs)"
	else
		fail "${label}run" "$(show "$dir/fuzz.log"); add the input to $seeds once fixed"
		cp "$dir"/crashes/* "$ROOT/build/fuzz/" 2>/dev/null
	fi
}

fuzz fuzz_parse parse ""
fuzz fuzz_my_parse my_parse "mysql-"

suite_end
