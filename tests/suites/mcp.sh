#!/usr/bin/env bash
# `git schemig mcp`, the Model Context Protocol server, driven over stdio
# by the real SDK client (@modelcontextprotocol/sdk from npm, into
# $SCHEMIG_WORK/mcp-npm or the prepared $SCHEMIG_MCP_SDK_DIR) and by a raw
# JSON-RPC script:
#
#   tests/suites/mcp.sh BIN
#
# A repository with two environments: production (protected, a password
# in its URL that no result may show, and a replica) and staging (no
# replica). tests/mcp/client.mjs: version negotiation (current, previous,
# unknown), tools/list, every tool, resources, bad arguments (-32602), a
# dry run refused on production by name and by URL, a dry run on the
# replica with progress, the cancellation of a long dry run (its child
# stops, the replica is as it was), and stdin closing mid-call (exit 0,
# no child left). tests/mcp/conformance.py: malformed JSON, unknown
# method, a batch, notifications, requests before initialize.
# Without node and npm the suite skips, saying so.
set -uo pipefail

SUITE=mcp
DBS=("mcp_prod_$$" "mcp_replica_$$")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "skip $SUITE: node and npm are needed (Debian packages nodejs, npm)"
	suite_end
	exit 0
fi
SDK_DIR=${SCHEMIG_MCP_SDK_DIR:-${SCHEMIG_WORK:-$WORK}/mcp-npm}
if [ ! -f "$SDK_DIR/node_modules/@modelcontextprotocol/sdk/package.json" ]; then
	mkdir -p "$SDK_DIR"
	# A package.json of its own, so that npm installs here and not into
	# whatever project lies above; one npm at a time (the lock file).
	[ -f "$SDK_DIR/package.json" ] || echo '{"name":"schemig-mcp-test","private":true}' >"$SDK_DIR/package.json"
	if ! (cd "$SDK_DIR" && flock 9 && timeout 600 npm install --no-audit --no-fund @modelcontextprotocol/sdk) \
		>"$WORK/npm.log" 2>&1 9>"$SDK_DIR.lock"; then
		fail "npm-install" "npm could not install @modelcontextprotocol/sdk (is the npm registry reachable?): $(tail -c 400 "$WORK/npm.log")"
		exit 1
	fi
fi
ok "npm-install (sdk $(node -p "require('$SDK_DIR/node_modules/@modelcontextprotocol/sdk/package.json').version"))"

# ---- the databases and the repository --------------------------------------

PROD=${DBS[0]}
REPLICA=${DBS[1]}
SCHEMA="CREATE TABLE t (id integer PRIMARY KEY, a text);
CREATE TABLE big (id integer PRIMARY KEY, v integer);"
load_db "$PROD" -c "$SCHEMA" -c "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g;
INSERT INTO big SELECT g, g FROM generate_series(1, 20) g;"
# The replica holds the same schema with more rows: the long dry run
# backfills its big table in small, paused batches.
load_db "$REPLICA" -c "$SCHEMA" -c "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g;
INSERT INTO big SELECT g, g FROM generate_series(1, 100000) g; ANALYZE big;"

SECRET=mcp-secret-$$
export MCP_PROD_URL="$(db_url "$PROD")&password=$SECRET"
export MCP_REPLICA_URL=$(db_url "$REPLICA")
export MCP_STAGING_URL=$(db_url "mcp_staging_$$")
REPO=$WORK/repo
mkdir -p "$REPO/db"
cat >"$REPO/.schemig.yml" <<'EOF'
environments:
  production:
    url: env:MCP_PROD_URL
    replica: env:MCP_REPLICA_URL
  staging:
    url: env:MCP_STAGING_URL
EOF
cat >"$REPO/db/schema.sql" <<'EOF'
CREATE TABLE t (id integer PRIMARY KEY, a text, b integer NOT NULL DEFAULT 0);
CREATE TABLE big (id integer PRIMARY KEY, v integer);
EOF
# Every row of t has a = 'x': a unique index on it fails on the replica.
printf '%s\n' "CREATE TABLE t (id integer PRIMARY KEY, a text UNIQUE);" \
	"CREATE TABLE big (id integer PRIMARY KEY, v integer);" >"$REPO/db/unique.sql"
git -C "$REPO" init -q && git -C "$REPO" add -A &&
	git -C "$REPO" -c user.name=t -c user.email=t@example.com commit -qm init
HEAD_BEFORE=$(git -C "$REPO" rev-parse HEAD)

# The long plan: big.v to bigint, expand and contract, 1,000 batches of
# 100 rows with 200 ms between them (minutes; it is cancelled).
printf '%s\n' "CREATE TABLE t (id integer PRIMARY KEY, a text);" \
	"CREATE TABLE big (id integer PRIMARY KEY, v bigint);" >"$WORK/long.sql"
if "$BIN" plan --from "$MCP_REPLICA_URL" --to "$WORK/long.sql" "${DEVOPT[@]}" --batch-size 100 \
	--batch-pause 200 --out "$WORK/long.json" >"$WORK/long.out" 2>&1; then
	ok "long-plan"
else
	fail "long-plan" "$(head -c 300 "$WORK/long.out")"
fi

# ---- the SDK client and the raw script -------------------------------------

# One check per RESULT line; anything else the script printed is shown
# when it ended badly.
run_checks() {
	local out=$WORK/$1.out rc=0 name status why n=0
	shift
	timeout 120 "$@" >"$out" 2>"$out.err" || rc=$?
	while IFS=$'\t' read -r tag name status why; do
		[ "$tag" = RESULT ] || continue
		check "$name" "$status" "$why"
		n=$((n + 1))
	done <"$out"
	[ "$rc" -eq 0 ] && [ "$n" -gt 0 ] ||
		fail "$(basename "$2")/ran" "exit $rc after $n checks: $(tail -c 600 "$out.err")"
}

export MCP_SDK=$SDK_DIR MCP_BIN=$BIN MCP_REPO=$REPO MCP_SECRET=$SECRET
export MCP_PROD_RAW=${MCP_PROD_URL%&password=*} MCP_LONG_PLAN=$WORK/long.json
run_checks client node "$TESTS/mcp/client.mjs"
run_checks conformance python3 "$TESTS/mcp/conformance.py" "$BIN" "$REPO"

# ---- what the calls left ---------------------------------------------------

no_diff "replica-unchanged" "$MCP_REPLICA_URL" "$MCP_PROD_URL"
rows=$("${PSQL[@]}" -At -d "$(db_url "$PROD")" -c "SELECT count(*) FROM t")
check "lint-never-ran" "$([ "$rows" = 100 ] && echo 0 || echo 1)" "production's t has $rows rows"
check "propose/not-committed" "$([ "$(git -C "$REPO" rev-parse HEAD)" = "$HEAD_BEFORE" ] && echo 0 || echo 1)"
untracked=$(git -C "$REPO" status --porcelain -- migrations | grep -c '^??')
check "propose/in-working-tree" "$([ "$untracked" -gt 0 ] && echo 0 || echo 1)" "git status: $(git -C "$REPO" status --porcelain)"
leftover=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'schemig-mcp.*' -newer "$WORK/long.sql" 2>/dev/null | head -3)
check "tmpdir-removed" "$([ -z "$leftover" ] && echo 0 || echo 1)" "$leftover"

suite_end
