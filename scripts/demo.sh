#!/usr/bin/env bash
# The live demo (README's main command): installs dependencies, builds, then
# runs 4 simulated ESP32 nodes (rvsim, scripted 'demo' scenario) over UDP
# loopback into rvcsisrc ! rvtemporalhead ! rvclassify with the built-in
# model, printing each node's decisions as they change next to the
# simulator's true activity.
#   scripts/demo.sh                 run until Ctrl-C
#   scripts/demo.sh --duration 60   60 simulated seconds, then stop
#   scripts/demo.sh --speed 4       4x real time
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

# Build output stays visible: a failed step must say why.
if [[ ! -f build/build.ninja ]]; then
  meson setup build
fi
meson compile -C build

export GST_PLUGIN_PATH="$PWD/build/gst${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
# PyGObject comes from Debian's python3-gi: prefer an interpreter that has it
# (a pyenv/venv python3 on PATH usually does not).
py=python3
if ! "$py" -c 'import gi' 2>/dev/null && [[ -x /usr/bin/python3 ]]; then
  py=/usr/bin/python3
fi
exec "$py" scripts/demo.py --rvsim build/src/tools/rvsim "$@"
