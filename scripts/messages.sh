#!/usr/bin/env bash
# Refresh every Russian catalogue from the sources and compile them. Each app has its own
# catalogue (<app>/locale); the project templates have templates/locale. A lock keeps two runs apart.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$PWD/.venv/bin/python}
APPS=(onebuh subscribers billing infobases support operations templates)
mkdir -p var
exec 9>var/messages.lock
flock 9
for app in "${APPS[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && "$PY" ../manage.py makemessages -l ru --no-obsolete --no-location --no-wrap -v0)
done
if [ "${1:-}" != "--no-compile" ]; then
  root=$PWD
  for app in "${APPS[@]}"; do (cd "$app" && "$PY" "$root/manage.py" compilemessages -l ru -v0 -i .venv -i var); done
fi
