#!/usr/bin/env bash
# Renders a quality report (HTML) with headless Chromium and saves a full-page PNG screenshot,
# to check that a person opening it in a browser sees the complete report.
# Usage: scripts/screenshot-report.sh <output.dir>/releases/2024/2024-r01/quality_report_2024.html [out.png]
# Needs Chromium (Debian: apt-get install -y chromium).
set -euo pipefail
html=${1:?usage: $0 REPORT.html [OUT.png]}
out=${2:-${html%.html}.png}
[ -f "$html" ] || { echo "error: no report at $html; run \`ictstat publish --year Y\` first" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "error: chromium not found; install it: apt-get install -y chromium" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1200,4000 \
  --screenshot="$(realpath -m "$out")" "file://$(realpath "$html")" >/dev/null 2>&1
[ -s "$out" ] || { echo "error: chromium wrote no screenshot for $html" >&2; exit 1; }
echo "screenshot: $out ($(stat -c %s "$out") bytes)"
