# Sourced by the backup scripts: put PostgreSQL's client programs on PATH when they are only
# installed under /usr/lib/postgresql/<version>/bin (Debian), newest version first.
if ! command -v pg_dump >/dev/null 2>&1; then
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$dir/pg_dump" ]; then PATH="$dir:$PATH"; break; fi
  done
fi
command -v pg_dump >/dev/null 2>&1 || { echo "pg_dump not found: install postgresql-client" >&2; exit 1; }
