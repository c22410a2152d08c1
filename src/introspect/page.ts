/**
 * The visualiser's page: one small HTML file with its script inline. It
 * reads `/events`, keeps the graph, lays it out with elkjs (`/elk.js`), and
 * draws it as SVG: children inside their parent, a parent's boxes as small
 * tabs inside it (so passthrough links are arrows like any other), inbox
 * depths on each component, messages per second on each arrow. A click on a
 * component shows its boxes, settings and last messages (`/component/ID`).
 *
 * @module
 */

/** The page, served at `/`. */
export const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kamaelia visualiser</title>
<style>
body{margin:0;font:13px sans-serif;color:#222;display:flex;height:100vh}
#main{flex:1;overflow:auto}#side{width:340px;border-left:1px solid #ccc;padding:8px;overflow:auto;font-size:12px}
header{padding:6px 10px;background:#223;color:#eee}svg{display:block}
.node rect{fill:#fff;stroke:#557;rx:4}.node.compound>rect{fill:#f3f5fa;stroke:#99a}
.node.running>rect{stroke:#2a2;stroke-width:2}.node.waiting>rect{stroke:#e80;stroke-width:2}.node.failed>rect{stroke:#d22;stroke-width:2}
.node.sel>rect{stroke:#06c;stroke-width:3}.node{cursor:pointer}.tab rect{fill:#dde;stroke:#99a}
.name{font-weight:bold}.cls,.depth{font-size:11px;fill:#555}.depth.full{fill:#d22}
.edge{fill:none;stroke:#668;stroke-width:1.3}.edge.pass{stroke-dasharray:4 3}.edge.ctl{stroke:#bbc}.rate{font-size:11px;fill:#06c}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:2px 4px;text-align:left;vertical-align:top}
code{font-size:11px;word-break:break-all}
</style></head>
<body><div id="main"><header>Kamaelia <span id="status">connecting…</span></header><svg id="g" xmlns="http://www.w3.org/2000/svg"></svg></div>
<div id="side">Click a component to see its boxes, settings and last messages.</div>
<script src="/elk.js"></script>
<script>
"use strict";
var comps = new Map(), links = new Map(), depths = new Map(), rates = new Map();
var dropped = 0, selected = null, laying = false, dirty = false, layout = null;
var elk = new ELK();
var NS = "http://www.w3.org/2000/svg";
function el(tag, attrs, parent, text) {
  var e = document.createElementNS(NS, tag);
  for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
function apply(e) {
  if (e.type === "snapshot") {
    comps.clear(); links.clear();
    e.components.forEach(function (c) { comps.set(c.id, c); });
    e.links.forEach(function (l) { links.set(l.id, l); });
    return true;
  }
  if (e.type === "activated") { comps.set(e.component.id, e.component); return true; }
  if (e.type === "finished" || e.type === "failed") { comps.delete(e.id); return true; }
  if (e.type === "linked") { links.set(e.link.id, e.link); return true; }
  if (e.type === "unlinked") { links.delete(e.id); return true; }
  if (e.type === "metrics") {
    depths.clear(); rates.clear();
    e.depths.forEach(function (d) { depths.set(d.component + "." + d.box, d); });
    e.rates.forEach(function (r) { rates.set(r.link, r.perSecond); });
    Object.keys(e.states).forEach(function (id) { var c = comps.get(Number(id)); if (c) c.state = e.states[id]; });
  }
  return false;
}
function graph() {
  var kids = new Map(), roots = [], tabs = new Map();
  comps.forEach(function (c) {
    if (c.parent !== null && comps.has(c.parent)) { if (!kids.has(c.parent)) kids.set(c.parent, []); kids.get(c.parent).push(c.id); }
    else roots.push(c.id);
  });
  function end(a) {
    if (!comps.has(a.component)) return null;
    if (!kids.has(a.component)) return "c" + a.component;
    if (!tabs.has(a.component)) tabs.set(a.component, new Set());
    tabs.get(a.component).add(a.box);
    return "t" + a.component + ":" + a.box;
  }
  var edges = [];
  links.forEach(function (l) {
    var s = end(l.from), t = end(l.to);
    if (s && t && s !== t) edges.push({ id: "e" + edges.length, sources: [s], targets: [t], link: l });
  });
  function node(id) {
    var c = comps.get(id), n = { id: "c" + id };
    var ch = (kids.get(id) || []).map(node);
    (tabs.get(id) || new Set()).forEach(function (b) { ch.push({ id: "t" + id + ":" + b, width: 8 + 6.5 * b.length, height: 18, tab: b }); });
    if (ch.length > 0) { n.children = ch; n.layoutOptions = { "elk.padding": "[top=34,left=12,bottom=12,right=12]" }; }
    else { n.width = Math.max(120, 7.2 * Math.max(c.name.length, c.class.length) + 16); n.height = 52; }
    return n;
  }
  return { id: "root", children: roots.map(node), edges: edges, layoutOptions: {
    "elk.algorithm": "layered", "elk.direction": "RIGHT", "elk.hierarchyHandling": "INCLUDE_CHILDREN",
    "elk.layered.spacing.nodeNodeBetweenLayers": "36", "elk.spacing.nodeNode": "18", "elk.edgeRouting": "ORTHOGONAL" } };
}
function relayout() {
  if (laying) { dirty = true; return; }
  laying = true; dirty = false;
  var g = graph();
  elk.layout(g).then(function (r) { layout = r; draw(); }, function (err) { document.getElementById("status").textContent = "layout failed: " + err; })
    .then(function () { laying = false; if (dirty) relayout(); });
}
function draw() {
  var svg = document.getElementById("g");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  if (!layout) return;
  var w = (layout.width || 0) + 20, h = (layout.height || 0) + 20;
  // Scaled down to fit the window when wider (viewBox), never up.
  svg.setAttribute("viewBox", "0 0 " + w + " " + h); svg.setAttribute("width", w); svg.setAttribute("style", "max-width:100%;height:auto");
  var defs = el("defs", {}, svg), mk = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto" }, defs);
  el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#668" }, mk);
  var pos = { root: { x: 10, y: 10 } }, nodesLayer = el("g", {}, svg), edgesLayer = el("g", {}, svg);
  function box(n, ox, oy, parent) {
    var x = ox + n.x, y = oy + n.y;
    pos[n.id] = { x: x, y: y };
    if (n.tab) {
      var tg = el("g", { "class": "tab" }, parent);
      el("rect", { x: x, y: y, width: n.width, height: n.height, rx: 8 }, tg);
      el("text", { x: x + 4, y: y + 13, "class": "cls" }, tg, n.tab);
      return;
    }
    var c = comps.get(Number(n.id.slice(1)));
    var st = c.state === "waiting for room" ? "waiting" : c.state;
    var g = el("g", { "class": "node " + st + (n.children ? " compound" : "") + (selected === c.id ? " sel" : ""), "data-id": c.id, "data-class": c.class, "data-name": c.name }, parent);
    el("rect", { x: x, y: y, width: n.width, height: n.height }, g);
    el("text", { x: x + 6, y: y + 15, "class": "name" }, g, c.name);
    var d = 0, full = false, limit = null;
    c.boxes.forEach(function (b) {
      if (b.kind !== "inbox") return;
      var m = depths.get(c.id + "." + b.name);
      if (m) { d += m.depth; if (m.limit !== null && m.depth >= m.limit) full = true; if (b.name === "inbox") limit = m.limit; }
    });
    el("text", { x: x + 6, y: y + 29, "class": "cls" }, g, n.children ? c.class : c.class);
    if (!n.children || d > 0) el("text", { x: x + (n.children ? 180 : 6), y: y + (n.children ? 15 : 44), "class": "depth" + (full ? " full" : "") }, g, "depth " + d + (limit !== null ? "/" + limit : ""));
    g.addEventListener("click", function (ev) { ev.stopPropagation(); show(c.id); });
    (n.children || []).forEach(function (k) { box(k, x, y, parent); });
  }
  (layout.children || []).forEach(function (n) { box(n, 10, 10, nodesLayer); });
  (layout.edges || []).forEach(function (e) {
    var o = pos[e.container || "root"] || pos.root, l = e.link;
    (e.sections || []).forEach(function (s) {
      var pts = [s.startPoint].concat(s.bendPoints || [], [s.endPoint]);
      var d = pts.map(function (p, i) { return (i ? "L" : "M") + (o.x + p.x) + "," + (o.y + p.y); }).join(" ");
      var ctl = l.to.box === "control";
      var path = el("path", { d: d, "class": "edge" + (l.passthrough ? " pass" : "") + (ctl ? " ctl" : ""), "marker-end": "url(#arrow)", "data-link": l.id }, edgesLayer);
      el("title", {}, path, l.from.box + " \\u2192 " + l.to.box);
      var r = rates.get(l.id), mid = pts[Math.floor(pts.length / 2)];
      // Rates always; box names only where they are not the usual outbox to inbox, and never on shutdown paths.
      var label = (r ? r + "/s " : "") + ((l.from.box === "outbox" && l.to.box === "inbox") || ctl || l.passthrough ? "" : l.from.box + "\\u2192" + l.to.box);
      if (label) el("text", { x: o.x + mid.x + 3, y: o.y + mid.y - 3, "class": "rate" }, edgesLayer, label);
    });
  });
  document.getElementById("status").textContent = comps.size + " components, " + links.size + " links" + (dropped ? ", " + dropped + " events dropped" : "");
  document.body.setAttribute("data-drawn", String(comps.size));
}
function esc(s) { return String(s).replace(/[&<>]/g, function (ch) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;" }[ch]; }); }
function show(id) {
  selected = id; draw();
  fetch("/component/" + id).then(function (r) { return r.json(); }).then(function (c) {
    var side = document.getElementById("side");
    if (c.error) { side.textContent = c.error; return; }
    var h = "<h3>" + esc(c.name) + "</h3><div>" + esc(c.class) + " \\u2014 " + esc(c.state) + "</div><div><code>" + esc(c.path) + "</code></div><h4>Boxes</h4><table><tr><th>box</th><th>depth</th><th>msgs</th><th>dead</th></tr>";
    c.boxes.forEach(function (b) {
      h += "<tr title='" + esc(b.description) + "'><td>" + (b.kind === "inbox" ? "\\u2192 " : "\\u2190 ") + esc(b.name) + "</td><td>" + (b.kind === "inbox" ? b.depth + (b.limit !== null ? "/" + b.limit : "") : "") + "</td><td>" + (b.kind === "inbox" ? b.messagesIn : b.messagesOut) + "</td><td>" + b.deadLetters + "</td></tr>";
    });
    h += "</table><h4>Settings</h4><table>";
    Object.keys(c.settings).forEach(function (k) { h += "<tr><td>" + esc(k) + "</td><td><code>" + esc(JSON.stringify(c.settings[k])) + "</code></td></tr>"; });
    h += "</table><h4>Last messages</h4>";
    c.lastMessages.forEach(function (m) { h += "<div><b>" + esc(m.box) + "</b></div>" + m.messages.map(function (x) { return "<div><code>" + esc(x) + "</code></div>"; }).join(""); });
    if (c.lastMessages.length === 0) h += "<div>none yet</div>";
    side.innerHTML = h;
  });
}
var es = new EventSource("/events");
es.addEventListener("batch", function (ev) {
  var b = JSON.parse(ev.data), structural = false;
  dropped = b.droppedTotal;
  b.events.forEach(function (e) { if (apply(e)) structural = true; });
  if (structural) relayout(); else draw();
});
es.onerror = function () { document.getElementById("status").textContent = "disconnected (retrying)"; };
</script></body></html>
`;
