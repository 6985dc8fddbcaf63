#!/usr/bin/env bash
# Makes sure tmux is installed: the integration tests run a real tmux server
# on a private socket. Installs it with apt-get when missing (as root, or via
# sudo when available).
set -euo pipefail
command -v tmux >/dev/null 2>&1 && exit 0
echo "tmux not found: installing it with apt-get" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tmux >/dev/null
tmux -V
