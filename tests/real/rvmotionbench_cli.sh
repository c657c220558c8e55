#!/bin/sh
# rvmotionbench: --quick prints a row per chip and the onset line; the
# command-line contract (--help, specific errors, exit 2; a bad folder 1).
# usage: rvmotionbench_cli.sh RVMOTIONBENCH
set -u
B="$1"
D="$RV_SOURCE_DIR/tests/data/real/espectre"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$B" --help > "$T/help" || fail "--help exited nonzero"
for o in --data --jitter --seed --quick; do
  grep -q -- "$o" "$T/help" || fail "--help does not document $o"
done
"$B" --quick --data "$D" > "$T/out" || fail "--quick run failed"
for c in C3 C5 C6 ESP32 S3 all; do
  grep -q "^$c " "$T/out" || fail "no row for $c"
done
grep -q "^onset (defaults)" "$T/out" || fail "no onset line"

code=0; "$B" --jitter -1 > /dev/null 2> "$T/err" || code=$?
[ "$code" -eq 2 ] && grep -q "jitter" "$T/err" || fail "bad --jitter: exit $code, $(cat "$T/err")"
code=0; "$B" --bogus > /dev/null 2> "$T/err" || code=$?
[ "$code" -eq 2 ] && grep -q "unknown option '--bogus'" "$T/err" || fail "unknown option: $(cat "$T/err")"
code=0; "$B" --data "$T/none" > /dev/null 2> "$T/err" || code=$?
[ "$code" -eq 1 ] && grep -q "sessions.tsv" "$T/err" || fail "missing folder: exit $code, $(cat "$T/err")"
printf 'C3\tonly-two-fields\n' > "$T/sessions.tsv"
code=0; "$B" --data "$T" > /dev/null 2> "$T/err" || code=$?
[ "$code" -eq 1 ] && grep -q "sessions.tsv:1: expected CHIP<TAB>BASELINE<TAB>MOVEMENT" "$T/err" \
  || fail "malformed index: exit $code, $(cat "$T/err")"
echo ok
