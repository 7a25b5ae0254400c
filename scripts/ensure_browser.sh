#!/usr/bin/env bash
# Debian's Chromium for the end-to-end tests (tests/e2e): Playwright drives /usr/bin/chromium and
# never downloads a browser of its own. Installed only when missing, as root through apt-get.
set -euo pipefail
chromium="${ONEBUH_E2E_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "The end-to-end tests need Chromium at $chromium: apt-get install chromium" >&2; exit 1
fi
echo "Installing Debian package: chromium (for the end-to-end tests)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
[ -x "$chromium" ] || { echo "chromium is installed but $chromium is missing" >&2; exit 1; }
