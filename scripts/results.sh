#!/usr/bin/env bash
# Results of the long jobs (make check-debug, make stress, make fuzz), kept
# outside the repo so that `make check` can report them without running
# them again: ${TCPLIMIT_CACHE:-/var/cache/tcplimit}/results/NAME-TREE,
# where TREE hashes every tracked file the module, the tools and the tests
# are made of (working copy contents, so an uncommitted change counts).
# A result of another tree is never shown. A long job sets
# TCPLIMIT_RESULT_TREE (results.sh tree) when it starts: its verdict is
# saved for the tree it ran, not for one edited while it ran.
#   results.sh tree              print TREE
#   results.sh save NAME FILE    keep FILE as NAME's result for this tree
#   results.sh show NAME         print it; exit 1 when there is none
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
dir=${TCPLIMIT_CACHE:-/var/cache/tcplimit}/results

tree() {
	git ls-files -z Kbuild Makefile module uapi tools selftests scripts |
		xargs -0 sha256sum | sha256sum | cut -c1-16
}

case "${1:-}" in
tree) tree ;;
save)
	[ $# -eq 3 ] || { echo "usage: results.sh save NAME FILE" >&2; exit 2; }
	mkdir -p "$dir"
	f=$dir/$2-${TCPLIMIT_RESULT_TREE:-$(tree)}
	cp "$3" "$f.tmp" && mv "$f.tmp" "$f"
	;;
show)
	[ $# -eq 2 ] || { echo "usage: results.sh show NAME" >&2; exit 2; }
	f=$dir/$2-$(tree)
	[ -r "$f" ] || exit 1
	cat "$f"
	;;
*) echo "usage: results.sh tree | save NAME FILE | show NAME" >&2; exit 2 ;;
esac
