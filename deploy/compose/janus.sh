#!/bin/sh
# A media host's Janus in the compose trial: Plenary writes its configuration
# from the environment (port $1, RTP ports $2), then Janus runs in the foreground.
set -eu
PLENARY_JANUS_PORT="$1" PLENARY_JANUS_RTP_PORTS="$2" \
  /opt/plenary/.venv/bin/plenary janus-config "/tmp/janus-$1" --listen 0.0.0.0
exec janus -F "/tmp/janus-$1" -o
