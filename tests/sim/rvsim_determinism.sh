#!/bin/sh
# Same seed -> byte-identical pcap and labels; another seed -> different.
# Also times a 60 s, 8-node, 100 Hz session (must take seconds, not minutes).
# usage: rvsim_determinism.sh RVSIM
set -u
RVSIM="$1"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
run() {
  "$RVSIM" --nodes 3 --rate 50 --duration 20 --scenario random --feature-state --vitals \
    --loss 0.05 --dup 0.02 --reorder 0.02 --reboot-at 5 --quiet "$@" || fail "rvsim $*"
}
run --seed 11 --pcap "$T/a.pcap" --labels "$T/a.jsonl"
run --seed 11 --pcap "$T/b.pcap" --labels "$T/b.jsonl"
run --seed 12 --pcap "$T/c.pcap" --labels "$T/c.jsonl"
cmp -s "$T/a.pcap" "$T/b.pcap" || fail "same seed, different pcap"
cmp -s "$T/a.jsonl" "$T/b.jsonl" || fail "same seed, different labels"
cmp -s "$T/a.pcap" "$T/c.pcap" && fail "different seeds, identical pcap"
cmp -s "$T/a.jsonl" "$T/c.jsonl" && fail "different seeds, identical labels"
[ "$(wc -l < "$T/a.jsonl")" -gt 3 ] || fail "labels too short"

start=$(date +%s.%N)
"$RVSIM" --nodes 8 --rate 100 --duration 60 --seed 1 --scenario demo --pcap "$T/big.pcap" --quiet \
  || fail "8-node run"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc 2>/dev/null || python3 -c "print($end - $start)")
size=$(wc -c < "$T/big.pcap")
echo "60 s x 8 nodes x 100 Hz -> $size bytes of pcap in $secs s"
python3 -c "import sys; sys.exit(0 if float('$secs') < 60 else 1)" || fail "too slow: $secs s"
echo "ok"
