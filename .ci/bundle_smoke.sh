#!/usr/bin/env bash
# Build the Linux one-dir bundle from a clean clone with installer/papi-desktop.spec (the same
# spec as the Windows build) and run the frozen app's --smoke-test under Xvfb.
#
# Usage: .ci/bundle_smoke.sh [REPO]      (REPO defaults to this checkout; only committed
#                                          files are built, as on a release machine)
# Env:   PYTHON (default python3), BUNDLE_MAX_MB (size budget, default 250),
#        BUNDLE_SMOKE_KEEP=1 to keep the temporary folder (bundle + smoke output).
# Exit:  0 when the bundle builds, contains nothing unneeded, stays in budget and the smoke
#        test passes; non-zero otherwise.
set -euo pipefail

PYTHON=${PYTHON:-python3}
MAX_MB=${BUNDLE_MAX_MB:-250}
REPO=${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/papi-bundle.XXXXXX")

cleanup() {
    if [[ "${BUNDLE_SMOKE_KEEP:-0}" == 1 ]]; then
        echo "kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

t0=$(date +%s)
echo "== clean clone of $REPO ($(git -C "$REPO" rev-parse --short HEAD))"
git clone -q --no-hardlinks "$REPO" "$WORK/src"
cd "$WORK/src"

echo "== PyInstaller (pinned range)"
"$PYTHON" -m pip install -q --disable-pip-version-check \
    "pyinstaller>=6.22,<7" "pyinstaller-hooks-contrib>=2026.9"
"$PYTHON" -m PyInstaller --version

echo "== build"
t1=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN installer/papi-desktop.spec
t2=$(date +%s)
BUNDLE="$WORK/src/dist/papi-desktop"
[[ -x "$BUNDLE/papi-desktop" ]] || { echo "FAIL: $BUNDLE/papi-desktop was not built"; exit 1; }

echo "== bundle size"
du -sh "$BUNDLE"
echo "largest parts:"
du -sh "$BUNDLE"/_internal/* | sort -h | tail -n 12
size_mb=$(du -sm "$BUNDLE" | cut -f1)

echo "== nothing unneeded inside"
unneeded=$(find "$BUNDLE" \( -type d \( -iname 'PyQt*' -o -iname 'PySide*' -o -iname 'shiboken*' \
        -o -name IPython -o -name pytest -o -name _pytest -o -name hypothesis \
        -o -path '*/matplotlib/tests' -o -path '*/numpy/tests' -o -path '*/mpl-data/sample_data' \) \
        -o -type f \( -name 'libQt*' -o -name 'Qt*.dll' \) \) -print)
if [[ -n "$unneeded" ]]; then
    echo "FAIL: the bundle contains what the app does not need:"
    echo "$unneeded"
    exit 1
fi
echo "ok: no Qt, IPython, pytest, hypothesis, test suites or sample data"
if (( size_mb > MAX_MB )); then
    echo "FAIL: bundle is ${size_mb} MB, over the ${MAX_MB} MB budget"
    exit 1
fi

echo "== smoke test (frozen, Xvfb)"
t3=$(date +%s)
status=0
xvfb-run -a -s "-screen 0 1366x800x24 -dpi 96" \
    "$BUNDLE/papi-desktop" --smoke-test "$WORK/smoke-out" || status=$?
t4=$(date +%s)

echo "== times: build $((t2 - t1)) s, smoke test $((t4 - t3)) s, total $((t4 - t0)) s"
if (( status != 0 )); then
    echo "FAIL: the frozen smoke test exited with $status"
    exit "$status"
fi
echo "bundle smoke test passed (${size_mb} MB)"
