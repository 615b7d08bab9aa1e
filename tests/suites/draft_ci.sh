#!/usr/bin/env bash
# The model's draft through the CI path (issue 14): `generate --llm`
# writes the proven drafted steps into the migration file (drafted_by and
# the model's explanation as comments, the draft in the header), and that
# file applied to the source reaches the target; `ci pr --llm` posts a
# report naming the drafted steps, the model's summary and renames, or
# why the draft was not used; model output full of markup (mentions,
# links, images, HTML, a new line) is escaped in the posted comment.
# Against the stand-in model API (tests/llm/fake_llm.py), the stand-in
# GitHub API (tests/report/fake_api.py) and the real PostgreSQL.
#
#   tests/suites/draft_ci.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=draft_ci
P=schemig_draftci_$$
DBS=("${P}_db" "${P}_rep" "${P}_apply")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_fake_llm || { fail setup "the model stand-in never listened"; exit 1; }
export TEST_LLM_KEY=sk-test-dr4ft-c1-0000

cat >"$WORK/current.sql" <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, email text, name text);
CREATE TABLE public.audit (id bigint PRIMARY KEY, note text);
SQL
# The database and its replica (a second copy), both at current.sql.
for d in db rep; do
	load_db "${P}_$d" -f "$WORK/current.sql"
done >"$WORK/setup.log" 2>&1
check setup $? "$(tail -3 "$WORK/setup.log")"
export CI_DB_URL CI_REPLICA_URL
CI_DB_URL=$(db_url "${P}_db")
CI_REPLICA_URL=$(db_url "${P}_rep")

repo=$WORK/repo
mkdir -p "$repo/db" && cd "$repo" && git init -q . &&
	git config user.email ci@example.com && git config user.name ci
cat >db/schema.sql <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, email text, name text, nick text);
CREATE INDEX users_email_idx ON public.users (email);
CREATE TABLE public.audit (id bigint PRIMARY KEY, note text);
SQL
# The answers' cache lives in the working tree: not committed.
echo .schemig/ >.gitignore
# config MODEL: .schemig.yml with that stand-in model.
config() {
	cat >.schemig.yml <<YML
dialect: postgres
schema: db/schema.sql
migrations: { format: sql, dir: migrations }
environments:
  staging: { url: env:CI_DB_URL, replica: env:CI_REPLICA_URL }
llm:
  provider: anthropic
  model: $1
  base_url: $BASE
  api_key: env:TEST_LLM_KEY
  timeout_s: 10
YML
}
config plan-ok
git add -A && git commit -qm schema
nreq() { wc -l <"$LLOG"; }

# --- generate --llm ---------------------------------------------------------
# --llm does not go with --plan (a plan file is already made).
"$BIN" generate --plan x.json --llm >/dev/null 2>"$WORK/usage.err"
[ $? = 2 ] && grep -q 'does not go with .*--llm' "$WORK/usage.err"
check generate-llm-not-with-plan $? "$(cat "$WORK/usage.err")"

"$BIN" generate --from "$WORK/current.sql" --llm --name add_nick "${DEVOPT[@]}" >"$WORK/gen.out" 2>"$WORK/gen.err"
check generate-llm $? "$(tail -3 "$WORK/gen.err")"
[ "$(nreq)" -eq 1 ]
check generate-asked-the-model $? "$(nreq) requests"
up=
for f in migrations/*.sql; do
	case "$f" in *.down.sql) ;; *) up=$f ;; esac
done
# The header names the draft; each step says who drafted it and why.
grep -q '^-- Drafted by anthropic/plan-ok: proven on a throwaway copy$' "$up" &&
	grep -q '^--   summary: drafted by plan-ok$' "$up" &&
	grep -q '^-- step 1: .*(drafted by anthropic/plan-ok)$' "$up" &&
	grep -q '^-- as the engine has it: ' "$up"
check migration-holds-drafted-steps $? "$(head -c 900 "$up" 2>&1)"
# The migration file itself, run on a copy of the source, reaches the
# target.
load_db "${P}_apply" -f "$WORK/current.sql" &&
	"${PSQL[@]}" -d "$(db_url "${P}_apply")" -f "$up" >/dev/null 2>"$WORK/apply.err"
check drafted-migration-applies $? "$(head -c 300 "$WORK/apply.err")"
no_diff drafted-migration-reaches-target "$(db_url "${P}_apply")" "$repo/db/schema.sql"
# Knex and Alembic say it in their own comments (the cached answer).
"$BIN" generate --from "$WORK/current.sql" --llm --emitter knex --dir "$WORK/knex" "${DEVOPT[@]}" >/dev/null 2>"$WORK/knex.err" &&
	"$BIN" generate --from "$WORK/current.sql" --llm --emitter alembic --dir "$WORK/alembic" "${DEVOPT[@]}" >/dev/null 2>"$WORK/alembic.err" &&
	grep -rq '^  // drafted by anthropic/plan-ok$' "$WORK/knex" &&
	grep -rq '^// Drafted by anthropic/plan-ok: proven' "$WORK/knex" &&
	grep -rq '^    # drafted by anthropic/plan-ok$' "$WORK/alembic" &&
	grep -rq '^# Drafted by anthropic/plan-ok: proven' "$WORK/alembic"
check knex-alembic-comments $? "$(tail -n 2 "$WORK/knex.err" "$WORK/alembic.err")"
git add -A && git commit -qm migration

# --- ci pr --llm ------------------------------------------------------------
start_fake api
export GITHUB_API_URL=$API GITHUB_REPOSITORY=acme/shop GITHUB_TOKEN=t0ken
# posted N: the body of the last comment posted or updated, into
# $WORK/N.md.
posted() {
	python3 - "$LOG" >"$WORK/$1.md" <<'PY'
import json, sys
bodies = [r["body"]["body"] for r in map(json.loads, open(sys.argv[1]))
          if r["method"] in ("POST", "PATCH") and isinstance(r.get("body"), dict)
          and "body" in r["body"]]
print(bodies[-1] if bodies else "")
PY
}
"$BIN" ci pr --env staging --from "$WORK/current.sql" --llm --post github --pr 7 >/dev/null 2>"$WORK/pr.err"
check ci-pr-llm $? "$(tail -3 "$WORK/pr.err")"
posted pr
# The cached answer drafts the same steps: the committed migration is
# the one this plan implies. (The proof copies the source from its DDL
# text: --from names it; the dry run is still on the replica.)
grep -q 'Migrations: committed' "$WORK/pr.md"
check drafted-migration-committed $? "$(grep -i migrations "$WORK/pr.md")"
grep -q '^### Drafted by a model$' "$WORK/pr.md" &&
	grep -q '^Drafted by anthropic/plan-ok, proven on a throwaway copy' "$WORK/pr.md" &&
	grep -q "^The model's summary: drafted by plan-ok$" "$WORK/pr.md" &&
	grep -q '^- step 1 (anthropic/plan-ok): as the engine has it: ' "$WORK/pr.md"
check comment-shows-draft $? "$(grep -A8 'Drafted by a model' "$WORK/pr.md" | head -c 600)"
! grep -qF "$TEST_LLM_KEY" "$WORK/pr.md" "$WORK/pr.err"
check key-not-posted $?

# --no-cache asks again; --no-cache alone is a usage error (ci merge
# --llm asks for advice on an escalation: tests/suites/advice.sh).
n=$(nreq)
"$BIN" ci pr --env staging --from "$WORK/current.sql" --llm --no-cache --report-out "$WORK/nc.md" >/dev/null 2>"$WORK/nc.err" &&
	[ "$(nreq)" -eq $((n + 1)) ]
check ci-pr-no-cache $? "$(($(nreq) - n)) requests: $(tail -2 "$WORK/nc.err")"
"$BIN" ci pr --no-cache >/dev/null 2>&1
r1=$?
[ $r1 = 2 ]
check ci-llm-usage $? "ci pr --no-cache: $r1"

# A live source (the environment's database): its schema is rendered as
# DDL for the proof's copy, and the draft is proven and used.
config plan-ok
n=$(nreq)
"$BIN" ci pr --env staging --llm --no-cache --report-out "$WORK/live.md" >/dev/null 2>"$WORK/live.err"
[ "$(nreq)" -eq $((n + 1)) ] && grep -q '^- step 1 (anthropic/plan-ok' "$WORK/live.md"
check live-source-proven $? "$(($(nreq) - n)) requests: $(grep -A3 'Drafted by a model' "$WORK/live.md" | head -c 500) $(tail -3 "$WORK/live.err")"

# A draft that is never proven (a DROP TABLE slipped in every round): the
# engine's plan, and the report says why.
config plan-inject
"$BIN" ci pr --env staging --from "$WORK/current.sql" --llm --report-out "$WORK/fb.md" >/dev/null 2>"$WORK/fb.err"
grep -q "^The model's draft was not used: .*public\.audit.*The engine's plan stands" "$WORK/fb.md" &&
	! grep -q '^- step 1 (anthropic' "$WORK/fb.md"
check fallback-reason-in-report $? "$(grep -A3 'Drafted by a model' "$WORK/fb.md" | head -c 600)"

# Model output full of markup: escaped in the posted comment, on one line.
config plan-hostile
# (Exit 1: other explanations make another plan than the committed one.)
"$BIN" ci pr --env staging --from "$WORK/current.sql" --llm --post github --pr 9 >/dev/null 2>"$WORK/h.err"
grep -q 'report posted on acme/shop#9\|report updated on acme/shop#9' "$WORK/h.err"
check ci-pr-hostile $? "$(tail -3 "$WORK/h.err")"
posted hostile
python3 - "$WORK/hostile.md" <<'PY'
import re, sys
body = open(sys.argv[1]).read()
sec = body[body.index("### Drafted by a model"):body.index("### Rollback")]
lines = [l for l in sec.splitlines() if "octocat" in l]
# The summary and each step's explanation.
assert len(lines) >= 2 and lines[0].startswith("The model's summary: "), lines
for l in lines:
    assert re.search(r"(?<!\\)@octocat", l) is None, l      # no mention
    assert re.search(r"(?<!\\)<", l) is None and "\\<img" in l, l  # no HTML
    assert "](" not in l.replace("\\](", ""), l            # no link
    assert "\\!\\[i\\]" in l, l                              # no image
    assert "**bold**" not in l and "\\*\\*bold\\*\\*" in l, l
    assert "a\\|b" in l, l                                  # no cell break
assert not re.search(r"^#+ heading", body, re.M), "a heading got out"
PY
check hostile-summary-escaped $?

# The report's JSON: the draft record and each step's author, as data
# (the raw text: JSON escaping is the reader's).
"$BIN" plan --from "$WORK/current.sql" --llm --out "$WORK/hostile.json" "${DEVOPT[@]}" >/dev/null 2>&1 &&
	"$BIN" report --plan "$WORK/hostile.json" --format json >"$WORK/rep.json" 2>"$WORK/rep.err" &&
	python3 - "$WORK/rep.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
d = r["draft"]
assert d["by"] == "anthropic/plan-hostile" and d["accepted"] is True, d
assert d["summary"].startswith("ok @octocat see [here]"), d["summary"]
assert all(s["drafted_by"] == "anthropic/plan-hostile" for s in r["steps"]), r["steps"]
assert r["steps"][0]["note"].startswith("step ok @octocat"), r["steps"][0]
PY
check report-json-draft $? "$(head -c 300 "$WORK/rep.err")"

suite_end summary
