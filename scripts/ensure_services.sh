#!/usr/bin/env bash
# PostgreSQL and Redis on 127.0.0.1 for the test suite: start them if stopped, install if absent.
set -euo pipefail
sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"

install_pkg() {
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    echo "PostgreSQL/Redis are missing: install the Debian packages '$*' and run again." >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  command -v pg_ctlcluster >/dev/null || install_pkg postgresql
  for version in $(ls /etc/postgresql 2>/dev/null); do
    $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
fi

if ! redis_up; then
  command -v redis-server >/dev/null || install_pkg redis-server
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  $sudo redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  redis_up || { echo "Redis does not answer on 127.0.0.1:6379" >&2; exit 1; }
fi

# The test role connects over TCP as postgres (trust auth on this machine kind). Make sure it can,
# and tell how to fix it where the server asks for a password.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1; then
  echo "PostgreSQL runs but refuses 'postgres' on 127.0.0.1: set DATABASE_URL to a role that may" \
       "create databases (e.g. postgres://user:pass@127.0.0.1:5432/onebuh)." >&2
  exit 1
fi
