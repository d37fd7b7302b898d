#!/bin/sh
# Browser tests drive Debian's Chromium headless. Install it, with a CJK font so the
# screenshots show Chinese, when either is missing and we may: as root with apt-get.
# Elsewhere say what to install; without chromium the browser tests skip and say why.
set -e
has_chromium() { command -v chromium >/dev/null 2>&1; }
has_cjk_font() { fc-list 2>/dev/null | grep -qi -e wqy -e "noto.*cjk"; }
if has_chromium && has_cjk_font; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
	echo "Installing Debian's chromium and a CJK font for the browser tests..."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
elif has_chromium; then
	echo "No CJK font: screenshots will show boxes for Chinese (apt-get install fonts-wqy-microhei)."
else
	echo "chromium is not installed and cannot be installed here (needs root and apt-get):"
	echo "browser tests will be skipped. Install it with: sudo apt-get install chromium fonts-wqy-microhei"
fi
