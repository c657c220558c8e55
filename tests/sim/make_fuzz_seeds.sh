#!/bin/sh
# Regenerate the seed corpus of fuzz_sim_io (tests/sim/corpus/fuzz_sim_io/):
#   tests/sim/make_fuzz_seeds.sh BUILD_DIR
# Each seed is a selector byte followed by a small valid input made by rvsim.
set -eu
B="$1"; D="$(dirname "$0")/corpus/fuzz_sim_io"; T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$D"
"$B/src/tools/rvsim" --nodes 2 --rate 20 --duration 0.2 --seed 1 --scenario demo \
  --feature-state --pcap "$T/a.pcap" --labels "$T/a.jsonl" --quiet
{ printf '\000'; cat "$T/a.pcap"; } > "$D/pcap-small"
{ printf '\001'; cat "$T/a.jsonl"; } > "$D/labels-small"
# room truth, fall onsets and node lines (falls-hard, skewed nodes)
"$B/src/tools/rvsim" --nodes 2 --rate 1 --duration 90 --seed 3 --scenario falls-hard \
  --node-skew 100 --labels "$T/r.jsonl" --quiet
{ printf '\001'; cat "$T/r.jsonl"; } > "$D/labels-rooms"
# the first CSI packet of the capture (24-byte file header, 16-byte record
# header, 42 bytes of Ethernet/IPv4/UDP, then 148 bytes of payload)
{ printf '\002'; dd if="$T/a.pcap" bs=1 skip=82 count=148 2>/dev/null; } > "$D/csi-64"
