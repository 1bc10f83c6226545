#!/usr/bin/env bash
# Test set-up for the HTML report's browser tests (tests/test_report_browser.py):
# Debian's chromium and a CJK font, so the page renders Chinese in screenshots.
# Playwright drives /usr/bin/chromium over CDP, so no chromium-driver and no
# `playwright install` (no browser download); the Python driver comes with '.[test]'.
# Idempotent; without root or apt it says so and the browser tests skip.
set -euo pipefail
if [ -x /usr/bin/chromium ] && dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  echo "chromium and fonts-noto-cjk already installed"; exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "install_browser: not root and no sudo; browser tests will skip" >&2; exit 0; fi
fi
if ! command -v apt-get >/dev/null; then
  echo "install_browser: no apt-get; browser tests will skip" >&2; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
/usr/bin/chromium --version
