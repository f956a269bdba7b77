// The operator dashboard: a live table of runs (the task API plus its event stream) and one issue's detail.
// Server data only ever reaches the page through textContent and checked attributes, never as HTML.
// The operator key is typed once into the sign-in form and exchanged for an HttpOnly session cookie: this script never
// stores it. Reads and the event stream carry the cookie; cancel and retry add the dashboard's X-Requested-From header.
"use strict";

const STATES = ["Idle", "Queued", "Provisioning", "Running", "Publishing", "Succeeded", "NoChanges", "Failed", "TimedOut", "Cancelled"];
const ACTIVE = new Set(["Queued", "Provisioning", "Running", "Publishing"]);

const runs = new Map();            // key -> RunEntry
let openKey = null;                // the issue whose detail is shown
let detailRequest = 0;             // ignores answers to detail reads that were overtaken
let pendingAction = null;          // "cancel" | "retry", waiting for the operator to sign in
let events = null;                 // the live event stream, while reads are allowed

/** The server refused a read or an action (401: sign in; 403: it cannot be allowed from here). */
class Refused extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

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

// GitHub refused the run's status comment for longer than the service retries it: the issue may not show the ending.
const STALE_COMMENT = "The status comment on GitHub could not be updated: it may not show how this run ended.";
const staleComment = () => el("span", { class: "stale-comment", title: STALE_COMMENT, "aria-label": STALE_COMMENT }, "⚠ comment");

function row(entry) {
  const tr = el("tr", { "data-key": entry.key, "data-state": entry.state, tabindex: "0", "aria-selected": String(entry.key === openKey) },
    el("td", { class: "mono" }, el("span", { class: "repo" }, entry.repository), `#${entry.number}`),
    el("td", { class: "title" }, entry.title || "—"),
    el("td", {}, badge(entry.state), entry.iteration > 1 ? el("span", { class: "iteration", title: `Iteration ${entry.iteration}, from a ${entry.source}` }, `iteration ${entry.iteration}`) : "",
      entry.commentStale ? staleComment() : ""),
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

async function refusal(response) {
  return response.status === 401 || response.status === 403 ? new Refused(response.status, await problemText(response)) : null;
}

async function loadRuns() {
  const response = await fetch("/api/tasks?pageSize=200", { headers: { Accept: "application/json" } });
  const refused = await refusal(response);
  if (refused) throw refused;
  if (!response.ok) throw new Error(await problemText(response));
  const page = await response.json();
  page.items.forEach(upsert);
  renderTable();
}

// The stream first, then the table: every change after the stream opened arrives as an event, and the table is
// (re)read on each open, so nothing is missed before or while the stream was down.
function listen() {
  events?.close();
  const live = $("live");
  const source = events = new EventSource("/api/tasks/events");
  source.addEventListener("open", () => {
    live.dataset.live = "open";
    live.textContent = "Live";
    loadRuns().catch(readFailed);
  });
  source.addEventListener("error", () => {
    live.dataset.live = "error";
    live.textContent = "Reconnecting…";
    // A refused stream is not retried by the browser: ask the API why (it may need a sign-in), then listen again.
    if (source.readyState === EventSource.CLOSED && source === events) {
      events = null;
      loadRuns().then(() => setTimeout(() => { if (!events) listen(); }, 5000), readFailed);
    }
  });
  source.addEventListener("run", message => {
    const entry = JSON.parse(message.data);
    if (upsert(entry)) renderTable();
    if (entry.key === openKey) refreshDetail();
  });
}

function readFailed(error) {
  if (!(error instanceof Refused)) {
    $("empty").hidden = false;
    $("empty").textContent = `Could not load runs: ${error.message}`;
    return;
  }

  events?.close();
  events = null;
  $("live").dataset.live = "error";
  $("live").textContent = error.status === 401 ? "Not signed in" : "Closed";
  runs.clear();
  renderTable();
  showSignIn(error.message, { blocking: true, possible: error.status === 401 });
}

// ---- the detail ------------------------------------------------------------------------------------------------

function openDetail(key) {
  openKey = key;
  pendingAction = null;
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
    const refused = await refusal(response);
    if (refused) { readFailed(refused); return; }
    if (!response.ok) { showMessage(await problemText(response)); return; }
    renderDetail(await response.json());
  } catch (error) {
    if (request === detailRequest) showMessage(`Could not load ${key}: ${error.message}`);
  }
}

function fact(list, term, value, className) {
  list.append(el("dt", {}, term), el("dd", className ? { class: className } : {}, value));
}

// A .NET TimeSpan as JSON ("[d.]hh:mm:ss[.fffffff]") said like the run durations: "2.5s", "1m 3s", "1h 2m".
function span(text) {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(typeof text === "string" ? text : "");
  if (!match) return "";
  const seconds = (+(match[1] ?? 0)) * 86400 + (+match[2]) * 3600 + (+match[3]) * 60 + (+match[4]);
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
  return h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${seconds.toFixed(1)}s`;
}

// One setup or validate command: phase, command, ✅/❌, duration (or "did not run"), and its last lines when it failed.
function check(c) {
  const how = c.exitCode === -1 ? "did not run" : c.exitCode === 0 ? span(c.duration) : `${span(c.duration)}, exit code ${c.exitCode}`;
  const item = el("li", { class: c.exitCode === 0 ? "passed" : "failed" },
    el("span", {}, c.exitCode === 0 ? "✅" : "❌"), el("span", { class: "muted" }, c.phase), el("code", {}, c.command),
    el("span", { class: "muted" }, how));
  if (c.exitCode !== 0 && c.tail) item.append(el("pre", { class: "log" }, c.tail));
  return item;
}

function transcriptPath(key, runId) {
  return `${issuePath(key)}/runs/${encodeURIComponent(runId)}/transcript`;
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
  if (run?.iteration > 1) fact(facts, "Iteration", `${run.iteration} on pull request #${run.pullRequestNumber}`);
  fact(facts, "Sandbox", el("code", {}, snapshot.sandboxId ?? "—"));
  fact(facts, "Branch", el("code", {}, snapshot.branch ?? "—"));
  fact(facts, "Pull request", link(snapshot.pullRequestUrl, snapshot.pullRequestUrl ?? ""));
  fact(facts, "Cost", run?.turns ? `${cost(run.costUsd)} · ${run.turns} turns` : cost(run?.costUsd));
  fact(facts, "Duration", duration(transitions[0]?.at, ended ? transitions.at(-1)?.at : null));
  fact(facts, "Model", run?.model ?? "the agent's default");
  fact(facts, "Verified", run?.verified === true ? "yes" : run?.verified === false ? "no (validation failed)" : "not validated",
    run?.verified === false ? "error" : undefined);
  if (run?.incompleteBecause) fact(facts, "Incomplete", run.incompleteBecause, "error");
  if (run?.transcriptKept) fact(facts, "Transcript", el("a", { href: transcriptPath(snapshot.key, run.runId), target: "_blank", rel: "noopener" }, "stream-json"));
  if (snapshot.pendingCommands) fact(facts, "Pending", `${snapshot.pendingCommands} command(s)`);
  if (snapshot.error) fact(facts, "Error", snapshot.error, "error");
  if (run?.commentStale) fact(facts, "Status comment", STALE_COMMENT, "error");

  $("detail-timeline").replaceChildren(...timeline(run).map(t =>
    el("li", {}, el("time", { datetime: t.at }, when(t.at)), t.message ? el("span", { class: "badge message" }, "Message") : badge(t.state),
      el("span", { class: "note" }, t.note ?? ""))));
  $("detail-checks").replaceChildren(...((run?.checks ?? []).length ? run.checks.map(check) : [el("li", { class: "muted" }, "None")]));
  $("detail-steps").replaceChildren(...((run?.steps ?? []).length ? run.steps.map(s =>
    el("li", {}, el("time", { datetime: s.at }, when(s.at)), el("span", { class: "tool" }, s.tool), el("span", { class: "note" }, s.text)))
    : [el("li", { class: "muted" }, "None yet")]));
  $("detail-log").textContent = snapshot.logTail?.length ? snapshot.logTail.join("\n") : "(no output)";
  $("detail-history").replaceChildren(...runGroups(snapshot.history));
}

/** The run's transitions and the messages sent to it (taken, then delivered), in time order. */
function timeline(run) {
  const entries = (run?.transitions ?? []).map(t => ({ at: t.at, state: t.state, note: t.note }));
  for (const m of run?.messages ?? []) {
    const fate = m.late ? " (came after the work was published: not delivered)" : "";
    entries.push({ at: m.at, message: true, note: `from @${m.from}${fate}: ${m.text}` });
    if (m.deliveredAt) entries.push({ at: m.deliveredAt, message: true, note: `from @${m.from} delivered to the agent` });
  }
  return entries.sort((a, b) => time(a.at) - time(b.at));
}

/** The issue's runs, newest first; a pull request's iterations grouped under it, each with what started it. */
function runGroups(all) {
  const item = r => el("li", {}, el("code", {}, r.runId), badge(r.state),
    el("span", {}, r.iteration > 1 ? `iteration ${r.iteration} · ${r.source} by ${r.requestedBy}` : `${r.source} by ${r.requestedBy}`),
    el("span", { class: "muted" }, when(r.transitions[0]?.at)));
  const groups = new Map();
  const items = [];
  for (const r of all.slice().reverse()) {
    if (!r.pullRequestNumber) { items.push(item(r)); continue; }
    if (!groups.has(r.pullRequestNumber)) {
      const list = el("ul", { class: "iterations" });
      groups.set(r.pullRequestNumber, list);
      items.push(el("li", { class: "pull-request", "data-pull-request": String(r.pullRequestNumber) },
        el("span", {}, `Pull request #${r.pullRequestNumber}`), list));
    }
    groups.get(r.pullRequestNumber).append(item(r));
  }
  return items.length ? items : [el("li", { class: "muted" }, "None")];
}

function showMessage(text, kind = "error") {
  const message = $("detail-message");
  message.hidden = !text;
  message.textContent = text ?? "";
  message.dataset.kind = kind;
}

// ---- signing in -----------------------------------------------------------------------------------------------

// blocking: reads are refused, so there is nothing to show until the operator signs in.
// possible: false when the server cannot take a key at all (no Api:Key configured): the message says what to set.
// Several reads can be refused at once (the table, the stream, a linked detail): a later refusal updates the message
// but must not wipe a key the operator has started typing.
function showSignIn(message, { blocking, possible = true }) {
  const opening = $("sign-in").hidden;
  $("sign-in").hidden = false;
  $("main").hidden = blocking;
  $("sign-in-message").textContent = message ?? "";
  $("sign-in-form").hidden = !possible;
  $("sign-in-cancel").hidden = blocking;
  if (!opening) return;
  $("sign-in-key").value = "";
  if (possible) $("sign-in-key").focus();
}

function hideSignIn() {
  $("sign-in").hidden = true;
  $("main").hidden = false;
  $("sign-in-key").value = "";
}

async function refreshSession() {
  try {
    const response = await fetch("/api/session", { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const status = await response.json();
    $("sign-out").hidden = !status.session;
    $("sign-in-open").hidden = status.signedIn || !status.keyConfigured || !status.publicReads;
  } catch {
    // The buttons stay as they are; the next read tells the rest.
  }
}

async function signIn() {
  const response = await fetch("/api/session", {
    method: "POST",
    headers: { Accept: "application/json" },
    body: new URLSearchParams({ key: $("sign-in-key").value.trim() }),
  });
  if (!response.ok) {
    $("sign-in-message").textContent = await problemText(response);
    $("sign-in-key").select();
    return;
  }

  hideSignIn();
  await refreshSession();
  listen();
  if (openKey) refreshDetail();
  const action = pendingAction;
  pendingAction = null;
  if (action) perform(action);
}

async function signOut() {
  await fetch("/api/session", { method: "DELETE" });
  pendingAction = null;
  runs.clear();
  renderTable();
  await refreshSession();
  listen();  // with public reads the table comes back; otherwise the refusal asks for a sign-in
}

// ---- cancel and retry ------------------------------------------------------------------------------------------

async function act(action) {
  // The answer is the grain's view when it took the command; a run event that arrives meanwhile reads a newer one,
  // and this answer must not overwrite it.
  const path = issuePath(openKey), request = ++detailRequest;
  showMessage(null);
  const response = await fetch(`${path}/${action}`, { method: "POST", headers: { Accept: "application/json", "X-Requested-From": "dashboard" } });
  if (response.status === 401) {
    pendingAction = action;
    showSignIn(`Sign in to ${action} this run. ${await problemText(response)}`, { blocking: false });
    return;
  }
  if (!response.ok) { showMessage(await problemText(response)); return; }
  const snapshot = await response.json();
  if (request === detailRequest) renderDetail(snapshot);
  showMessage(action === "cancel" ? "Cancellation requested." : "A new run was requested.", "ok");
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
  $("sign-in-form").addEventListener("submit", event => {
    event.preventDefault();
    signIn().catch(error => { $("sign-in-message").textContent = `Could not sign in: ${error.message}`; });
  });
  $("sign-in-cancel").addEventListener("click", () => { pendingAction = null; hideSignIn(); });
  $("sign-in-open").addEventListener("click", () => showSignIn("Sign in with the operator key to cancel or retry runs.", { blocking: false }));
  $("sign-out").addEventListener("click", () => { signOut().catch(() => refreshSession()); });
  document.addEventListener("keydown", event => { if (event.key === "Escape" && openKey) closeDetail(); });

  refreshSession();
  listen();
  const linked = new URLSearchParams(location.search).get("issue");  // status comments link to /?issue=owner/repo#n (DashboardRoutes)
  if (linked && issuePath(linked)) openDetail(linked);
  setInterval(tickDurations, 1000);
}

start();
