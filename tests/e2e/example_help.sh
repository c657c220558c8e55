#!/bin/sh
# rvcsi-events --help prints usage and exits 0 (it was parsed as a
# pipeline); an unknown option and a split pipeline are refused with 2.
set -u
exe="$1"
out=$("$exe" --help) || { echo "--help exited $?"; exit 1; }
echo "$out" | grep -q "Usage:" || { echo "no usage in: $out"; exit 1; }
echo "$out" | grep -q "PIPELINE" || { echo "no PIPELINE in: $out"; exit 1; }
"$exe" --bogus >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || { echo "--bogus exited $rc, want 2"; exit 1; }
"$exe" fakesrc '!' fakesink >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || { echo "unquoted pipeline exited $rc, want 2"; exit 1; }
echo "ok"
