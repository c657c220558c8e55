#!/bin/sh
# rvsim command-line contract: --help lists every scenario and exits 0;
# unknown options and malformed values fail with a message and nonzero exit.
# usage: rvsim_cli.sh RVSIM
set -u
RVSIM="$1"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$RVSIM" --help > "$T/help" || fail "--help exited nonzero"
for s in demo empty breathing apnea walking sit fall gestures random mixed falls-hard hard-negatives; do
  grep -q "^ *$s " "$T/help" || fail "--help does not list scenario $s"
done
for o in --nodes --rate --duration --seed --scenario --udp --pcap --labels --speed --fast \
         --loss --dup --reorder --reboot-at --feature-state --vitals --subcarriers --receiver \
         --placement --node-skew --node-jitter --crash-loop --boot-time --channel-hop \
         --ideal-receiver --quiet; do
  grep -q -- "$o" "$T/help" || fail "--help does not document $o"
done
"$RVSIM" -h | grep -q "usage: rvsim" || fail "-h"

expect_fail() {
  if "$RVSIM" "$@" > "$T/out" 2> "$T/err"; then fail "accepted: $*"; fi
  [ -s "$T/err" ] || fail "no message for: $*"
}
expect_fail --bogus --labels "$T/l"
grep -q "unknown option '--bogus'" "$T/err" || fail "unknown option message: $(cat "$T/err")"
expect_fail --nodes 0 --labels "$T/l"
expect_fail --nodes 256 --labels "$T/l"
expect_fail --nodes abc --labels "$T/l"
expect_fail --nodes 2x --labels "$T/l"
expect_fail --rate -5 --labels "$T/l"
expect_fail --rate nan --labels "$T/l"
expect_fail --duration 0 --labels "$T/l"
expect_fail --seed -1 --labels "$T/l"
expect_fail --seed 18446744073709551616 --labels "$T/l"
expect_fail --scenario nope --labels "$T/l"
expect_fail --loss 1.5 --labels "$T/l"
expect_fail --reboot-at 1:0 --labels "$T/l"
expect_fail --subcarriers 128 --labels "$T/l"
expect_fail --receiver bogus --labels "$T/l"
expect_fail --receiver --labels "$T/l"
expect_fail stray --labels "$T/l"
grep -q "unexpected argument 'stray'" "$T/err" || fail "positional message: $(cat "$T/err")"
expect_fail --crash-loop 2:x --labels "$T/l"
expect_fail --channel-hop 0 --labels "$T/l"
expect_fail --placement corner --labels "$T/l"
grep -q "perimeter or random" "$T/err" || fail "placement message: $(cat "$T/err")"
expect_fail --node-skew -5 --labels "$T/l"
expect_fail --node-skew 20000 --labels "$T/l"
expect_fail --node-jitter abc --labels "$T/l"
expect_fail --udp localhost --fast --duration 1
expect_fail --udp 127.0.0.1:99999 --fast --duration 1
expect_fail --labels
grep -q "needs a value" "$T/err" || fail "missing value message"
expect_fail --duration 1
grep -q "no output" "$T/err" || fail "no-output message"
expect_fail --labels /nonexistent-dir/x.jsonl --duration 1
expect_fail --nodes 0 --labels "$T/l"
grep -q -- "--nodes: '0'" "$T/err" || fail "bad value message names the option: $(cat "$T/err")"
grep -q "see rvsim --help" "$T/err" || fail "usage errors point to --help"
expect_fail --crash-loop 2:x --labels "$T/l"
grep -q -- "--crash-loop: bad node" "$T/err" || fail "crash-loop node message: $(cat "$T/err")"
expect_fail --speed 0 --udp 127.0.0.1:9 --duration 1

"$RVSIM" --duration 2 --nodes 2 --rate 20 --udp 127.0.0.1:9 --fast --quiet \
  || fail "live UDP run to the discard port failed"
# a multi-node room: node lines carry the placement and the latency offsets
"$RVSIM" --nodes 3 --duration 30 --scenario falls-hard --placement random --node-skew 200 \
  --node-jitter 20 --labels "$T/room.jsonl" --quiet || fail "falls-hard room run"
[ "$(grep -c '"type":"node"' "$T/room.jsonl")" -eq 3 ] || fail "expected 3 node lines"
grep '"type":"node"' "$T/room.jsonl" | grep -qv '"latency_ms":0.0,' || fail "no latency offset in the labels"
grep -q '"type":"room","start":0.000' "$T/room.jsonl" || fail "no room truth from 0"
echo "ok"
