#!/bin/bash
# trial.sh: bring the compose trial up for real, check it, take it down.
#
# Builds the image if it is missing (build-image.sh), starts every service, waits
# for /healthz through haproxy to say every component is ok (PostgreSQL, Redis, the
# task queue, both Janus, both speech workers), checks that no service has exited
# but the migration, then removes the containers and volumes. Needs root and a
# running Docker daemon; exits non-zero, with the services' logs, if anything fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="${PLENARY_COMPOSE_PROJECT:-plenary-trial}"
compose=(docker-compose -f "$here/compose.yaml" -p "$project")
docker info >/dev/null 2>&1 || { echo "Docker's daemon is not running (start it: dockerd &)" >&2; exit 2; }
docker image inspect plenary:bookworm >/dev/null 2>&1 || "$here/build-image.sh"

cleanup() { "${compose[@]}" down -v >/dev/null 2>&1 || true; }
trap cleanup EXIT
"${compose[@]}" up -d

report=""
for _ in $(seq 90); do
  report="$(curl -s -m 10 http://127.0.0.1:8000/healthz || true)"
  if python3 -c 'import json, sys; sys.exit(0 if json.loads(sys.argv[1])["ok"] else 1)' \
    "$report" 2>/dev/null; then
    break
  fi
  report=""
  sleep 2
done
exited="$("${compose[@]}" ps --services --filter status=stopped | grep -vx migrate || true)"
if [ -z "$report" ] || [ -n "$exited" ]; then
  "${compose[@]}" logs --tail 40 >&2
  echo "The compose trial did not come up: health $(curl -s -m 10 http://127.0.0.1:8000/healthz)" >&2
  [ -z "$exited" ] || echo "Exited: $exited" >&2
  exit 1
fi
python3 -c 'import json, sys
for name, c in json.loads(sys.argv[1])["components"].items():
    print(name + ": " + c["status"], c["detail"])' "$report"
echo "The compose trial is up and healthy."
