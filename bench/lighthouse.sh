#!/usr/bin/env bash
# Lighthouse benchmark: the dashboard, an account page and the inbox, logged in, in Lighthouse's
# mobile mode (Moto G Power-like screen, simulated slow 4G and 4x slower CPU), against the app as it
# runs in production (gunicorn, OVERGRAPH_MODE=production, whitenoise's compressed static files) on
# a throwaway SQLite database filled with the browser walk's demo-like data (bench/_lighthouse_data.py).
# Logged in through the browser's cookie jar (bench/_lighthouse_run.mjs says why not --extra-headers).
#
#     bench/lighthouse.sh [--quick]        (--quick: the account page only, the one with a chart in
#                                           its first screen; the full run reads all three pages)
#
# Prints one JSON line, the worst of the pages:
#   {"benchmark":"lighthouse","performance":…,"accessibility":…,"best_practices":…,"js_kb_compressed":…}
# Scores are 0-100; js_kb_compressed is the JavaScript transferred (compressed) by requests started
# before the first contentful paint. Goals: ≥ 90, ≥ 95, ≥ 95, ≤ 400 KB. A benchmark, not a test:
# prints {"benchmark":"lighthouse","skipped":…} and exits 0 when Chromium or npm is missing.
# Lighthouse itself (npm `lighthouse`, no browser download) is installed into var/lighthouse/ on the
# first run; Debian's Chromium runs it (CHROME_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
PY=.venv/bin/python
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
WORK=$PWD/var/lighthouse
LIGHTHOUSE_VERSION=12.8.2

skip() { printf '{"benchmark":"lighthouse","skipped":"%s"}\n' "$1"; exit 0; }
[ -x "$CHROME_PATH" ] || skip "no Chromium at $CHROME_PATH (apt-get install chromium)"
command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 || skip "npm or node is missing"
mkdir -p "$WORK"
LH=$WORK/node_modules/.bin/lighthouse
if [ ! -x "$LH" ]; then
    echo ">>> installing lighthouse@$LIGHTHOUSE_VERSION into $WORK (npm)" >&2
    npm install --prefix "$WORK" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION" >&2 \
        || skip "npm install lighthouse failed"
fi

# Production settings on a throwaway SQLite file; no PostgreSQL/Redis even when CI exports them.
rm -rf "$WORK/db" "$WORK/media" "$WORK/reports"
mkdir -p "$WORK/db" "$WORK/reports"
export OVERGRAPH_MODE=production DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false \
    SQLITE_PATH=$WORK/db/lighthouse.sqlite3 MEDIA_ROOT=$WORK/media DATABASE_URL= REDIS_URL= CELERY_BROKER_URL= \
    PYTHONPATH=$PWD
DJANGO_SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
TOKEN_ENCRYPTION_KEYS=$($PY -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
export DJANGO_SECRET_KEY TOKEN_ENCRYPTION_KEYS

# Compressing every static file takes a minute on these cores: only when a static folder changed
# since the last production collectstatic (whose manifest is staticfiles/staticfiles.json).
STATIC_DIRS=$(find . -path ./.venv -prune -o -path ./staticfiles -prune -o -path ./var -prune -o -path ./node_modules -prune \
    -o -type d -name static -print)
if [ ! -f staticfiles/staticfiles.json ] || [ -n "$(find $STATIC_DIRS -newer staticfiles/staticfiles.json -print -quit)" ]; then
    echo ">>> collectstatic (production: hashed and compressed names)" >&2
    $PY manage.py collectstatic --noinput --verbosity 0
fi
DATA=$($PY bench/_lighthouse_data.py)
COOKIE=$(printf '%s' "$DATA" | $PY -c 'import json, sys; print(json.load(sys.stdin)["cookie"])')
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

.venv/bin/gunicorn overgraph.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
    sleep 0.2
done

PAGES=(dashboard account inbox)
[ $QUICK -eq 1 ] && PAGES=(account)
SPECS=()
for name in "${PAGES[@]}"; do
    SPECS+=("$name=$(printf '%s' "$DATA" | $PY -c "import json, sys; print(json.load(sys.stdin)['pages']['$name'])")")
done
node bench/_lighthouse_run.mjs "$WORK" "http://127.0.0.1:$PORT" "$COOKIE" "$WORK/reports" "${SPECS[@]}" >&2

$PY - "$WORK/reports" "${PAGES[@]}" <<'PYTHON'
import json
import sys
from pathlib import Path

folder, pages = Path(sys.argv[1]), sys.argv[2:]
worst = {"performance": 100, "accessibility": 100, "best_practices": 100, "js_kb_compressed": 0.0}
for name in pages:
    report = json.loads((folder / f"{name}.json").read_text())
    if report.get("runtimeError"):
        raise SystemExit(f"lighthouse failed on {name}: {report['runtimeError']}")
    scores = {key.replace("-", "_"): round(100 * c["score"]) for key, c in report["categories"].items()}
    audits = report["audits"]
    # Observed (not simulated) times: the request times of network-requests are observed ones too,
    # both in ms from the navigation's start.
    metrics = audits["metrics"]["details"]["items"][0]
    first_paint = metrics["observedFirstContentfulPaint"] - metrics["observedNavigationStart"]
    requests = audits["network-requests"]["details"]["items"]
    # The page and the partials it loads must be read logged in, not a login form (see the runner).
    logged_out = [r["url"] for r in requests if "/accounts/login/" in r["url"]]
    if logged_out:
        raise SystemExit(f"{name} was measured logged out: {logged_out}")
    js = sum(
        r["transferSize"]
        for r in requests
        if r.get("resourceType") == "Script" and r["networkRequestTime"] <= first_paint
    ) / 1024
    print(
        f"{name}: {scores}, first paint {first_paint:.0f} ms observed ({metrics['firstContentfulPaint']:.0f} ms"
        f" simulated), JS before it {js:.1f} KB, total blocking time {metrics['totalBlockingTime']:.0f} ms",
        file=sys.stderr,
    )
    for key in ("performance", "accessibility", "best_practices"):
        worst[key] = min(worst[key], scores[key])
    worst["js_kb_compressed"] = max(worst["js_kb_compressed"], round(js, 1))
    for key, category in report["categories"].items():
        weighted = (audits[ref["id"]] for ref in category["auditRefs"] if ref["weight"])
        lost = [a["id"] for a in weighted if a["score"] is not None and a["score"] < 0.9]
        if lost:
            print(f"  {key} below 0.9: {', '.join(lost)}", file=sys.stderr)
print(json.dumps({"benchmark": "lighthouse", **worst, "pages": pages}))
PYTHON
