#!/usr/bin/env bash
# The live demo with dashboards: simulated nodes (rvsim) over UDP loopback
# into rvcsisrc ! rvtemporalhead ! rvclassify, teed into rvmqttsink (node
# states to an MQTT broker) and rvcsiviz (dashboard video as HLS); a
# mosquitto broker with a WebSockets listener and a static file server, all
# on 127.0.0.1; prints the web dashboard's URL. Ctrl-C stops everything.
#   scripts/dashboard.sh                    4 nodes, until Ctrl-C
#   scripts/dashboard.sh --nodes 8 --no-video
#   scripts/dashboard.sh --duration 120     stop after 120 s
#   ports: --mqtt-port 18830 --ws-port 9001 --http-port 8080 --udp-port 5005
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=4 duration=86400 video=1
mqtt_port=18830 ws_port=9001 http_port=8080 udp_port=5005
while [[ $# -gt 0 ]]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --no-video) video=0; shift ;;
    --mqtt-port) mqtt_port=$2; shift 2 ;;
    --ws-port) ws_port=$2; shift 2 ;;
    --http-port) http_port=$2; shift 2 ;;
    --udp-port) udp_port=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "dashboard.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for v in nodes duration mqtt_port ws_port http_port udp_port; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "dashboard.sh: --${v//_/-} needs a number, got '${!v}'" >&2; exit 2; }
done

scripts/deps.sh
command -v mosquitto >/dev/null || { echo "dashboard.sh: mosquitto is missing (scripts/deps.sh --test installs it)" >&2; exit 1; }
[[ -d build ]] || meson setup build >/dev/null
meson compile -C build >/dev/null
export GST_PLUGIN_PATH="$PWD/build/gst${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
gst-inspect-1.0 rvmqttsink >/dev/null 2>&1 || { echo "dashboard.sh: the rvcsi plugin has no rvmqttsink (built without libmosquitto-dev?)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# the broker: MQTT for rvmqttsink, WebSockets for the browser, loopback only
cat > "$tmp/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
listener $ws_port 127.0.0.1
protocol websockets
allow_anonymous true
persistence false
log_type error
log_type warning
CONF
mosquitto -c "$tmp/mosquitto.conf" & pids+=($!)

# the page and the HLS video, side by side under one server
mkdir -p "$tmp/www/hls"
ln -s "$PWD/examples/web" "$tmp/www/web"
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$tmp/www" \
  >/dev/null 2>&1 & pids+=($!)

viz=()
if [[ $video == 1 ]]; then
  viz=(t. ! queue leaky=downstream max-size-buffers=200 ! rvcsiviz !
       video/x-raw,width=960,height=540,framerate=10/1 ! videoconvert !
       x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10 ! h264parse !
       hlssink2 location="$tmp/www/hls/seg%05d.ts"
       playlist-location="$tmp/www/hls/live.m3u8" target-duration=1
       playlist-length=4 max-files=8)
fi
gst-launch-1.0 -q rvcsisrc port="$udp_port" ! queue ! rvtemporalhead ! rvclassify ! \
  tee name=t t. ! queue ! rvmqttsink host=127.0.0.1 port="$mqtt_port" site=demo \
  "${viz[@]}" & pids+=($!)
sleep 1
build/src/tools/rvsim --nodes "$nodes" --scenario demo --duration "$duration" \
  --udp "127.0.0.1:$udp_port" --quiet & pids+=($!)
sim=$!

url="http://127.0.0.1:$http_port/web/index.html?broker=ws://127.0.0.1:$ws_port&site=demo"
[[ $video == 1 ]] && url+="&hls=/hls/live.m3u8"
echo "dashboard: $url"
echo "MQTT: mosquitto_sub -p $mqtt_port -t 'rvcsi/#' -v    (Ctrl-C stops everything)"
wait "$sim"
