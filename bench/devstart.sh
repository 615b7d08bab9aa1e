#!/usr/bin/env bash
# The throwaway server's start-to-ready time (`make bench` runs it first).
#
#   bench/devstart.sh DEVSTART
#
# DEVSTART is build/release/bench/devstart (bench/devstart.c). Prints the
# milliseconds from the dialect's server_start call until the server accepts
# connections, for
#   cold:  no template cache (SCHEMIG_NO_TEMPLATE_CACHE=1): initdb, as
#          every start did before the cache
#   first: an empty cache: initdb, then the result copied into the cache
#   warm:  the cache filled: a copy of the template, no initdb
# each the median of $BENCH_DEV_RUNS starts (default 5; first: 1), with
# the machine's load average, since a loaded machine inflates all three.
# The cache is a temporary XDG_CACHE_HOME, never the user's own.
set -euo pipefail

[ $# -eq 1 ] && [ -x "$1" ] || { echo "usage: bench/devstart.sh DEVSTART" >&2; exit 2; }
DEVSTART=$1
RUNS=${BENCH_DEV_RUNS:-5}
TARGET_MS=500

cache=$(mktemp -d "${TMPDIR:-/tmp}/schemig-bench-cache.XXXXXX")
# Under root the server's user must pass through it.
chmod 755 "$cache"
trap 'rm -rf "$cache"' EXIT

# The median of the first column of DEVSTART's lines.
median() {
	cut -f1 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }

echo "throwaway server start-to-ready (ms, median of $RUNS; load average $(load), $(nproc) cores)"
cold=$(SCHEMIG_NO_TEMPLATE_CACHE=1 XDG_CACHE_HOME=$cache "$DEVSTART" "$RUNS" | median)
echo "  cold (no cache, initdb):      $cold"
first=$(XDG_CACHE_HOME=$cache "$DEVSTART" 1 | median)
echo "  first (initdb, fills cache):  $first"
out=$(XDG_CACHE_HOME=$cache "$DEVSTART" "$RUNS")
warm=$(median <<<"$out")
# template.log's line: "template: copied DIR in N ms (cpu M ms)"
copy=$(sed -n 's/.* in \([0-9]*\) ms (cpu \([0-9]*\) ms).*/\1 (cpu \2)/p' <<<"$out" | tail -1)
echo "  warm (copy of the template):  $warm   (the copy itself: ${copy:-?} ms)"
if [ "$warm" -le "$TARGET_MS" ]; then
	echo "  target: warm start under $TARGET_MS ms: met"
else
	echo "  target: warm start under $TARGET_MS ms: NOT met (load average now $(load))"
fi
