#!/bin/sh
# Prints the workspace folders an image of workspace package $1 must carry the built output of:
# the package's own and those of every workspace among its production dependencies, transitively,
# one per line, relative to the monorepo root (the current directory). Read from npm's resolution
# of the installed tree, so that no Dockerfile lists them by hand and a moved folder needs no edit.
#   deploy/image/runtime-workspaces.sh @platform/task   # apps/task, libs/argo-client, ...
set -eu

package="${1:?usage: runtime-workspaces.sh <workspace package name>}"
root=$(pwd -P)

# npm ls names each package by its node_modules path; a workspace's is a link into the repo.
folders=$(
  npm ls --workspace="$package" --omit=dev --all --parseable 2>/dev/null |
    while read -r path; do
      real=$(realpath "$path")
      case "$real" in
        "$root" | */node_modules/*) ;;
        "$root"/*) echo "${real#"$root"/}" ;;
      esac
    done | sort -u
)

if [ -z "$folders" ]; then
  echo "runtime-workspaces.sh: $package is not a workspace of $root (or npm ls failed)" >&2
  exit 1
fi
echo "$folders"
