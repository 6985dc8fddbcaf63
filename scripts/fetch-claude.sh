#!/usr/bin/env bash
# Fetches one Claude Code release for the opt-in end-to-end test (e2e/) and
# prints the path of its runnable entry point on stdout:
#   - linux-x64 native builds (2.1.110 and later): <cache>/<version>/package/claude
#   - older releases: the npm package's <cache>/<version>/package/cli.js (run it with node)
# Usage: scripts/fetch-claude.sh VERSION [CACHE_DIR]   (CACHE_DIR default: $HOME/.cache/ccwake-e2e)
# Then:  CCWAKE_E2E_CLAUDE=$(scripts/fetch-claude.sh 2.1.330) go test -v -count=1 -timeout 15m ./e2e/
# It uses npm pack (no install scripts run) and caches: a second call is instant.
set -euo pipefail

version="${1:?usage: fetch-claude.sh VERSION [CACHE_DIR]}"
cache="${2:-${CCWAKE_E2E_CACHE:-$HOME/.cache/ccwake-e2e}}"
dir="$cache/$version"

# native reports whether VERSION has a linux-x64 native package (2.1.110+).
native() {
	local major minor patch
	IFS=. read -r major minor patch <<<"$1"
	patch="${patch%%[!0-9]*}"
	((major > 2 || (major == 2 && minor > 1) || (major == 2 && minor == 1 && patch >= 110)))
}

if native "$version"; then
	pkg="@anthropic-ai/claude-code-linux-x64@$version"
	entry="$dir/package/claude"
else
	pkg="@anthropic-ai/claude-code@$version"
	entry="$dir/package/cli.js"
fi

if [ ! -e "$entry" ]; then
	mkdir -p "$dir"
	tmp="$(mktemp -d "$dir/.fetch.XXXXXX")"
	trap 'rm -rf "$tmp"' EXIT
	echo "fetching $pkg into $dir" >&2
	tarball="$(cd "$tmp" && npm pack --silent "$pkg" | tail -n 1)"
	tar -xzf "$tmp/$tarball" -C "$tmp"
	rm -rf "$dir/package"
	mv "$tmp/package" "$dir/package"
	[ "${entry##*.}" = js ] || chmod +x "$entry"
fi

if [ "${entry##*.}" = js ]; then
	node "$entry" --version >&2
else
	"$entry" --version >&2
fi
echo "$entry"
