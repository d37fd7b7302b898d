#!/bin/sh
# Browser tests drive Debian's Chromium headless. Install it (and its driver) when it is
# missing and we may: as root with apt-get. Elsewhere say what to install; the browser
# tests then skip and name the reason.
set -e
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
	echo "Installing Debian's chromium for the browser tests..."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
	echo "chromium is not installed and cannot be installed here (needs root and apt-get):"
	echo "browser tests will be skipped. Install it with: sudo apt-get install chromium"
fi
