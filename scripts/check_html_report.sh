#!/usr/bin/env bash
# Render the link-audit HTML report in headless Chromium: it must run its script without a
# console error, and a screenshot is written for a human to look at.
#
#   scripts/check_html_report.sh [CORPUS] [OUT_DIR]
#
# CORPUS defaults to ../shared/formalai (the real corpus snapshot next to the project);
# OUT_DIR defaults to ./build/links-report. Chromium is Debian's package: when it is missing
# and we are root, it is installed with apt-get (with CJK fonts, so Chinese paths render).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$here/../shared/formalai}"
out="${2:-$here/build/links-report}"
py="${PYTHON:-$here/.venv/bin/python}"

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    else
        echo "chromium is not installed: sudo apt-get install chromium fonts-noto-cjk" >&2
        exit 2
    fi
fi
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 2; }
mkdir -p "$out"

# `formalai-lint links` when the main CLI has the command, else the command module itself.
if "$py" -m linter links --help >/dev/null 2>&1; then
    "$py" -m linter links "$corpus" --root "$corpus" --format html --output "$out/report.html"
else
    "$py" -c 'from linter.cli.links import links_command; links_command()' \
        "$corpus" --root "$corpus" --format html --output "$out/report.html"
fi

flags=(--headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
       --disable-extensions --enable-logging=stderr --v=0 "--user-data-dir=$out/chromium-profile")
# The DOM after scripts ran: the page's last statement marks <body data-ready="1">.
timeout 120 chromium "${flags[@]}" --dump-dom "file://$out/report.html" \
    >"$out/dom.html" 2>"$out/chromium.log" || true
timeout 120 chromium "${flags[@]}" --window-size=1280,2200 --screenshot="$out/report.png" \
    "file://$out/report.html" >/dev/null 2>>"$out/chromium.log" || true

status=0
if grep -E "CONSOLE|Uncaught" "$out/chromium.log" >"$out/console.log"; then
    echo "console messages from the report:" >&2
    cat "$out/console.log" >&2
    status=1
fi
if ! grep -q 'data-ready="1"' "$out/dom.html"; then
    echo "the report's script did not run to the end (no data-ready marker)" >&2
    status=1
fi
if [ ! -s "$out/report.png" ]; then
    echo "no screenshot was written" >&2
    status=1
fi
[ "$status" = 0 ] && echo "ok: $out/report.html renders; screenshot $out/report.png"
exit "$status"
