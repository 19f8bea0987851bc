// The lead page's link chart: plain JavaScript and SVG, no library.
// Data comes from the API (/api/v1/network/expand/...), which only ever holds what the
// caller's agency may see. Record text is set with textContent, never as markup. Colours
// and sizes are SVG attributes (not CSS), so an exported SVG or PNG looks as on screen.
(() => {
  "use strict";
  const svg = document.getElementById("chart");
  if (!svg) {
    return;
  }
  const NS = "http://www.w3.org/2000/svg";
  const details = document.getElementById("chart-details");
  const legend = document.getElementById("legend");
  const typeFilter = document.getElementById("type-filter");
  const colourBy = document.getElementById("colour-by");
  const buttons = {
    hide: document.getElementById("hide-node"),
    pin: document.getElementById("pin-node"),
    expand: document.getElementById("expand-node"),
  };
  const PALETTE = ["#1f5fbf", "#c8102e", "#1e7b34", "#b86e00", "#6a3d9a", "#008b8b",
    "#8c564b", "#d62785", "#5b6475", "#7f7f00"];
  const lead = svg.dataset.lead;
  const banner = svg.dataset.banner || "";
  const nodes = new Map();
  const links = new Map();
  const hidden = new Set();
  const hiddenTypes = new Set();
  const colours = new Map();
  let selected = null;
  let view = { x: 0, y: 0, k: 1 };
  let alpha = 0;
  let fitted = false;

  const el = (name, attrs, parent) => {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) {
      node.setAttribute(key, String(value));
    }
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  };
  const size = () => ({ w: svg.clientWidth || 800, h: svg.clientHeight || 540 });
  const root = el("g", {}, svg);
  const linkLayer = el("g", {}, root);
  const nodeLayer = el("g", {}, root);
  const top = el("text", { x: 8, y: 16, "font-size": 12, "font-family": "sans-serif",
    "font-weight": "bold", fill: "#000" }, svg);
  const bottom = el("text", { x: 8, y: 530, "font-size": 12, "font-family": "sans-serif",
    "font-weight": "bold", fill: "#000" }, svg);
  top.textContent = banner;
  bottom.textContent = banner;

  const colourKey = (n) => {
    const by = colourBy ? colourBy.value : "agency";
    if (by === "country") {
      return (n.countries || []).join("/") || "unknown";
    }
    return by === "schema" ? n.schema : (n.agency || "").toUpperCase();
  };
  const colourOf = (key) => {
    if (!colours.has(key)) {
      colours.set(key, PALETTE[colours.size % PALETTE.length]);
    }
    return colours.get(key);
  };
  const visible = (n) => n && !hidden.has(n.id) && !hiddenTypes.has(n.schema);
  const short = (text, most) => (text.length > most ? text.slice(0, most - 1) + "\u2026" : text);

  // --- data ---------------------------------------------------------------------------------

  const addNode = (info, near, ranked) => {
    let n = nodes.get(info.id);
    if (!n) {
      const { w, h } = size();
      const base = near && nodes.get(near) ? nodes.get(near) : { x: w / 2, y: h / 2 };
      const angle = Math.random() * 2 * Math.PI;
      n = { ...info, x: base.x + 60 * Math.cos(angle), y: base.y + 60 * Math.sin(angle),
        vx: 0, vy: 0, pinned: false, score: 0, reasons: [] };
      nodes.set(info.id, n);
    }
    if (ranked && ranked.score >= n.score) {
      n.score = ranked.score;
      n.reasons = ranked.reasons;
      n.hops = ranked.hops;
    }
    return n;
  };
  const addLink = (link) => {
    if (!nodes.has(link.source) || !nodes.has(link.target)) {
      return;
    }
    const key = [link.source, link.target].sort().join("|");
    if (!links.has(key)) {
      links.set(key, link);
    }
  };
  const merge = (data, near) => {
    addNode(data.lead, near, null);
    for (const r of data.ranked) {
      addNode(r.node, near || data.lead.id, r);
    }
    for (const link of data.links) {
      addLink(link);
    }
    for (const r of data.ranked) {
      for (const link of r.path) {
        addLink(link);
      }
    }
  };
  const load = async (id, hops, limit) => {
    const params = new URLSearchParams({ hops: String(hops), limit: String(limit) });
    for (const key of ["since", "until"]) {
      if (svg.dataset[key]) {
        params.set(key, svg.dataset[key]);
      }
    }
    const response = await fetch("/api/v1/network/expand/" + encodeURIComponent(id) + "?" + params,
      { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error("the network could not be loaded (" + response.status + ")");
    }
    merge(await response.json(), id === lead ? null : id);
    draw();
    heat(1);
  };

  // --- layout: springs along links, repulsion between nodes, a pull to the centre -----------

  const tick = () => {
    const shown = [...nodes.values()].filter(visible);
    const { w, h } = size();
    for (let i = 0; i < shown.length; i++) {
      const a = shown[i];
      for (let j = i + 1; j < shown.length; j++) {
        const b = shown[j];
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        const d2 = Math.max(dx * dx + dy * dy, 25);
        const force = (1800 / d2) * alpha;
        dx *= force / Math.sqrt(d2);
        dy *= force / Math.sqrt(d2);
        a.vx += dx; a.vy += dy; b.vx -= dx; b.vy -= dy;
      }
    }
    for (const link of links.values()) {
      const a = nodes.get(link.source);
      const b = nodes.get(link.target);
      if (!visible(a) || !visible(b)) {
        continue;
      }
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.max(Math.sqrt(dx * dx + dy * dy), 1);
      const pull = ((d - 90) / d) * 0.06 * alpha * (0.5 + link.weight);
      a.vx += dx * pull; a.vy += dy * pull; b.vx -= dx * pull; b.vy -= dy * pull;
    }
    for (const n of shown) {
      n.vx += (w / 2 - n.x) * 0.004 * alpha;
      n.vy += (h / 2 - n.y) * 0.004 * alpha;
      if (!n.pinned) {
        n.x += n.vx; n.y += n.vy;
      }
      n.vx *= 0.6; n.vy *= 0.6;
    }
  };
  // data-state tells whether the layout is still moving ("moving") or has settled
  // ("still"), for people's scripts and the browser tests alike.
  const heat = (value) => {
    const idle = alpha < 0.02;
    alpha = Math.max(alpha, value);
    if (idle) {
      svg.dataset.state = "moving";
      window.requestAnimationFrame(step);
    }
  };
  const step = () => {
    tick();
    place();
    alpha *= 0.97;
    if (alpha >= 0.02) {
      window.requestAnimationFrame(step);
    } else {
      if (!fitted) {
        fitted = true; // frame the first layout once; later expansions keep the view
        fit();
      }
      svg.dataset.state = "still";
    }
  };

  // --- drawing ------------------------------------------------------------------------------

  const place = () => {
    root.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
    for (const line of linkLayer.children) {
      const a = nodes.get(line.dataset.source);
      const b = nodes.get(line.dataset.target);
      line.setAttribute("x1", a.x); line.setAttribute("y1", a.y);
      line.setAttribute("x2", b.x); line.setAttribute("y2", b.y);
    }
    for (const g of nodeLayer.children) {
      const n = nodes.get(g.dataset.id);
      g.setAttribute("transform", `translate(${n.x},${n.y})`);
    }
    bottom.setAttribute("y", size().h - 8);
  };
  const draw = () => {
    linkLayer.replaceChildren();
    nodeLayer.replaceChildren();
    for (const link of links.values()) {
      if (!visible(nodes.get(link.source)) || !visible(nodes.get(link.target))) {
        continue;
      }
      const line = el("line", { stroke: link.cross_agency ? "#b86e00" : "#8a94a6",
        "stroke-width": (1 + 3 * link.weight).toFixed(2), "stroke-opacity": 0.8 }, linkLayer);
      if (link.cross_border) {
        line.setAttribute("stroke-dasharray", "6 3");
      }
      line.dataset.source = link.source;
      line.dataset.target = link.target;
      line.addEventListener("click", () => showLink(link));
    }
    const keys = new Set();
    for (const n of nodes.values()) {
      if (!visible(n)) {
        continue;
      }
      const key = colourKey(n);
      keys.add(key);
      const g = el("g", { cursor: "pointer" }, nodeLayer);
      g.dataset.id = n.id;
      g.setAttribute("data-testid", "chart-node");
      const radius = n.id === lead ? 13 : 6 + 8 * Math.min(n.score, 1);
      el("circle", { r: radius.toFixed(1), fill: colourOf(key),
        stroke: n.id === selected ? "#000" : n.pinned ? "#1d2330" : "#fff",
        "stroke-width": n.id === selected ? 3 : n.pinned ? 2.5 : 1.5 }, g);
      // Labels let clicks through, so a long caption never hides the node under it.
      const label = el("text", { y: radius + 11, "text-anchor": "middle", "font-size": 10,
        "font-family": "sans-serif", fill: "#1d2330", "pointer-events": "none" }, g);
      label.textContent = short(n.caption, 28);
      const title = el("title", {}, g);
      title.textContent = `${n.caption} (${n.schema}, ${(n.agency || "").toUpperCase()})`;
      g.addEventListener("pointerdown", (event) => startDrag(event, n));
    }
    drawLegend(keys);
    drawTypes();
    place();
    for (const button of Object.values(buttons)) {
      if (button) {
        button.disabled = !selected || !nodes.has(selected);
      }
    }
  };
  const drawLegend = (keys) => {
    if (!legend) {
      return;
    }
    legend.replaceChildren();
    for (const key of [...keys].sort()) {
      const item = document.createElement("span");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colourOf(key);
      item.append(swatch, key);
      legend.append(item);
    }
    const note = document.createElement("span");
    note.textContent = "dashed: cross-border · orange: cross-agency · thicker: stronger evidence";
    legend.append(note);
  };
  const drawTypes = () => {
    if (!typeFilter) {
      return;
    }
    const types = [...new Set([...nodes.values()].map((n) => n.schema))].sort();
    typeFilter.replaceChildren();
    for (const type of types) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !hiddenTypes.has(type);
      box.addEventListener("change", () => {
        if (box.checked) { hiddenTypes.delete(type); } else { hiddenTypes.add(type); }
        draw();
      });
      label.append(box, " " + type);
      typeFilter.append(label);
    }
  };

  // --- details ------------------------------------------------------------------------------

  const heading = (text) => {
    const h = document.createElement("h3");
    h.textContent = text;
    return h;
  };
  const para = (text, cls) => {
    const p = document.createElement("p");
    p.textContent = text;
    if (cls) {
      p.className = cls;
    }
    return p;
  };
  const anchor = (href, text) => {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  };
  const showNode = (n) => {
    details.replaceChildren(heading(n.caption),
      para(`${n.schema} · ${(n.agency || "").toUpperCase()}` +
        ((n.countries || []).length ? ` · ${n.countries.join(", ")}` : "") +
        (n.hops ? ` · ${n.hops} hop(s) from the lead` : ""), "muted"));
    if (n.reasons && n.reasons.length) {
      const list = document.createElement("ul");
      for (const r of n.reasons) {
        const item = document.createElement("li");
        item.textContent = `${r.name} ${r.value.toFixed(2)} \u00d7 ${r.weight.toFixed(2)}: ${r.detail}`;
        list.append(item);
      }
      details.append(para(`score ${n.score.toFixed(3)}`), list);
    }
    const nav = document.createElement("p");
    nav.append(anchor("/entities/" + encodeURIComponent(n.id), "record"), " · ",
      anchor("/network/" + encodeURIComponent(n.id), "network from here"));
    if (n.id !== lead) {
      nav.append(" · ", anchor("/network/path?source=" + encodeURIComponent(lead) +
        "&target=" + encodeURIComponent(n.id), "paths from the lead"));
    }
    details.append(nav);
  };
  const showLink = (link) => {
    const a = nodes.get(link.source);
    const b = nodes.get(link.target);
    details.replaceChildren(heading(`${a.caption} \u2014 ${b.caption}`),
      para(`strength ${link.weight.toFixed(2)}` + (link.cross_border ? " · cross-border" : "") +
        (link.cross_agency ? " · cross-agency" : ""), "muted"));
    const list = document.createElement("ul");
    for (const ev of link.evidence) {
      const item = document.createElement("li");
      item.textContent = `${ev.text} (weight ${ev.weight.toFixed(2)}` +
        (ev.dates.length ? `, ${ev.dates.join(" \u2013 ")})` : ")");
      list.append(item);
    }
    details.append(list);
  };
  const select = (n) => {
    selected = n ? n.id : null;
    if (n) {
      showNode(n);
    }
    draw();
  };
  const expand = async (id) => {
    try {
      details.replaceChildren(para("Expanding\u2026", "muted"));
      await load(id, 1, 20);
      select(nodes.get(id));
    } catch (error) {
      details.replaceChildren(para(String(error.message || error), "error"));
    }
  };

  // --- pan, zoom, drag ----------------------------------------------------------------------

  const toChart = (event) => {
    const box = svg.getBoundingClientRect();
    return { x: (event.clientX - box.left - view.x) / view.k, y: (event.clientY - box.top - view.y) / view.k };
  };
  let drag = null;
  const startDrag = (event, n) => {
    event.stopPropagation();
    drag = { node: n, moved: false, id: event.pointerId };
    svg.setPointerCapture(event.pointerId);
  };
  svg.addEventListener("pointerdown", (event) => {
    drag = { pan: { x: event.clientX - view.x, y: event.clientY - view.y }, moved: false };
    svg.classList.add("panning");
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) {
      return;
    }
    drag.moved = true;
    if (drag.node) {
      const at = toChart(event);
      drag.node.x = at.x;
      drag.node.y = at.y;
      drag.node.pinned = true;
      place();
    } else {
      view.x = event.clientX - drag.pan.x;
      view.y = event.clientY - drag.pan.y;
      place();
    }
  });
  // The pointer is captured while pressed, so clicks are told apart here: a second
  // press on the same node within DOUBLE_MS is a double-click (expand).
  const DOUBLE_MS = 400;
  let lastClick = { id: null, at: 0 };
  svg.addEventListener("pointerup", (event) => {
    if (drag && drag.node && !drag.moved) {
      const now = event.timeStamp;
      if (lastClick.id === drag.node.id && now - lastClick.at < DOUBLE_MS) {
        lastClick = { id: null, at: 0 };
        expand(drag.node.id);
      } else {
        lastClick = { id: drag.node.id, at: now };
        select(drag.node);
      }
    } else if (drag && drag.node) {
      draw();
    }
    drag = null;
    svg.classList.remove("panning");
  });
  svg.addEventListener("wheel", (event) => {
    event.preventDefault();
    const box = svg.getBoundingClientRect();
    const px = event.clientX - box.left;
    const py = event.clientY - box.top;
    const factor = Math.exp(-event.deltaY * 0.0015);
    const k = Math.min(Math.max(view.k * factor, 0.2), 5);
    view.x = px - ((px - view.x) * k) / view.k;
    view.y = py - ((py - view.y) * k) / view.k;
    view.k = k;
    place();
  }, { passive: false });

  // --- tools --------------------------------------------------------------------------------

  const fit = () => {
    const shown = [...nodes.values()].filter(visible);
    if (!shown.length) {
      return;
    }
    const xs = shown.map((n) => n.x);
    const ys = shown.map((n) => n.y);
    const { w, h } = size();
    const spanX = Math.max(...xs) - Math.min(...xs) + 80;
    const spanY = Math.max(...ys) - Math.min(...ys) + 80;
    view.k = Math.min(Math.max(Math.min(w / spanX, h / spanY), 0.2), 2);
    view.x = w / 2 - ((Math.max(...xs) + Math.min(...xs)) / 2) * view.k;
    view.y = h / 2 - ((Math.max(...ys) + Math.min(...ys)) / 2) * view.k;
    place();
  };
  const hideSelected = () => {
    if (selected && selected !== lead) {
      hidden.add(selected);
      selected = null;
      draw();
    }
  };
  const pinSelected = () => {
    const n = nodes.get(selected);
    if (n) {
      n.pinned = !n.pinned;
      draw();
    }
  };
  const on = (id, handler) => {
    const button = document.getElementById(id);
    if (button) {
      button.addEventListener("click", handler);
    }
  };
  on("hide-node", hideSelected);
  on("pin-node", pinSelected);
  on("expand-node", () => selected && expand(selected));
  on("show-all", () => { hidden.clear(); hiddenTypes.clear(); draw(); heat(0.5); });
  on("fit", fit);
  if (colourBy) {
    colourBy.addEventListener("change", () => { colours.clear(); draw(); });
  }
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) {
      return;
    }
    if (event.key === "Delete" || event.key === "Backspace") { hideSelected(); }
    if (event.key === "p") { pinSelected(); }
    if (event.key === "e" && selected) { expand(selected); }
  });

  // --- export -------------------------------------------------------------------------------

  const standalone = () => {
    const { w, h } = size();
    const copy = svg.cloneNode(true);
    copy.setAttribute("xmlns", NS);
    copy.setAttribute("width", w);
    copy.setAttribute("height", h);
    copy.setAttribute("viewBox", `0 0 ${w} ${h}`);
    copy.removeAttribute("data-testid");
    const back = document.createElementNS(NS, "rect");
    back.setAttribute("width", w); back.setAttribute("height", h); back.setAttribute("fill", "#ffffff");
    copy.insertBefore(back, copy.firstChild);
    return new XMLSerializer().serializeToString(copy);
  };
  const download = (blob, name) => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };
  on("export-svg", () => download(new Blob([standalone()], { type: "image/svg+xml" }), "network.svg"));
  on("export-png", () => {
    const { w, h } = size();
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = w * 2;
      canvas.height = h * 2;
      const context = canvas.getContext("2d");
      context.scale(2, 2);
      context.drawImage(image, 0, 0, w, h);
      canvas.toBlob((blob) => download(blob, "network.png"), "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(standalone());
  });

  load(lead, Number(svg.dataset.hops) || 3, 60)
    .catch((error) => details.replaceChildren(para(String(error.message || error), "error")));
})();
