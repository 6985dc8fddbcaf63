#!/usr/bin/env bash
# Writes the shell completions and the man page that ccwake generates from its
# own flag table into DIR (default build/): DIR/completions/ccwake.{bash,zsh,fish}
# and DIR/man/ccwake.1. Release archives and the Homebrew formula ship them.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
mkdir -p "$dir/completions" "$dir/man"
bin="$(mktemp -d)/ccwake"
trap 'rm -rf "$(dirname "$bin")"' EXIT
"${GO:-go}" build -o "$bin" ./cmd/ccwake
for sh in bash zsh fish; do
	"$bin" completion "$sh" >"$dir/completions/ccwake.$sh"
done
"$bin" man >"$dir/man/ccwake.1"
