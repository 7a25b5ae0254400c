#!/usr/bin/env bash
# Refresh every Russian catalogue from the sources and compile them. Each app has its own
# catalogue (<app>/locale); the project templates have templates/locale. A lock keeps two runs apart.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$PWD/.venv/bin/python}
APPS=(onebuh subscribers billing infobases support operations api outbox templates)
mkdir -p var
exec 9>var/messages.lock
flock 9
# Inside an app's folder support/api.py could shadow the "api" app: scripts/app_manage.py says why.
manage_here() { "$PY" "$root/scripts/app_manage.py" "$@"; }
root=$PWD
for app in "${APPS[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && manage_here makemessages -l ru --no-obsolete --no-location --no-wrap -v0)
done
if [ "${1:-}" != "--no-compile" ]; then
  for app in "${APPS[@]}"; do (cd "$app" && manage_here compilemessages -l ru -v0 -i .venv -i var); done
fi
