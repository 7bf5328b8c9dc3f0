// entente serve: the charts (uPlot), the network (Cytoscape.js) and the filter form.
// Data comes from the page's own /api twin; text is set with textContent, never as HTML.
"use strict";

const COOPERATION = "#2e7d32";
const CONFLICT = "#c62828";
const NEUTRAL = "#9e9e9e";

function message(el, text) {
  const p = document.createElement("p");
  p.className = "muted";
  p.textContent = text;
  el.replaceChildren(p);
}

// -- charts: cooperation above the line, conflict below, the undated apart at the right ------------
function seriesOf(s) {
  const labels = (s.labels || s.months || []).slice();
  const coop = s.cooperation.slice();
  const conf = s.conflict.map((n) => -n);
  for (const [name, extra] of [["year only", s.year_only], ["undated", s.undated]]) {
    if (extra && (extra.cooperation || extra.conflict)) {
      labels.push(name);
      coop.push(extra.cooperation);
      conf.push(-extra.conflict);
    }
  }
  const none = (n) => (n === 0 ? null : n); // an empty period draws no bar at all
  return { labels, coop: coop.map(none), conf: conf.map(none) };
}

function drawChart(el, s) {
  const { labels, coop, conf } = seriesOf(s);
  if (!labels.length) {
    message(el, "No asserted event to chart.");
    return;
  }
  const xs = labels.map((_, i) => i);
  const bars = uPlot.paths.bars({ size: [0.8, 40] });
  const top = Math.max(1, ...coop.map((n) => n || 0));
  const bottom = Math.max(1, ...conf.map((n) => -(n || 0)));
  const opts = {
    width: Math.max(300, el.clientWidth),
    height: 220,
    legend: { show: true, live: false },
    cursor: { drag: { x: true, y: false } }, // drag across the chart to zoom into a period; double-click to zoom out
    scales: { x: { time: false, range: [-0.6, labels.length - 0.4] }, y: { range: [-bottom * 1.1, top * 1.1] } },
    axes: [
      {
        values: (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? labels[i] : "")),
        space: 60,
      },
      { values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(Math.abs(v)) : "")), label: "events" },
    ],
    series: [
      {},
      { label: "cooperation", fill: COOPERATION, stroke: COOPERATION, paths: bars, points: { show: false } },
      {
        label: "conflict", fill: CONFLICT, stroke: CONFLICT, paths: bars, points: { show: false },
        value: (u, v) => (v == null ? "" : String(Math.abs(v))),
      },
    ],
  };
  el.replaceChildren();
  const plot = new uPlot(opts, [xs, coop, conf], el);
  window.addEventListener("resize", () => plot.setSize({ width: Math.max(300, el.clientWidth), height: 220 }));
}

function loadCharts() {
  for (const el of document.querySelectorAll("[data-chart]")) {
    fetch(el.dataset.chart, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.status))))
      .then((data) => drawChart(el, data[el.dataset.key]))
      .catch(() => message(el, "The chart could not be loaded."));
  }
}

// -- the network ---------------------------------------------------------------------------------------
function goldsteinColour(g) {
  if (g === null || g === undefined) return NEUTRAL;
  const t = Math.max(-1, Math.min(1, g / 5)); // ±5 and beyond: full colour
  const mix = (a, b, f) => Math.round(a + (b - a) * f);
  const from = [0x9e, 0x9e, 0x9e];
  const to = t < 0 ? [0xc6, 0x28, 0x28] : [0x2e, 0x7d, 0x32];
  const f = Math.abs(t);
  return `rgb(${mix(from[0], to[0], f)}, ${mix(from[1], to[1], f)}, ${mix(from[2], to[2], f)})`;
}

function drawNetwork(el, data) {
  if (!data.edges.length) {
    message(el, "No events between two actors yet.");
    return;
  }
  const maxEvents = Math.max(...data.edges.map((e) => e.events));
  const maxNode = Math.max(...data.nodes.map((n) => n.events));
  const n = data.nodes.length;
  const elements = data.nodes.map((node, i) => ({
    group: "nodes",
    data: { id: node.id, label: node.label || node.name, events: node.events },
    position: { x: 300 * Math.cos((2 * Math.PI * i) / n), y: 300 * Math.sin((2 * Math.PI * i) / n) },
  }));
  for (const e of data.edges) {
    elements.push({
      group: "edges",
      data: {
        id: `${e.source}|${e.target}`, source: e.source, target: e.target, href: e.href,
        width: 1 + 7 * Math.sqrt(e.events / maxEvents), colour: goldsteinColour(e.goldstein_mean),
        label: `${e.events} · ${e.goldstein_mean === null ? "–" : e.goldstein_mean.toFixed(1)}`,
      },
    });
  }
  const cy = cytoscape({
    container: el,
    elements,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3, color: "#222",
          "background-color": "#37474f", width: (ele) => 10 + 26 * Math.sqrt(ele.data("events") / maxNode),
          height: (ele) => 10 + 26 * Math.sqrt(ele.data("events") / maxNode),
        },
      },
      {
        selector: "edge",
        style: { width: "data(width)", "line-color": "data(colour)", "curve-style": "bezier", opacity: 0.85 },
      },
      { selector: "edge:active, edge.hover", style: { label: "data(label)", "font-size": 10, opacity: 1 } },
    ],
    layout: { name: "cose", randomize: false, animate: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90 },
  });
  cy.on("tap", "edge", (evt) => { window.location.assign(evt.target.data("href")); });
  cy.on("tap", "node", (evt) => { window.location.assign("/actors/" + encodeURIComponent(evt.target.id())); });
  cy.on("mouseover", "edge", (evt) => evt.target.addClass("hover"));
  cy.on("mouseout", "edge", (evt) => evt.target.removeClass("hover"));
  el.dataset.ready = "true";
  window.ententeNetwork = cy; // for the browser test: edges can be clicked by id
}

function loadNetwork() {
  const el = document.getElementById("network");
  if (!el || typeof cytoscape === "undefined") return;
  fetch(el.dataset.src, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.status))))
    .then((data) => drawNetwork(el, data))
    .catch(() => message(el, "The network could not be loaded."));
}

// -- the filter form: empty fields stay out of the URL, so a shared link says only what it filters -------
function tidyFilters() {
  for (const form of document.querySelectorAll("form.filters, form.jump")) {
    form.addEventListener("submit", () => {
      for (const field of form.elements) {
        if (field.name && field.value === "") field.disabled = true;
      }
    });
  }
  window.addEventListener("pageshow", () => {  // back in history: the fields disabled on submit work again
    for (const field of document.querySelectorAll("form.filters [disabled], form.jump [disabled]")) field.disabled = false;
  });
  for (const select of document.querySelectorAll("form.filters select")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
}

window.addEventListener("DOMContentLoaded", () => {
  tidyFilters();
  if (typeof uPlot !== "undefined") loadCharts();
  loadNetwork();
});
