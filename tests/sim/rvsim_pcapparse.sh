#!/bin/sh
# GStreamer's pcapparse (gst-plugins-bad) reads an rvsim pcap: every packet
# comes out as one buffer. Skips (77) without gst-launch-1.0 or pcapparse.
# usage: rvsim_pcapparse.sh RVSIM SIM_PCAP_DUMP
set -u
RVSIM="$1"; DUMP="$2"
command -v gst-launch-1.0 > /dev/null 2>&1 || { echo "SKIP: gst-launch-1.0 not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# The test environment hides system plugins; pcapparse is one, so use them
# here with a private registry.
unset GST_PLUGIN_SYSTEM_PATH_1_0
export GST_REGISTRY="$T/registry.bin" GST_REGISTRY_UPDATE=yes
command -v gst-inspect-1.0 > /dev/null 2>&1 && { gst-inspect-1.0 pcapparse > /dev/null 2>&1 \
  || { echo "SKIP: pcapparse element not available"; exit 77; }; }
"$RVSIM" --nodes 2 --rate 50 --duration 4 --seed 3 --scenario walking --pcap "$T/a.pcap" --quiet \
  || fail "rvsim"
n=$("$DUMP" "$T/a.pcap" | wc -l)
gst-launch-1.0 -v filesrc location="$T/a.pcap" ! pcapparse ! fakesink silent=false \
  > "$T/out" 2>&1 || fail "pipeline failed: $(tail -5 "$T/out")"
got=$(grep -c "chain" "$T/out")
[ "$got" -eq "$n" ] || fail "pcapparse produced $got buffers, file has $n packets"
grep -q "148 bytes" "$T/out" || fail "no 148-byte CSI payloads seen"
echo "ok: pcapparse read $got packets"
