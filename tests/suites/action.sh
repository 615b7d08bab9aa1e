#!/usr/bin/env bash
# The GitHub Action's path: the image (Dockerfile) installs with the same
# script as the GitLab template (ci/install-deps.sh --runtime) and runs
# ci/action.sh, which is run here the way the container runs it: the
# inputs as environment variables, the checkout owned by another user
# than the one running (the runner's user outside, root inside).
#
#   tests/suites/action.sh BIN      (suite contract: tests/run.sh)
set -uo pipefail

SUITE=action
SUITE_NO_SERVER=1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

ENTRY=$ROOT/ci/action.sh

# The image is built by the runtime installer and enters through the
# entry point; action.yml runs that image and hands it every input.
grep -q '^FROM debian:bookworm' "$ROOT/Dockerfile" &&
	grep -q 'ci/install-deps.sh --runtime' "$ROOT/Dockerfile" &&
	grep -q '^ENTRYPOINT \["/opt/git-schemig/ci/action.sh"\]' "$ROOT/Dockerfile"
check image/runtime-installer-and-entry $?
for input in command environment fail-on-breaking working-directory token; do
	grep -q "\${{ inputs.$input }}" "$ROOT/action.yml"
	check "action.yml/passes-$input" $?
done
grep -q 'ci/install-deps.sh --runtime' "$ROOT/ci/gitlab-ci.yml"
check gitlab/same-installer $?

# A checkout with a schema file, committed.
repo=$WORK/workspace
mkdir -p "$repo/sub/db"
printf '%s\n' "CREATE TABLE t (id int PRIMARY KEY);" >"$repo/sub/db/schema.sql"
printf '%s\n' "CREATE TABLE t (id int PRIMARY KEY, name text);" >"$repo/sub/db/next.sql"
printf '%s\n' "dialect: postgres" "schema: sub/db/schema.sql" "environments:" \
	"  staging: { url: env:STAGING_DATABASE_URL }" >"$repo/.schemig.yml"
git -C "$repo" init -q
git -C "$repo" -c user.email=t@example.com -c user.name=t add -A
git -C "$repo" -c user.email=t@example.com -c user.name=t commit -q -m schema

home=$WORK/home
mkdir -p "$home"

# Run the entry point as the container does.
action() { # OUT ERR [VAR=VALUE...]
	local out=$1 err=$2
	shift 2
	env -i PATH="$PATH" HOME="$home" GITHUB_WORKSPACE="$repo" SCHEMIG_BIN="$BIN" \
		"$@" bash "$ENTRY" >"$out" 2>"$err"
}

action "$WORK/o1" "$WORK/e1" SCHEMIG_WORKING_DIRECTORY=sub \
	SCHEMIG_COMMAND="diff --parse --from git:HEAD:sub/db/schema.sql --to db/next.sql"
rc=$?
[ $rc -eq 0 ] && grep -q 'ADD COLUMN name text' "$WORK/o1"
check run/command-in-working-directory $? "exit $rc: $(head -c 300 "$WORK/e1")"

# The command line is split on blanks, never evaluated by a shell.
action "$WORK/o2" "$WORK/e2" SCHEMIG_COMMAND='diff --from $(touch '"$WORK"'/pwned) --to x'
[ ! -e "$WORK/pwned" ]
check run/command-not-evaluated $?

# The working directory stays inside the workspace.
action "$WORK/o3" "$WORK/e3" SCHEMIG_WORKING_DIRECTORY=../.. SCHEMIG_COMMAND=version
rc=$?
[ $rc -eq 2 ] && grep -q 'inside the workspace' "$WORK/e3"
check run/working-directory-escape-refused $? "exit $rc: $(cat "$WORK/e3")"

# environment and fail-on-breaking become flags: an unknown environment
# is named by the command itself.
action "$WORK/o4" "$WORK/e4" SCHEMIG_ENVIRONMENT=nowhere \
	SCHEMIG_COMMAND="plan --to sub/db/next.sql"
rc=$?
[ $rc -ne 0 ] && grep -q 'nowhere' "$WORK/e4"
check run/environment-flag $? "exit $rc: $(head -c 300 "$WORK/e4")"

# The checkout belongs to another user (as the runner's checkout does in
# the container): libgit2 refuses it unless safe.directory names it,
# which the entry point does for the workspace only.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chown -R nobody "$repo"
	rm -f "$home/.gitconfig"
	(cd "$repo/sub" && env -i PATH="$PATH" HOME="$home" "$BIN" diff --parse \
		--from git:HEAD:sub/db/schema.sql --to db/next.sql >"$WORK/o5" 2>"$WORK/e5")
	rc=$?
	[ $rc -ne 0 ] && grep -q 'not owned by the current user' "$WORK/e5" &&
		grep -q 'safe.directory' "$WORK/e5"
	check owner/refused-without-safe-directory $? "exit $rc: $(head -c 300 "$WORK/e5")"
	action "$WORK/o6" "$WORK/e6" SCHEMIG_WORKING_DIRECTORY=sub \
		SCHEMIG_COMMAND="diff --parse --from git:HEAD:sub/db/schema.sql --to db/next.sql"
	rc=$?
	[ $rc -eq 0 ] && grep -q 'ADD COLUMN name text' "$WORK/o6" &&
		grep -qx "	directory = $repo" "$home/.gitconfig"
	check owner/entry-point-names-the-workspace $? "exit $rc: $(head -c 300 "$WORK/e6")"
fi

suite_end
