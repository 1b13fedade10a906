#!/usr/bin/env bash
# Serve the demo: the task worker in the background, the web server in the foreground.
# Ctrl+C (or the end of the web server) stops both.
# Usage: scripts/demo-serve.sh PYTHON HOST:PORT
set -u
python="$1"
address="$2"

# The registry's daily task (expiry, notices) schedules itself; enqueue the first run.
"$python" manage.py recognition_schedule
"$python" manage.py db_worker --no-reload --queue-name default,relative &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$python" manage.py runserver "$address"
