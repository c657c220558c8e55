#!/bin/sh
# rvbench command line: --help, and usage errors (exit 1: status 2 is
# --strict's "a budget row failed") that name the problem.
# usage: test_rvbench_cli.sh PATH/TO/rvbench
set -u
RVBENCH=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$RVBENCH" --help | grep -q -- "--dense-max N" || fail "--help"
"$RVBENCH" -h | grep -q "usage: rvbench" || fail "-h"
"$RVBENCH" --frobnicate 2> "$T/err"; [ $? -eq 1 ] || fail "unknown option: exit status"
grep -q "unknown option '--frobnicate'" "$T/err" || fail "unknown option: $(cat "$T/err")"
"$RVBENCH" --dense-max 2> "$T/err"; [ $? -eq 1 ] || fail "missing value: exit status"
grep -q -- "--dense-max needs a value" "$T/err" || fail "missing value: $(cat "$T/err")"
"$RVBENCH" --dense-max 12x 2> "$T/err"; [ $? -eq 1 ] || fail "bad number: exit status"
grep -q -- "--dense-max: '12x'" "$T/err" || fail "bad number: $(cat "$T/err")"
"$RVBENCH" stray 2> "$T/err"; [ $? -eq 1 ] || fail "stray argument: exit status"
grep -q "unexpected argument 'stray'" "$T/err" || fail "stray argument: $(cat "$T/err")"
echo "rvbench CLI: all checks passed"
