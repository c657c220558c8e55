#!/usr/bin/env bash
# Re-vendor the dashboard's browser libraries from npm at the versions
# pinned in package.json (needs npm and the npm registry).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver() { node -p "require('./package.json').dependencies['$1']"; }
for p in mqtt hls.js uplot; do
  (cd "$tmp" && npm pack --silent "$p@$(ver "$p")" >/dev/null && mkdir "$p" && tar xzf ./*"$(ver "$p")".tgz -C "$p" && rm ./*.tgz)
done
cp "$tmp/mqtt/package/dist/mqtt.min.js" vendor/
cp "$tmp/mqtt/package/LICENSE.md" vendor/LICENSE.mqtt.md
cp "$tmp/hls.js/package/dist/hls.light.min.js" vendor/
cp "$tmp/hls.js/package/LICENSE" vendor/LICENSE.hls.js
cp "$tmp/uplot/package/dist/uPlot.iife.min.js" "$tmp/uplot/package/dist/uPlot.min.css" vendor/
cp "$tmp/uplot/package/LICENSE" vendor/LICENSE.uplot
echo "vendored: mqtt $(ver mqtt), hls.js $(ver hls.js), uplot $(ver uplot)"
