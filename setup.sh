#!/usr/bin/env bash
# Set up everything xintai needs on a fresh Debian machine with Python 3.11, then run:
#   bash setup.sh demo   — generate the synthetic county, run the pipeline, serve http://localhost:8501
#   bash setup.sh test   — the test suite (what CI runs)
#   bash setup.sh        — set up only
# Idempotent: a second run only checks that everything is in place (a few seconds).
set -euo pipefail
cd "$(dirname "$0")"
export UV_PYTHON_DOWNLOADS=never DO_NOT_TRACK=1 DAGSTER_DISABLE_TELEMETRY=1

apt_packages=(chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 fontconfig)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "xintai needs Python 3.11"'
if ! "$PYTHON" -m uv --version >/dev/null 2>&1 && ! command -v uv >/dev/null 2>&1; then
  echo "setup: installing uv"
  "$PYTHON" -m pip install --quiet --user uv 2>/dev/null || "$PYTHON" -m pip install --quiet uv
fi
UV=(uv); command -v uv >/dev/null 2>&1 || UV=("$PYTHON" -m uv)
# Bytecode compiled once here: with PYTHONDONTWRITEBYTECODE set (as on these machines) every
# process would otherwise recompile what it imports (dbt alone: ~4 s more per invocation).
"${UV[@]}" sync --frozen --extra test --python "$PYTHON" --quiet --compile-bytecode
.venv/bin/python -m compileall -q -j0 models pipelines dashboards tests benchmarks >/dev/null

case "${1:-}" in
  demo) shift; exec .venv/bin/xintai demo "$@" ;;
  test)
    shift
    set +e
    .venv/bin/python -m pytest "$@"
    status=$?
    set -e
    [ "$status" -eq 5 ] && { echo "setup: pytest collected no tests"; exit 1; }
    exit "$status" ;;
  "") echo "setup: done. Try: bash setup.sh demo   or   bash setup.sh test" ;;
  *) echo "usage: bash setup.sh [demo|test] [args…]" >&2; exit 2 ;;
esac
