#!/usr/bin/env bash
# Load test (issue 11, item 15): officers searching and opening records while imports run, against gunicorn +
# PostgreSQL on the loopback interface, bounded in time. Everything it starts is stopped on exit.
#
#   scripts/loadtest.sh                       # the full run: 50 officers + 5 importers for 5 minutes
#   RUN_TIME=45s USERS=20 scripts/loadtest.sh # the short CI run (officers = USERS - IMPORTERS)
#
# Environment (all optional): RUN_TIME (5m), USERS (55 = officers + importers), IMPORTERS (5), SPAWN_RATE (10),
# LABORERS (20000, demo_setup), IMPORT_FILES (10), IMPORT_ROWS (300 per file), WORKERS (3 gunicorn workers),
# PG_URL (postgres://postgres@127.0.0.1:5432), DB (laborcoop_load_$$, created and dropped), OUT (var/loadtest/<time>),
# KEEP_DB=1 keeps the database. Exit status: 0 only when locust saw no failure and every import succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"

RUN_TIME=${RUN_TIME:-5m}
IMPORTERS=${IMPORTERS:-5}
USERS=${USERS:-55}
SPAWN_RATE=${SPAWN_RATE:-10}
LABORERS=${LABORERS:-20000}
IMPORT_FILES=${IMPORT_FILES:-10}
IMPORT_ROWS=${IMPORT_ROWS:-300}
WORKERS=${WORKERS:-3}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
DB=${DB:-laborcoop_load_$$}
OUT=${OUT:-$ROOT/var/loadtest/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/imports"

if ! pg_isready -d "$PG_URL/postgres" -q; then
  echo "PostgreSQL is not answering at $PG_URL" >&2
  exit 2
fi

key() { "$PY" -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"; }
export DJANGO_SETTINGS_MODULE=config.settings.loadtest
export DATABASE_URL="$PG_URL/$DB"
export LABORCOOP_VAR_DIR="$OUT/var"
export DJANGO_SECRET_KEY="loadtest-$(key)"
export LABORCOOP_ID_KEY="$(key)"
export LABORCOOP_HASH_KEY="$(key)"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export LABORCOOP_LOG_LEVEL=WARNING

PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -z "${KEEP_DB:-}" ]]; then
    psql "$PG_URL/postgres" -q -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "=== database $DB, output in $OUT"
psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS \"$DB\"" -c "CREATE DATABASE \"$DB\""
"$PY" manage.py migrate --no-input -v0
"$PY" manage.py collectstatic --no-input -v0
started=$(date +%s)
"$PY" manage.py demo_setup --laborers "$LABORERS" >"$OUT/demo_setup.log"
echo "demo_setup --laborers $LABORERS: $(( $(date +%s) - started )) s"

# Import files: persons of 泸溪县 (the county officer's subtree), new people in every file.
"$PY" manage.py shell -c "
from pathlib import Path
from laborcoop.bench.persons_import import bench_villages, generate_rows, write_xlsx
villages = bench_villages(limit=40, prefix='433122')
for n in range($IMPORT_FILES):
    write_xlsx(Path('$OUT/imports') / f'persons_{n:02d}.xlsx', generate_rows($IMPORT_ROWS, villages, seed=7000 + n))
"

PORT=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$ROOT/.venv/bin/gunicorn" config.wsgi:application --chdir src --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 120 --error-logfile "$OUT/gunicorn.log" \
  --access-logfile "$OUT/access.log" --access-logformat '%(m)s %(U)s %(s)s %(D)s' &
PIDS+=($!)
"$PY" manage.py worker --queue-name '*' --no-reload >"$OUT/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null

# Machine load during the run (other processes share the cores): one sample of /proc/loadavg every 10 s.
(while sleep 10; do cut -d' ' -f1 /proc/loadavg; done) >"$OUT/loadavg.txt" &
PIDS+=($!)

echo "=== locust: $USERS users ($IMPORTERS importers) for $RUN_TIME against gunicorn ($WORKERS workers) on 127.0.0.1:$PORT"
locust_status=0
LOADTEST_IMPORTERS="$IMPORTERS" LOADTEST_IMPORT_DIR="$OUT/imports" timeout --kill-after=30 3h \
  "$ROOT/.venv/bin/locust" -f tests/load/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" \
  --run-time "$RUN_TIME" --stop-timeout 30 --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" \
  --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1 || locust_status=$?

imports_ok=0
summary_ok=0
# Imports still queued when the run stopped must finish (bounded), and none may fail.
"$PY" manage.py shell -c "
import sys, time
from laborcoop.intake.models import ImportJob
deadline = time.monotonic() + 300
while ImportJob.objects.exclude(status__in=['succeeded', 'failed']).exists() and time.monotonic() < deadline:
    time.sleep(2)
counts = {s: ImportJob.objects.filter(status=s).count() for s in ['queued', 'running', 'succeeded', 'failed']}
print('import jobs:', counts)
sys.exit(1 if counts['failed'] or counts['queued'] or counts['running'] else 0)
" >"$OUT/imports.txt" 2>&1 || imports_ok=$?
cat "$OUT/imports.txt"

"$PY" - "$OUT/locust_stats.csv" "$OUT/loadavg.txt" "$OUT/access.log" >"$OUT/summary.txt" 2>&1 <<'PYEOF' || summary_ok=$?
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
print(f"{'request':48} {'count':>7} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
for row in rows:
    print(f"{(row['Type'] + ' ' + row['Name'])[:48]:48} {row['Request Count']:>7} {row['Failure Count']:>5} "
          f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f}")
total = next(r for r in rows if r["Name"] == "Aggregated")
print(f"requests/s {float(total['Requests/s']):.1f}")
# Server time per request kind from gunicorn's access log (%(D)s: microseconds inside the worker, without the
# wait for a free worker that locust's figures include). Paths only: the log has no query strings.
import re
from collections import defaultdict
kinds = [
    (r"^/registry/laborers/\d+/$", "/registry/laborers/[id]/"), (r"^/registry/laborers/$", "/registry/laborers/ (list)"),
    (r"^/api/v1/imports/\d+/$", "/api/v1/imports/[id]/"), (r"^/healthz$", "/healthz"), (r"^/intake/$", "/intake/"),
    (r"^/accounts/login/$", "/accounts/login/"),
]
server = defaultdict(list)
for line in open(sys.argv[3], encoding="utf-8", errors="replace") if len(sys.argv) > 3 else []:
    parts = line.split()
    if len(parts) == 4:
        name = next((label for rx, label in kinds if re.match(rx, parts[1])), "other")
        server[f"{parts[0]} {name}"].append(int(parts[3]) / 1000)
if server:
    print(f"server time in the worker (gunicorn access log)   {'count':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for name, values in sorted(server.items()):
        values.sort()
        pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
        print(f"{name[:48]:48} {len(values):>7} {pick(0.5):>7.0f} {pick(0.95):>7.0f}")
loads = [float(x) for x in open(sys.argv[2]).read().split()] if len(sys.argv) > 2 else []
if loads:
    print(f"1-min load average during the run: mean {sum(loads) / len(loads):.1f}, max {max(loads):.1f} ({len(loads)} samples)")
sys.exit(1 if int(total["Failure Count"]) else 0)
PYEOF
cat "$OUT/summary.txt"

if [[ $locust_status -ne 0 || $imports_ok -ne 0 || $summary_ok -ne 0 ]]; then
  echo "LOAD TEST FAILED (locust exit $locust_status, imports $imports_ok, failures $summary_ok); see $OUT" >&2
  [[ -s "$OUT/locust_failures.csv" ]] && cat "$OUT/locust_failures.csv" >&2
  exit 1
fi
echo "load test passed: 0 failures, every import succeeded ($OUT)"
