// The operator dashboard: a live table of runs (the task API plus its event stream) and one issue's detail.
// Server data only ever reaches the page through textContent and checked attributes, never as HTML.
"use strict";

const STATES = ["Idle", "Queued", "Provisioning", "Running", "Publishing", "Succeeded", "NoChanges", "Failed", "TimedOut", "Cancelled"];
const ACTIVE = new Set(["Queued", "Provisioning", "Running", "Publishing"]);
const KEY_STORAGE = "sandbox-agents.operator-key";

const runs = new Map();            // key -> RunEntry
let openKey = null;                // the issue whose detail is shown
let detailRequest = 0;             // ignores answers to detail reads that were overtaken
let pendingAction = null;          // "cancel" | "retry", waiting for the operator key

const $ = id => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

const badge = state => el("span", { class: "badge", "data-state": state }, state);
const time = value => new Date(value).getTime();
const safeUrl = value => (typeof value === "string" && /^https?:\/\//i.test(value) ? value : null);
const link = (url, text) => (safeUrl(url) ? el("a", { href: safeUrl(url), target: "_blank", rel: "noopener noreferrer" }, text) : "—");
const cost = value => (value === null || value === undefined ? "—" : `$${Number(value).toFixed(2)}`);

function when(value) {
  if (!value) return "—";
  const date = new Date(value);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString() : date.toLocaleString();
}

function duration(from, to) {
  if (!from) return "—";
  const seconds = Math.max(0, Math.round(((to ? time(to) : Date.now()) - time(from)) / 1000));
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`;
}

function issuePath(key) {
  const match = /^([^/]+)\/([^#]+)#(\d+)$/.exec(key);
  return match ? `/api/tasks/${encodeURIComponent(match[1])}/${encodeURIComponent(match[2])}/${match[3]}` : null;
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

// ---- the table -------------------------------------------------------------------------------------------------

function upsert(entry) {
  const known = runs.get(entry.key);
  if (known && known.runId === entry.runId && time(known.updatedAt) > time(entry.updatedAt)) return false;
  if (known && known.runId !== entry.runId && time(known.createdAt) > time(entry.createdAt)) return false;
  runs.set(entry.key, entry);
  return true;
}

function matches(entry) {
  const state = $("filter-state").value;
  const repository = $("filter-repository").value.trim().toLowerCase();
  return (!state || entry.state === state) && (!repository || entry.repository.toLowerCase().includes(repository));
}

function row(entry) {
  const tr = el("tr", { "data-key": entry.key, "data-state": entry.state, tabindex: "0", "aria-selected": String(entry.key === openKey) },
    el("td", { class: "mono" }, el("span", { class: "repo" }, entry.repository), `#${entry.number}`),
    el("td", { class: "title" }, entry.title || "—"),
    el("td", {}, badge(entry.state)),
    el("td", {}, entry.requestedBy),
    el("td", { title: entry.createdAt }, when(entry.createdAt)),
    el("td", { class: "num", "data-since": entry.createdAt, "data-until": entry.endedAt }, duration(entry.createdAt, entry.endedAt)),
    el("td", { class: "num" }, cost(entry.costUsd)),
    el("td", {}, link(entry.pullRequestUrl, "Open")));
  tr.addEventListener("click", event => { if (!event.target.closest("a")) openDetail(entry.key); });
  tr.addEventListener("keydown", event => { if (event.key === "Enter" && event.target === tr) openDetail(entry.key); });
  return tr;
}

function renderTable() {
  const all = [...runs.values()].sort((a, b) => time(b.createdAt) - time(a.createdAt));
  const shown = all.filter(matches);
  $("runs").tBodies[0].replaceChildren(...shown.map(row));
  $("empty").hidden = shown.length > 0;
  $("empty").textContent = all.length ? "No runs match the filters." : "No runs yet.";
  $("count").textContent = shown.length === all.length ? `${all.length} runs` : `${shown.length} of ${all.length} runs`;
}

function tickDurations() {
  for (const cell of document.querySelectorAll("td[data-since]:not([data-until])")) {
    cell.textContent = duration(cell.dataset.since, null);
  }
}

async function loadRuns() {
  const response = await fetch("/api/tasks?pageSize=200", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(await problemText(response));
  const page = await response.json();
  page.items.forEach(upsert);
  renderTable();
}

function listen() {
  const live = $("live");
  const events = new EventSource("/api/tasks/events");
  let dropped = false;
  events.addEventListener("open", () => {
    live.dataset.live = "open";
    live.textContent = "Live";
    if (dropped) loadRuns().catch(showLoadError);  // changes may have been missed while the stream was down
  });
  events.addEventListener("error", () => {
    dropped = true;
    live.dataset.live = "error";
    live.textContent = "Reconnecting…";
  });
  events.addEventListener("run", message => {
    const entry = JSON.parse(message.data);
    if (upsert(entry)) renderTable();
    if (entry.key === openKey) refreshDetail();
  });
}

function showLoadError(error) {
  $("empty").hidden = false;
  $("empty").textContent = `Could not load runs: ${error.message}`;
}

// ---- the detail ------------------------------------------------------------------------------------------------

function openDetail(key) {
  openKey = key;
  pendingAction = null;
  $("key-form").hidden = true;
  showMessage(null);
  $("detail").hidden = false;
  document.querySelector(".layout").classList.add("with-detail");
  $("detail-title").textContent = key;
  for (const tr of $("runs").tBodies[0].rows) tr.setAttribute("aria-selected", String(tr.dataset.key === key));
  history.replaceState(null, "", `?issue=${encodeURIComponent(key)}`);
  refreshDetail();
}

function closeDetail() {
  openKey = null;
  $("detail").hidden = true;
  document.querySelector(".layout").classList.remove("with-detail");
  for (const tr of $("runs").tBodies[0].rows) tr.setAttribute("aria-selected", "false");
  history.replaceState(null, "", location.pathname);
}

async function refreshDetail() {
  const key = openKey, request = ++detailRequest;
  const path = issuePath(key);
  if (!path) return;
  try {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    if (request !== detailRequest || key !== openKey) return;
    if (!response.ok) { showMessage(await problemText(response)); return; }
    renderDetail(await response.json());
  } catch (error) {
    if (request === detailRequest) showMessage(`Could not load ${key}: ${error.message}`);
  }
}

function fact(list, term, value, className) {
  list.append(el("dt", {}, term), el("dd", className ? { class: className } : {}, value));
}

function renderDetail(snapshot) {
  const run = snapshot.history.at(-1) ?? null;
  const transitions = run?.transitions ?? [];
  const ended = STATES.indexOf(snapshot.state) >= STATES.indexOf("Succeeded");
  const state = $("detail-state");
  state.textContent = snapshot.state;
  state.dataset.state = snapshot.state;
  $("detail").dataset.state = snapshot.state;
  $("action-cancel").disabled = !ACTIVE.has(snapshot.state);
  $("action-retry").disabled = ACTIVE.has(snapshot.state) || snapshot.history.length === 0;

  const facts = $("detail-facts");
  facts.replaceChildren();
  fact(facts, "Run", el("code", {}, snapshot.runId ?? "—"));
  fact(facts, "Requested by", run ? `${run.requestedBy} (${run.source})` : "—");
  fact(facts, "Sandbox", el("code", {}, snapshot.sandboxId ?? "—"));
  fact(facts, "Branch", el("code", {}, snapshot.branch ?? "—"));
  fact(facts, "Pull request", link(snapshot.pullRequestUrl, snapshot.pullRequestUrl ?? ""));
  fact(facts, "Cost", run?.turns ? `${cost(run.costUsd)} · ${run.turns} turns` : cost(run?.costUsd));
  fact(facts, "Duration", duration(transitions[0]?.at, ended ? transitions.at(-1)?.at : null));
  if (snapshot.pendingCommands) fact(facts, "Pending", `${snapshot.pendingCommands} command(s)`);
  if (snapshot.error) fact(facts, "Error", snapshot.error, "error");

  $("detail-timeline").replaceChildren(...transitions.map(t =>
    el("li", {}, el("time", { datetime: t.at }, when(t.at)), badge(t.state), el("span", { class: "note" }, t.note ?? ""))));
  $("detail-log").textContent = snapshot.logTail?.length ? snapshot.logTail.join("\n") : "(no output)";
  const earlier = snapshot.history.slice(0, -1).reverse();
  $("detail-history").replaceChildren(...(earlier.length ? earlier.map(r =>
    el("li", {}, el("code", {}, r.runId), badge(r.state), el("span", { class: "muted" }, when(r.transitions[0]?.at))))
    : [el("li", { class: "muted" }, "None")]));
}

function showMessage(text, kind = "error") {
  const message = $("detail-message");
  message.hidden = !text;
  message.textContent = text ?? "";
  message.dataset.kind = kind;
}

// ---- cancel and retry ------------------------------------------------------------------------------------------

function askForKey(action, why) {
  pendingAction = action;
  $("key-form").hidden = false;
  $("key-input").value = "";
  $("key-input").focus();
  showMessage(why);
}

async function act(action) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (!key) { askForKey(action, null); return; }
  const path = issuePath(openKey);
  showMessage(null);
  const response = await fetch(`${path}/${action}`, { method: "POST", headers: { Authorization: `Bearer ${key}`, Accept: "application/json", "X-Requested-From": "dashboard" } });
  if (response.status === 401) {
    sessionStorage.removeItem(KEY_STORAGE);
    $("forget-key").hidden = true;
    askForKey(action, await problemText(response));
    return;
  }
  if (!response.ok) { showMessage(await problemText(response)); return; }
  showMessage(action === "cancel" ? "Cancellation requested." : "A new run was requested.", "ok");
  renderDetail(await response.json());
}

function perform(action) {
  act(action).catch(error => showMessage(`Could not ${action}: ${error.message}`));
}

// ---- start -----------------------------------------------------------------------------------------------------

function start() {
  $("filter-state").append(...STATES.map(state => el("option", { value: state }, state)));
  $("filter-state").addEventListener("change", renderTable);
  $("filter-repository").addEventListener("input", renderTable);
  $("detail-close").addEventListener("click", closeDetail);
  $("action-cancel").addEventListener("click", () => perform("cancel"));
  $("action-retry").addEventListener("click", () => perform("retry"));
  $("forget-key").hidden = !sessionStorage.getItem(KEY_STORAGE);
  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORAGE);
    $("forget-key").hidden = true;
  });
  $("key-cancel").addEventListener("click", () => { pendingAction = null; $("key-form").hidden = true; showMessage(null); });
  $("key-form").addEventListener("submit", event => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $("key-input").value.trim());
    $("key-form").hidden = true;
    $("forget-key").hidden = false;
    const action = pendingAction;
    pendingAction = null;
    if (action) perform(action);
  });
  document.addEventListener("keydown", event => { if (event.key === "Escape" && openKey) closeDetail(); });

  loadRuns().catch(showLoadError);
  listen();
  const linked = new URLSearchParams(location.search).get("issue");  // status comments link to /?issue=owner/repo#n
  if (linked && issuePath(linked)) openDetail(linked);
  setInterval(tickDurations, 1000);
}

start();
