#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty media directory.
#   DATABASE_URL=postgres://.../new_db MEIRIM_MEDIA_ROOT=/srv/meirim/media scripts/restore.sh DIRECTORY
# Create the database first (createdb, or CREATE DATABASE); the script refuses a database that
# already has tables or a media directory that already has files, so nothing is overwritten.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/pg-bin.sh
. "$ROOT/scripts/pg-bin.sh"

IN="${1:?usage: scripts/restore.sh DIRECTORY}"
: "${DATABASE_URL:?DATABASE_URL must name the empty PostgreSQL database to restore into}"
MEDIA="${MEIRIM_MEDIA_ROOT:-$ROOT/var/media}"
for file in database.dump media.tar.gz; do
  [ -f "$IN/$file" ] || { echo "$IN/$file is missing" >&2; exit 1; }
done

tables=$(psql --no-psqlrc -tAq -d "$DATABASE_URL" \
  -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
[ "$tables" = "0" ] || { echo "The database already has $tables tables; restore into an empty one" >&2; exit 1; }
if [ -d "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ]; then
  echo "$MEDIA is not empty; restore into an empty media directory" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  -d "$DATABASE_URL" "$IN/database.dump"
mkdir -p "$MEDIA"
tar -C "$MEDIA" -xzf "$IN/media.tar.gz"
echo "Restored $IN into the database and $MEDIA"
