#!/usr/bin/env bash
# Back up meirim into DIRECTORY: the database as DIRECTORY/database.dump (pg_dump custom format)
# and the uploaded files (evidence) as DIRECTORY/media.tar.gz.
#   DATABASE_URL=postgres://... MEIRIM_MEDIA_ROOT=/srv/meirim/media scripts/backup.sh DIRECTORY
# Reads the same variables as the platform; MEIRIM_MEDIA_ROOT defaults to var/media.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/pg-bin.sh
. "$ROOT/scripts/pg-bin.sh"

OUT="${1:?usage: scripts/backup.sh DIRECTORY}"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
MEDIA="${MEIRIM_MEDIA_ROOT:-$ROOT/var/media}"

mkdir -p "$OUT"
[ -e "$OUT/database.dump" ] && { echo "$OUT already holds a backup; choose a new directory" >&2; exit 1; }
pg_dump --format=custom --no-owner --no-privileges --file "$OUT/database.dump" "$DATABASE_URL"
if [ -d "$MEDIA" ]; then
  tar -C "$MEDIA" -czf "$OUT/media.tar.gz" .
else
  tar -czf "$OUT/media.tar.gz" -T /dev/null
fi
echo "Backed up the database to $OUT/database.dump and $MEDIA to $OUT/media.tar.gz"
