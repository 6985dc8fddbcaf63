#!/usr/bin/env bash
# Makes sure tmux is installed: the integration tests run a real tmux server
# on a private socket. A tmux already on $PATH is used as it is, on any OS.
# Without one, it installs tmux with apt-get on Debian and Ubuntu (as root, or
# via sudo); elsewhere it says what to install and fails, rather than let the
# tmux tests skip silently. CCWAKE_NO_TMUX=1 runs the tests without tmux (they
# skip themselves).
set -euo pipefail
if command -v tmux >/dev/null 2>&1; then
	exit 0
fi
if [ -n "${CCWAKE_NO_TMUX:-}" ]; then
	echo "tmux not found: CCWAKE_NO_TMUX is set, the tmux tests will skip" >&2
	exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
	echo "tmux not found: installing it with apt-get" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tmux >/dev/null
	tmux -V
	exit 0
fi
cat >&2 <<'MSG'
tmux not found: the integration tests need it (a real tmux server on a private socket).
Install it, then run make test again:
  macOS (Homebrew)   brew install tmux
  Fedora / RHEL      sudo dnf install tmux
  Arch               sudo pacman -S tmux
  Alpine             sudo apk add tmux
  openSUSE           sudo zypper install tmux
Or run without the tmux tests: CCWAKE_NO_TMUX=1 make test, or the quick loop: go test -short ./...
MSG
exit 1
