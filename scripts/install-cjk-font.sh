#!/usr/bin/env bash
# A CJK font for the Chinese labels of `jixiao summarize --plot` (WenQuanYi Micro Hei, ~5 MB).
# Debian/Ubuntu as root or with sudo; elsewhere install any font named in configs/summary.toml [plot].
# Without one, plots fall back to English labels and say so.
set -euo pipefail
if fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if command -v apt-get >/dev/null 2>&1; then
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends fonts-wqy-microhei
else
  echo "no apt-get here: install a CJK font (e.g. WenQuanYi Micro Hei, Noto Sans CJK SC) by hand" >&2
fi
# matplotlib caches the font list; a new font needs the cache rebuilt
rm -rf "${HOME:-/root}/.cache/matplotlib" 2>/dev/null || true
