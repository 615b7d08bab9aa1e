#!/usr/bin/env bash
# The GitHub Action's entry point (the ENTRYPOINT of Dockerfile, which
# action.yml runs): run one git schemig command line in the checkout.
#
# The inputs come as environment variables (action.yml's runs.env):
#   SCHEMIG_COMMAND            the command line (default: ci pr --post github)
#   SCHEMIG_ENVIRONMENT        --env ENVIRONMENT, when not empty
#   SCHEMIG_FAIL_ON_BREAKING   "true": --fail-on-breaking
#   SCHEMIG_WORKING_DIRECTORY  the repository's directory, relative to
#                              GITHUB_WORKSPACE (default ".")
#   GITHUB_TOKEN               the token for the pull-request comment
#
# The command line is split on blanks, never evaluated: no quoting,
# globbing or expansion reaches a shell.
set -euo pipefail

BIN=${SCHEMIG_BIN:-git-schemig}
workspace=${GITHUB_WORKSPACE:-$PWD}
dir=${SCHEMIG_WORKING_DIRECTORY:-.}
case "$dir" in
/* | .. | ../* | */../* | */..)
	echo "schemig action: working-directory must be a path inside the workspace: $dir" >&2
	exit 2
	;;
esac
cd "$workspace/$dir"

# The runner checks the repository out as its own user; the container
# runs as root. libgit2, like git, refuses a repository another user owns
# unless safe.directory names it: name the workspace, and only it.
if [ -n "${HOME:-}" ] && [ -d "$HOME" ] && [ -w "$HOME" ]; then
	printf '[safe]\n\tdirectory = %s\n' "$workspace" >>"$HOME/.gitconfig"
fi

read -r -a args <<<"${SCHEMIG_COMMAND:-ci pr --post github}"
if [ -n "${SCHEMIG_ENVIRONMENT:-}" ]; then
	args+=(--env "$SCHEMIG_ENVIRONMENT")
fi
if [ "${SCHEMIG_FAIL_ON_BREAKING:-false}" = "true" ]; then
	args+=(--fail-on-breaking)
fi
exec "$BIN" "${args[@]}"
