#!/bin/sh
# A pcap from rvsim read by tshark (not our code) gives exactly the packets
# our reader and the in-process session give. Skips (77) without tshark.
# usage: rvsim_tshark.sh RVSIM SIM_PCAP_DUMP
set -u
RVSIM="$1"; DUMP="$2"
command -v tshark > /dev/null 2>&1 || { echo "SKIP: tshark not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$RVSIM" --nodes 3 --rate 50 --duration 5 --seed 7 --scenario demo --feature-state \
  --pcap "$T/a.pcap" --quiet || fail "rvsim"
"$DUMP" "$T/a.pcap" > "$T/ours" || fail "our reader"
"$DUMP" --session 3 50 5 7 demo --feature-state > "$T/session" || fail "session dump"
cmp -s "$T/ours" "$T/session" || fail "our reader disagrees with the session"
# -n: no name lookups; force the payload to plain data so no heuristic
# dissector (WireGuard, ...) claims port 5005.
tshark -n -r "$T/a.pcap" -d udp.port==5005,data -T fields -e udp.payload 2> "$T/tshark.err" \
  | tr -d ':' > "$T/tshark" || fail "tshark: $(cat "$T/tshark.err")"
n=$(wc -l < "$T/ours")
[ "$n" -gt 700 ] || fail "too few packets ($n)"
cmp -s "$T/ours" "$T/tshark" || fail "tshark sees different payloads: $(diff "$T/ours" "$T/tshark" | head -3)"
# tshark's own checksum validation: no bad IP or UDP checksums
bad=$(tshark -n -r "$T/a.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
      -Y "ip.checksum.status == 0 || udp.checksum.status == 0" 2>/dev/null | wc -l)
[ "$bad" -eq 0 ] || fail "$bad packets with bad checksums"
echo "ok: $n packets identical in tshark, our reader and the session"
