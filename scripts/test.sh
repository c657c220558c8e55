#!/usr/bin/env bash
# Set up and run every test: the release build (unit, element, end-to-end,
# firmware under QEMU), then the ASan+UBSan build with short fuzz runs.
#   scripts/test.sh             everything
#   RV_SKIP_SANITIZE=1 ...      release build only (quick local loop)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test

fuzz_seconds=${RV_FUZZ_SECONDS:-20}
status=0

if [[ -f build/build.ninja ]]; then
  meson setup build --reconfigure
else
  meson setup build
fi
meson compile -C build
meson test -C build --print-errorlogs --num-processes 2 || status=1
scripts/test-summary.py build release

if [[ -z "${RV_SKIP_SANITIZE:-}" ]]; then
  # clang: ASan+UBSan for everything, plus libFuzzer targets (suite fuzz).
  if [[ ! -d build-asan ]]; then
    CC=clang meson setup build-asan -Dbuildtype=debugoptimized \
      -Db_sanitize=address,undefined -Db_lundef=false \
      -Dfuzz=enabled -Dfirmware=disabled -Dfuzz_seconds="$fuzz_seconds"
  else
    meson configure build-asan -Dfuzz_seconds="$fuzz_seconds"
  fi
  meson compile -C build-asan
  meson test -C build-asan --print-errorlogs --num-processes 2 \
    --no-suite bench --timeout-multiplier 3 || status=1
  scripts/test-summary.py build-asan sanitizer
fi
exit $status
