#!/usr/bin/env bash
# Re-vendor the dashboard's browser libraries from npm at the versions
# pinned in package.json (needs npm and the npm registry).
set -euo pipefail
cd "$(dirname "$0")"
here=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver() { node -p "require('$here/package.json').dependencies['$1']"; }
for p in mqtt hls.js uplot; do
  v=$(ver "$p")
  [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "vendor.sh: no exact version for $p in package.json" >&2; exit 1; }
  mkdir "$tmp/$p"
  (cd "$tmp/$p" && npm pack --silent "$p@$v" >/dev/null && tar xzf ./*.tgz)
done
cp "$tmp/mqtt/package/dist/mqtt.min.js" vendor/
cp "$tmp/mqtt/package/LICENSE.md" vendor/LICENSE.mqtt.md
cp "$tmp/hls.js/package/dist/hls.light.min.js" vendor/
cp "$tmp/hls.js/package/LICENSE" vendor/LICENSE.hls.js
cp "$tmp/uplot/package/dist/uPlot.iife.min.js" "$tmp/uplot/package/dist/uPlot.min.css" vendor/
cp "$tmp/uplot/package/LICENSE" vendor/LICENSE.uplot
echo "vendored: mqtt $(ver mqtt), hls.js $(ver hls.js), uplot $(ver uplot)"
