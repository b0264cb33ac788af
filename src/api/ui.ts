/**
 * The web page served at `GET /`: instances, live values (through `GET /events`), scans and
 * the event log, in one self-contained HTML document (no external resources, so it works
 * offline and from the compiled binary). Values are written with `textContent` only.
 *
 * @module
 */

const STYLE = `
body{font:14px system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#234;color:#fff;padding:.6em 1em;display:flex;gap:1em;align-items:center}
header h1{font-size:1.1em;margin:0}main{display:grid;grid-template-columns:14em 1fr 22em;gap:1em;padding:1em}
section{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.6em;overflow:auto;max-height:80vh}
h2{font-size:1em;margin:.2em 0 .6em}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eee;padding:2px 6px;text-align:left;font-variant-numeric:tabular-nums}
li{cursor:pointer;padding:2px 0}li.sel{font-weight:bold}.flash{background:#ffe9a8}
#log div{border-bottom:1px solid #f0f0f0;font-family:monospace;font-size:12px;white-space:pre-wrap}
input{width:9em}button{margin:2px}`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
let current = null;
const rows = new Map();
function el(tag, text) { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); return e; }
function auth() { const t = $("token").value.trim(); sessionStorage.setItem("mbusgw-token", t); return t ? { Authorization: "Bearer " + t } : {}; }
async function getJson(url) { const r = await fetch(url); return r.json(); }
function log(kind, data) {
  const d = el("div", new Date().toLocaleTimeString() + " " + kind + " " + JSON.stringify(data));
  $("log").prepend(d);
  while ($("log").childElementCount > 100) $("log").lastChild.remove();
}
function setRow(path, value, unit, time) {
  let tr = rows.get(path);
  if (!tr) {
    tr = el("tr");
    for (let i = 0; i < 4; i++) tr.append(el("td"));
    rows.set(path, tr);
    $("values").append(tr);
  }
  const cells = tr.children;
  cells[0].textContent = path; cells[1].textContent = value === null ? "–" : String(value);
  if (unit !== undefined) cells[2].textContent = unit || "";
  cells[3].textContent = time || "";
  tr.classList.add("flash"); setTimeout(() => tr.classList.remove("flash"), 600);
}
async function select(name) {
  current = name; rows.clear(); $("values").replaceChildren();
  for (const li of $("instances").children) li.classList.toggle("sel", li.dataset.name === name);
  const body = await getJson("/api/instances/" + encodeURIComponent(name) + "/values");
  for (const v of body.values) setRow(v.path, v.value, v.unit, v.timestamp);
}
async function loadInstances() {
  const body = await getJson("/api/instances");
  $("instances").replaceChildren();
  for (const i of body.instances) {
    const li = el("li", i.name + " (" + i.state + ")");
    li.dataset.name = i.name; li.onclick = () => select(i.name);
    $("instances").append(li);
  }
  if (!current && body.instances[0]) await select(body.instances[0].name);
}
async function scan() {
  if (!current) return;
  const r = await fetch("/api/instances/" + encodeURIComponent(current) + "/scans", {
    method: "POST", headers: { "Content-Type": "application/json", ...auth() },
    body: JSON.stringify({ kind: "primary", from: Number($("from").value), to: Number($("to").value) }),
  });
  log("scan", await r.json());
}
function listen() {
  const es = new EventSource("/events");
  es.addEventListener("valueChanged", (e) => {
    const d = JSON.parse(e.data);
    if (d.instance === current) setRow(d.path, d.value, undefined, d.timestamp);
  });
  for (const t of ["scanProgress", "scanFinished", "busState", "bridgeState", "readFailed"]) {
    es.addEventListener(t, (e) => { log(t, JSON.parse(e.data)); if (t === "busState") loadInstances(); });
  }
}
$("token").value = sessionStorage.getItem("mbusgw-token") || "";
$("scan").onclick = scan;
loadInstances().then(listen);`;

/** The page served at `GET /`. */
export const UI_HTML: string = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mbusgw</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head>
<body><header><h1>mbusgw</h1><a href="/openapi.json" style="color:#adf">API</a>
<a href="/metrics" style="color:#adf">metrics</a>
<label>token <input id="token" type="password" autocomplete="off"></label></header>
<main><section><h2>Instances</h2><ul id="instances" style="list-style:none;padding:0"></ul>
<h2>Primary scan</h2><input id="from" type="number" value="0" min="0" max="250" style="width:4em">
–<input id="to" type="number" value="250" min="0" max="250" style="width:4em">
<button id="scan">Scan</button></section>
<section><h2>Values</h2><table><thead><tr><th>path</th><th>value</th><th>unit</th><th>time</th></tr></thead>
<tbody id="values"></tbody></table></section>
<section><h2>Events</h2><div id="log"></div></section></main>
<script>${SCRIPT}</script></body></html>
`;
