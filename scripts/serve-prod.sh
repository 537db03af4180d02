#!/usr/bin/env bash
# The production profile on this machine: gunicorn (web), a Celery worker and Celery beat,
# on PostgreSQL and Redis, with production settings. Serves plain HTTP on loopback only.
#
#   make serve-prod                # http://127.0.0.1:8080/  (Ctrl-C stops everything)
#   PORT=9000 WEB_WORKERS=4 make serve-prod
#
# DATABASE_URL and REDIS_URL default to the local PostgreSQL and Redis; the database is
# created if missing, migrated, and the strategy loaded. Stopping (Ctrl-C or SIGTERM) stops
# the three processes and waits for them.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sangyo_prod}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SANGYO_DATA_DIR="${SANGYO_DATA_DIR:-$PWD/var/prod}"
export SANGYO_SITE_URL="${SANGYO_SITE_URL:-http://127.0.0.1:${PORT:-8080}}"
# Loopback HTTP: no TLS redirect, cookies without the Secure flag.
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"
HOST=127.0.0.1
PORT="${PORT:-8080}"
WEB_WORKERS="${WEB_WORKERS:-2}"
mkdir -p "$SANGYO_DATA_DIR"
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s "$SANGYO_DATA_DIR/secret_key" ] || $BIN/python -c "import secrets; print(secrets.token_urlsafe(50))" >"$SANGYO_DATA_DIR/secret_key"
  SECRET_KEY="$(cat "$SANGYO_DATA_DIR/secret_key")"
  export SECRET_KEY
fi

db_name="${DATABASE_URL##*/}"; db_name="${db_name%%\?*}"
admin_url="${DATABASE_URL%/*}/postgres"
if ! $BIN/python - "$admin_url" "$db_name" <<'PY'
import sys, psycopg
url, name = sys.argv[1], sys.argv[2]
with psycopg.connect(url, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"== created database {name}")
PY
then
  echo "PostgreSQL is not reachable at ${DATABASE_URL%/*}; start it or set DATABASE_URL" >&2
  exit 1
fi

echo "== migrate, collect static files, load the strategy"
$BIN/sangyo migrate --noinput -v0
$BIN/sangyo collectstatic --noinput -v0
$BIN/sangyo strategy load "${SANGYO_STRATEGY_FILE:-strategies/tsukuba-2025.yaml}" --make-current
$BIN/sangyo programs load
$BIN/sangyo check --deploy --fail-level ERROR

pids=()
stop() {
  trap - INT TERM EXIT
  echo "== stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "== stopped"
}
trap stop INT TERM EXIT

$BIN/celery -A config worker --loglevel INFO --concurrency 2 --hostname "sangyo@%h" &
pids+=($!)
$BIN/celery -A config beat --loglevel INFO --schedule "$SANGYO_DATA_DIR/celerybeat-schedule" &
pids+=($!)
$BIN/gunicorn config.wsgi --bind "$HOST:$PORT" --workers "$WEB_WORKERS" \
  --access-logfile - --graceful-timeout 20 &
pids+=($!)

echo "== Sangyo (production profile): http://$HOST:$PORT/   readiness: http://$HOST:$PORT/readyz"
# Exit (and stop the others) as soon as any of the three stops.
wait -n "${pids[@]}"
