#!/usr/bin/env bash
# The parser fuzz target (tests/fuzz/fuzz_parse.c), briefly: replay every
# seed in tests/fuzz/corpus/parse (the test cases' SQL and every input
# that once crashed), then SCHEMIG_FUZZ_SECONDS (default 20) of fuzzing
# from them. `make fuzz` is the long run. Skipped only when clang is
# missing (ci/install-deps.sh installs it).
#
#   bash tests/suites/fuzz.sh BIN     (BIN is unused: the target is built
#                                      here, with clang and libFuzzer)
set -u

SUITE=fuzz
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
SECONDS_TO_RUN=${SCHEMIG_FUZZ_SECONDS:-20}

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	echo "ok   fuzz (skipped: no clang)"
	passed=1
	suite_end
	exit
fi

mkdir -p "$WORK/corpus" "$WORK/crashes"
FUZZER=$ROOT/build/fuzz/fuzz_parse
SEEDS=$ROOT/tests/fuzz/corpus/parse

if make -C "$ROOT" --no-print-directory -j2 build/fuzz/fuzz_parse >"$WORK/build.log" 2>&1; then
	ok build
else
	fail build "$(tail -n 20 "$WORK/build.log")"
	exit 1
fi

# show LOG: the finding's first lines (sanitizer report, input file).
show() {
	grep -E "ERROR|SUMMARY|Test unit written|#[0-9]+ 0x" "$1" | head -n 12
}

nseeds=$(find "$SEEDS" -type f | wc -l)
if "$FUZZER" -runs=0 -timeout=30 "$SEEDS" >"$WORK/replay.log" 2>&1 &&
	grep -q "INITED" "$WORK/replay.log"; then
	ok "replay ($nseeds seeds)"
else
	fail replay "$(show "$WORK/replay.log")"
fi

if "$FUZZER" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=30 \
	-rss_limit_mb=4096 -artifact_prefix="$WORK/crashes/" -print_final_stats=1 \
	"$WORK/corpus" "$SEEDS" >"$WORK/fuzz.log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log")
	ok "run (${SECONDS_TO_RUN}s, ${runs:-?} inputs)"
else
	fail run "$(show "$WORK/fuzz.log"); add the input to $SEEDS once fixed"
	cp "$WORK"/crashes/* "$ROOT/build/fuzz/" 2>/dev/null
fi

suite_end
