// rvcsi web dashboard: subscribes to rvmqttsink's node states over MQTT
// WebSockets and shows, per node, the decision, the motion state and a
// motion-score plot; optionally rvcsiviz's HLS video (hls.js).
//
// URL parameters (all optional):
//   broker  WebSocket URL of the broker     (ws://<this host>:9001)
//   prefix  rvmqttsink's topic-prefix        (rvcsi)
//   site    one site, or + for every site    (+)
//   window  seconds in the motion plot       (60)
//   hls     URL of an HLS playlist of rvcsiviz video (none)
"use strict";

(function () {
  const params = new URLSearchParams(window.location.search);
  const cfg = {
    broker: params.get("broker") ||
      `ws://${window.location.hostname || "127.0.0.1"}:9001`,
    prefix: params.get("prefix") || "rvcsi",
    site: params.get("site") || "+",
    window: Math.max(5, Number(params.get("window")) || 60),
    hls: params.get("hls"),
  };
  const nodesEl = document.getElementById("nodes");
  const statusEl = document.getElementById("status");
  const cards = new Map(); // "<site>/<node>" -> card state

  function setStatus(s, text) {
    statusEl.dataset.status = s;
    statusEl.textContent = text;
  }

  // ---- one card per node ----

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function makeCard(site, node) {
    const root = el("article", "card");
    root.dataset.node = String(node);
    root.dataset.site = site;
    const h = el("h2");
    h.append(el("span", "name", `node ${node}`), el("span", "site", site));
    const decision = el("div", "decision");
    const label = el("span", "label", "…");
    const confidence = el("span", "confidence", "");
    const motion = el("span", "motion", "");
    decision.append(label, confidence, motion);
    const plotEl = el("div", "plot");
    const updated = el("div", "updated", "");
    root.append(h, decision, plotEl, updated);

    const card = { root, label, confidence, motion, updated, plotEl,
                   site, node, t: [], score: [], plot: null, dirty: false };
    card.plot = new uPlot({
      width: 280, height: 110, legend: { show: false },
      cursor: { show: false },
      // the detector's score unit is small (~1e-3): scale to the data
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [{ stroke: "#9a9ea8", grid: { stroke: "#2c3038" } },
             { stroke: "#9a9ea8", grid: { stroke: "#2c3038" }, size: 48,
               values: (u, vals) => vals.map((v) => +v.toPrecision(2)) }],
      series: [{}, { label: "motion score", stroke: "#ff8c26", width: 1.5,
                     fill: "rgba(255,140,38,0.15)" }],
    }, [card.t, card.score], plotEl);

    // keep cards in (site, node id) order: before the first card, in page
    // order, that sorts after this one
    const after = [...nodesEl.querySelectorAll(".card")].find((e) =>
      e.dataset.site > site ||
      (e.dataset.site === site && Number(e.dataset.node) > node));
    nodesEl.insertBefore(root, after || null);
    const waiting = document.getElementById("waiting");
    if (waiting) waiting.remove();
    return card;
  }

  function cardFor(site, node) {
    const k = `${site}/${node}`;
    let c = cards.get(k);
    if (!c) {
      c = makeCard(site, node);
      cards.set(k, c);
    }
    return c;
  }

  function removeCard(site, node) {
    const k = `${site}/${node}`;
    const c = cards.get(k);
    if (!c) return;
    c.plot.destroy();
    c.root.remove();
    cards.delete(k);
  }

  function showState(site, node, s) {
    const c = cardFor(site, node);
    const online = s.online !== false;
    const label = typeof s.label === "string" ? s.label : null;
    c.root.dataset.online = String(online);
    c.root.dataset.label = label || "";
    c.label.textContent = label || (online ? "no decision yet" : "offline");
    c.confidence.textContent = typeof s.confidence === "number" && label
      ? `${Math.round(100 * s.confidence)}%` : "";
    if (typeof s.motion === "boolean") {
      c.motion.dataset.motion = String(s.motion);
      c.motion.textContent = s.motion ? "MOTION" : "still";
    } else {
      c.motion.dataset.motion = "unknown";
      c.motion.textContent = "motion: n/a";
    }
    c.updated.textContent = online ? `updated ${s.updated || ""}` : "node offline";
    if (typeof s.motion_score === "number") {
      const now = Date.now() / 1000;
      c.t.push(now);
      c.score.push(s.motion_score);
      while (c.t.length && c.t[0] < now - cfg.window) {
        c.t.shift();
        c.score.shift();
      }
      c.dirty = true;
    }
  }

  // redraw plots at most once per animation frame
  function redraw() {
    for (const c of cards.values()) {
      if (c.dirty) {
        c.plot.setData([c.t, c.score]);
        c.dirty = false;
      }
    }
    window.requestAnimationFrame(redraw);
  }
  window.requestAnimationFrame(redraw);

  // ---- MQTT ----

  // <prefix>/<site>/node/<id>/state ; the prefix may have several levels
  function parseTopic(topic) {
    const rest = topic.slice(cfg.prefix.length + 1).split("/");
    if (!topic.startsWith(cfg.prefix + "/") || rest.length !== 4 || rest[1] !== "node")
      return null;
    const node = Number(rest[2]);
    if (!Number.isInteger(node) || node < 0) return null;
    return { site: rest[0], node, leaf: rest[3] };
  }

  function onMessage(topic, payload) {
    const t = parseTopic(topic);
    if (!t) return;
    const text = new TextDecoder().decode(payload);
    if (t.leaf === "state") {
      if (text.length === 0) { // retained state cleared: node removed
        removeCard(t.site, t.node);
        return;
      }
      let s;
      try {
        s = JSON.parse(text);
      } catch (e) {
        console.warn(`rvcsi: ${topic}: not JSON: ${e.message}`);
        return;
      }
      if (s && typeof s === "object") showState(t.site, t.node, s);
    } else if (t.leaf === "availability" && cards.has(`${t.site}/${t.node}`)) {
      const c = cards.get(`${t.site}/${t.node}`);
      if (text === "offline") {
        c.root.dataset.online = "false";
        c.updated.textContent = "node offline";
      }
    }
  }

  document.getElementById("source").textContent =
    `${cfg.broker} ${cfg.prefix}/${cfg.site}/node/+/state`;
  const client = mqtt.connect(cfg.broker, {
    clientId: `rvcsi-dashboard-${Math.random().toString(16).slice(2, 10)}`,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
  });
  client.on("connect", () => {
    setStatus("connected", "connected");
    client.subscribe([`${cfg.prefix}/${cfg.site}/node/+/state`,
                      `${cfg.prefix}/${cfg.site}/node/+/availability`]);
  });
  client.on("reconnect", () => setStatus("connecting", "reconnecting"));
  client.on("offline", () => setStatus("offline", "broker unreachable"));
  client.on("error", (e) => setStatus("error", `error: ${e.message}`));
  client.on("message", onMessage);

  // ---- rvcsiviz video over HLS ----

  if (cfg.hls) {
    const panel = document.getElementById("video-panel");
    const video = document.getElementById("video");
    const vs = document.getElementById("video-status");
    panel.hidden = false;
    if (window.Hls && Hls.isSupported()) {
      const hls = new Hls({ liveSyncDurationCount: 2 });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        vs.textContent = "";
        panel.dataset.video = "playing";
        video.play().catch(() => {});
      });
      hls.on(Hls.Events.ERROR, (ev, d) => {
        // hls.js recovers from the others (stalls, late segments) by itself
        if (!d.fatal) return;
        vs.textContent = `video: ${d.details}, retrying`;
        panel.dataset.video = "error";
        window.setTimeout(() => hls.loadSource(cfg.hls), 2000);
      });
      hls.loadSource(cfg.hls);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = cfg.hls;
    } else {
      vs.textContent = "this browser cannot play HLS";
    }
  }
})();
