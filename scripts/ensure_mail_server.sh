#!/usr/bin/env bash
# The test peer of the support mailbox: Debian's Dovecot IMAP server, installed when missing.
# It is never started as a system service: tests/support/dovecot.py starts a private instance
# (own config, maildir and throwaway certificate under a temp dir) on a port of its own.
set -euo pipefail
sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"

if ! command -v dovecot >/dev/null && [ ! -x /usr/sbin/dovecot ]; then
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    echo "Dovecot is missing: install the Debian package 'dovecot-imapd' and run again." >&2
    exit 1
  fi
  $sudo apt-get update -qq
  # policy-rc.d-less machines would start the system service: stop it again right away.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dovecot-imapd openssl >/dev/null
  $sudo systemctl disable --now dovecot >/dev/null 2>&1 || $sudo service dovecot stop >/dev/null 2>&1 || true
fi
