#!/usr/bin/env python3
"""Follow every rvcsi node of every site through the MQTT broker.

usage: rvcsi_mqtt_subscribe.py [--host HOST] [--port PORT] [--prefix PREFIX]

Subscribes to the topics rvmqttsink publishes (docs/mqtt.md) and prints one
line per node state, and every availability change. Works with any number
of pipeline hosts (sites) on the broker. Needs Debian's python3-paho-mqtt.

  gst-launch-1.0 rvcsisrc ! queue ! rvtemporalhead ! rvclassify ! \
      rvmqttsink host=localhost site=house-1 &
  examples/python/rvcsi_mqtt_subscribe.py --host localhost
"""
import argparse
import json
import sys

import paho.mqtt.client as mqtt


def on_connect(client, userdata, flags, rc):
    if rc != 0:
        sys.exit(f"broker refused the connection: {mqtt.connack_string(rc)}")
    prefix = userdata["prefix"]
    client.subscribe([(f"{prefix}/+/availability", 1),
                      (f"{prefix}/+/node/+/availability", 1),
                      (f"{prefix}/+/node/+/state", 1)])


def on_message(client, userdata, msg):
    levels = msg.topic.split("/")
    payload = msg.payload.decode("utf-8", "replace")
    if levels[-1] == "availability":
        who = "host" if len(levels) == 3 else f"node {levels[-2]}"
        print(f"{levels[1]:>12} {who:>8}  {payload or '(removed)'}")
        return
    if not payload:  # removed by discovery-expiry
        print(f"{levels[1]:>12} node {levels[-2]:>3}  (removed)")
        return
    try:
        s = json.loads(payload)
    except json.JSONDecodeError as e:
        print(f"{msg.topic}: not JSON ({e})", file=sys.stderr)
        return
    motion = "-" if s.get("motion") is None else ("yes" if s["motion"] else "no")
    conf = s.get("confidence")
    print(f"{s['site']:>12} node {s['node']:>3}  {str(s.get('label')):<10} "
          f"conf {conf if conf is not None else '-':<6} motion {motion:<3} "
          f"occupied {'yes' if s.get('occupancy') else 'no':<3} "
          f"{'online' if s.get('online') else 'OFFLINE'}  t={s.get('stream_time')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="localhost")
    ap.add_argument("--port", type=int, default=1883)
    ap.add_argument("--prefix", default="rvcsi", help="rvmqttsink topic-prefix")
    args = ap.parse_args()
    client = mqtt.Client(userdata={"prefix": args.prefix})
    client.on_connect = on_connect
    client.on_message = on_message
    try:
        client.connect(args.host, args.port, keepalive=30)
    except OSError as e:
        sys.exit(f"cannot connect to {args.host}:{args.port}: {e}")
    try:
        client.loop_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
