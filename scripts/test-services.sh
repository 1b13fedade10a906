#!/usr/bin/env bash
# Make sure the services the test suite needs are installed and running:
# a PostgreSQL server on a private local port, Debian's Chromium for browser tests, and Pango
# with the DejaVu fonts for the PDFs (WeasyPrint).
# Installs missing Debian packages with apt-get (root, or sudo when available).
# Prints the DATABASE_URL to use on its last line.
set -euo pipefail

PORT="${MEIRIM_TEST_PG_PORT:-54329}"
DATA_DIR="${MEIRIM_TEST_PG_DIR:-/tmp/meirim-pg-$PORT}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  echo "Installing Debian packages: $*" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

pg_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

missing=()
pg_bin_dir >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

BIN="$(pg_bin_dir)"
# PostgreSQL refuses to run as root: use the 'postgres' system user the package created.
if [ "$(id -u)" -eq 0 ]; then RUN=(runuser -u postgres --); else RUN=(); fi

if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
  mkdir -p "$DATA_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA_DIR"
  "${RUN[@]}" "$BIN/initdb" -D "$DATA_DIR" -U meirim --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
# Sized as a server for a national database would be (the benchmarks write millions of rows;
# PostgreSQL's defaults assume 128 MB of memory). fsync is off: the data are throw-away.
PG_SIZING="-c shared_buffers=1GB -c max_wal_size=8GB -c wal_buffers=64MB -c maintenance_work_mem=512MB"
if ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w \
    -o "-p $PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off $PG_SIZING" \
    start >/dev/null
fi
echo "postgres://meirim@127.0.0.1:$PORT/meirim"
