#!/usr/bin/env python3
"""Browser test of the web dashboard (examples/web/) in headless Chromium.

Starts, on loopback with random ports and a fresh temporary directory:
mosquitto (MQTT + WebSockets listeners), a static file server for the page
and the HLS video, Chromium through chromedriver (selenium), then rvsim's
nodes over UDP into rvcsisrc ! rvtemporalhead ! rvclassify, teed into
rvmqttsink and into rvcsiviz ! x264enc ! hlssink2. While nodes send, the
page must show a card per node with live labels and play the video
(hls.js); once they stop, each card's label, online and motion state must
equal the node's retained state on the broker (read with paho-mqtt). Saves
a screenshot as <RV_BUILD_DIR>/dashboard.png. Everything it started is
stopped at the end.

Environment: RVSIM (rvsim binary), GST_PLUGIN_PATH (the build tree's
plugin), RV_SOURCE_DIR, RV_BUILD_DIR. Exit 0 on success, 1 on failure.
"""
import functools
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import paho.mqtt.client as paho
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

NODES = 3
SITE = "browsertest"
PREFIX = "rvcsi"


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Broker:
    """What the broker carries: every node's latest retained state."""

    def __init__(self, port):
        self.states = {}
        self.lock = threading.Lock()
        self.client = paho.Client(client_id=f"dashboard-test-{os.getpid()}")
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port)
        self.client.subscribe(f"{PREFIX}/{SITE}/node/+/state", qos=1)
        self.client.loop_start()

    def _on_message(self, _c, _u, msg):
        node = int(msg.topic.split("/")[-2])
        with self.lock:
            if msg.payload:
                self.states[node] = json.loads(msg.payload)
            else:
                self.states.pop(node, None)

    def snapshot(self):
        with self.lock:
            return {n: dict(s) for n, s in self.states.items()}

    def stop(self):
        self.client.loop_stop()
        self.client.disconnect()


def dom_cards(driver):
    """{node: (card text, label, online, motion)} as the page shows them,
    in page order."""
    out = {}
    for card in driver.find_elements(By.CSS_SELECTOR, "[data-node]"):
        node = int(card.get_attribute("data-node"))
        out[node] = (card.text,
                     card.find_element(By.CSS_SELECTOR, ".label").text,
                     card.get_attribute("data-online"),
                     card.find_element(By.CSS_SELECTOR, ".motion")
                     .get_attribute("data-motion"))
    return out


def expected(state):
    """(label text, online, motion) the page must show for a state."""
    online = state.get("online") is not False
    label = state.get("label")
    if not isinstance(label, str):
        label = "no decision yet" if online else "offline"
    motion = state.get("motion")
    motion = "unknown" if not isinstance(motion, bool) else str(motion).lower()
    return label, str(online).lower(), motion


def main():
    src = os.environ.get("RV_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../.."))
    out_dir = os.environ.get("RV_BUILD_DIR", ".")
    rvsim = os.environ["RVSIM"]
    tmp = tempfile.mkdtemp(prefix="rvcsi-dashboard-")
    procs = []
    httpd = driver = broker = None
    try:
        mqtt_port, ws_port = free_port(), free_port()
        udp_port = free_port(socket.SOCK_DGRAM)
        conf = os.path.join(tmp, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(f"listener {mqtt_port} 127.0.0.1\n"
                    f"listener {ws_port} 127.0.0.1\nprotocol websockets\n"
                    "allow_anonymous true\npersistence false\n"
                    "log_type error\nlog_type warning\n")
        mosq = subprocess.Popen(["mosquitto", "-c", conf],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(mosq)
        wait_port(mqtt_port, mosq, "mosquitto")
        wait_port(ws_port, mosq, "mosquitto (websockets)")
        broker = Broker(mqtt_port)

        www = os.path.join(tmp, "www")
        os.makedirs(os.path.join(www, "hls"))
        os.symlink(os.path.join(os.path.abspath(src), "examples/web"),
                   os.path.join(www, "web"))
        handler = functools.partial(QuietHandler, directory=www)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = (f"http://127.0.0.1:{httpd.server_address[1]}/web/index.html"
               f"?broker=ws://127.0.0.1:{ws_port}&prefix={PREFIX}&site={SITE}"
               "&hls=/hls/live.m3u8")

        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--no-first-run",
                  "--disable-dev-shm-usage", "--window-size=1280,1100",
                  f"--user-data-dir={os.path.join(tmp, 'chromium')}"):
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                                  options=opts)
        driver.get(url)
        deadline = time.monotonic() + 20
        while driver.find_element(By.ID, "status").get_attribute("data-status") != "connected":
            if time.monotonic() > deadline:
                raise AssertionError("page did not connect to the broker: " +
                                     driver.find_element(By.ID, "status").text)
            time.sleep(0.2)

        pipe = subprocess.Popen(
            ["gst-launch-1.0", "-e", "rvcsisrc", f"port={udp_port}", "!", "queue",
             "!", "rvtemporalhead", "!", "rvclassify", "!", "tee", "name=t",
             "t.", "!", "queue", "!", "rvmqttsink",
             "host=127.0.0.1", f"port={mqtt_port}", f"site={SITE}",
             f"topic-prefix={PREFIX}", "discovery-prefix=\"\"",
             "t.", "!", "queue", "!", "rvcsiviz", "!",
             "video/x-raw,width=640,height=360,framerate=10/1", "!", "videoconvert",
             "!", "x264enc", "tune=zerolatency", "speed-preset=ultrafast",
             "key-int-max=10", "!", "h264parse", "!", "hlssink2",
             f"location={www}/hls/seg%05d.ts",
             f"playlist-location={www}/hls/live.m3u8", "target-duration=1",
             "playlist-length=4", "max-files=8"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(pipe)
        time.sleep(1.0)  # rvcsisrc bound before the nodes send
        if pipe.poll() is not None:
            raise RuntimeError("pipeline failed: " + pipe.stderr.read().decode())
        sim = subprocess.Popen([rvsim, "--nodes", str(NODES), "--scenario", "demo",
                                "--duration", "30", "--speed", "2", "--seed", "5",
                                "--udp", f"127.0.0.1:{udp_port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(sim)

        # live: every node gets a card with a decision while nodes send
        labels_seen = {}
        live_match = 0
        video_time = 0.0
        deadline = time.monotonic() + 40
        while sim.poll() is None and time.monotonic() < deadline:
            dom = dom_cards(driver)
            for node, (_, label, _, _) in dom.items():
                if label not in ("…", "no decision yet"):
                    labels_seen.setdefault(node, set()).add(label)
            want = {n: expected(s)[0] for n, s in broker.snapshot().items()}
            live_match += len(want) == NODES and want == {n: c[1] for n, c in dom.items()}
            video_time = max(video_time, driver.execute_script(
                "return document.getElementById('video').currentTime"))
            time.sleep(0.5)
        if sim.poll() is None:
            raise AssertionError("rvsim did not finish in time")
        if sim.returncode != 0:
            raise RuntimeError("rvsim failed: " + sim.stderr.read().decode())
        print(f"labels seen live: {labels_seen}; video played {video_time:.1f} s")
        if video_time < 2.0:
            raise AssertionError("rvcsiviz's HLS video did not play "
                                 f"({video_time:.1f} s): " +
                                 driver.find_element(By.ID, "video-status").text)
        missing = set(range(1, NODES + 1)) - set(labels_seen)
        if missing:
            raise AssertionError(f"nodes {sorted(missing)} never showed a decision live")
        # labels change every few seconds: most polls see page == broker
        print(f"page matched the broker live in {live_match} polls")
        if live_match < 3:
            raise AssertionError("the page never caught up with the broker live")

        # quiescent: the page shows what the broker carries
        pipe.send_signal(signal.SIGINT)
        pipe.wait(timeout=20)
        deadline = time.monotonic() + 15
        while True:
            states = broker.snapshot()
            want = {n: expected(s) for n, s in states.items()}
            dom = dom_cards(driver)
            got = {n: (label, online, motion) for n, (_, label, online, motion) in dom.items()}
            ok = (len(want) == NODES and got == want
                  and all(want[n][0] in dom[n][0] for n in want))
            if ok or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        shot = os.path.join(out_dir, "dashboard.png")
        driver.save_screenshot(shot)
        print(f"broker states: {json.dumps(states, sort_keys=True)}")
        print(f"page: {got}; screenshot {shot}")
        if not ok:
            raise AssertionError(f"page {got} != broker {want}")
        if list(got) != sorted(got):
            raise AssertionError(f"cards not in node order: {list(got)}")
        print(f"dashboard: the page shows the broker's state of all {NODES} nodes")
        return 0
    finally:
        if driver:
            driver.quit()
        if httpd:
            httpd.shutdown()
        if broker:
            broker.stop()
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
