// @ts-check
// What Matters When: live widgets.
// Every [data-wm-widget] arrives with its first state rendered at build time. When a widget
// is first seen (or touched), one shared worker loads Python and the engine; from then on
// the engine answers each click and keystroke and this script only swaps its HTML in.
// No guide knowledge lives here: requests go to decision.api.handle, HTML comes back, and
// what a click or a field does is declared by the HTML's attributes (data-wm-set/-value,
// data-wm-unset, data-wm-form with data-wm-key/-type/-clears, data-wm-list, data-wm-action);
// the protocol version and the link size limit come from the widget element (data-wm-v,
// data-wm-max-state). This script names no widget.

const WORKER_URL = new URL("worker.js", import.meta.url);
const MANIFEST_URL = new URL("runtime.json", import.meta.url);
// Loading gives up after this long without any progress, however long the whole load takes.
const STALL_MS = 20000;
const TYPING_DELAY_MS = 250;
// A page that has just loaded starts only the widgets in view. Once the reader scrolls, a
// widget starts as it comes within half a screen of the viewport, so the download is under way
// before the reader reaches it; a reader who never comes near a widget downloads none of it,
// and one who opens a page with a widget just below the fold (Embed on a phone) pays nothing
// until they scroll toward it.
const NEAR_MARGIN = "50% 0px";
// Signs that a reader is about to use a widget; any of them starts it at once.
const INTENT_EVENTS = ["pointerenter", "pointerdown", "touchstart", "focusin"];
const HASH_PREFIX = "#wm=";
const SLOT_SEPARATOR = "~";
const KEY_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
// The release this script belongs to, written in by the site build (decision/publishing/pages.py;
// "dev" when unstamped). The page's widgets, the worker and the engine's manifest must agree.
const BUILD = "dev";

const NOTES = {
  failed: "The interactive version couldn't start here, so this is the static version.",
  retry: "Try again",
  stale: "A new version of this page is out; reload to use the interactive version.",
  reload: "Reload the page",
  badLink: "The answers saved in this link couldn't be used, so the widget starts from its example.",
  saveData: "Load the interactive version",
  copied: "Copied.",
  notCopied: "Couldn't copy; your browser blocked the clipboard.",
  tooLong: "This result is too long to share as a link.",
  starting: "Downloaded; starting Python…",
  outdated: "These figures are for what you entered before; correct the marked field to update them.",
};

// --- the shared runtime: one worker per visit, whatever the navigation -----------------
// The worker answers one request at a time. Each widget has a lane that holds at most one
// waiting request: a newer one replaces it (the older one resolves as SUPERSEDED), so a
// slow answer never leaves a widget working through its own backlog.

const SUPERSEDED = Object.freeze({ superseded: true });
let runtime = null;

function startRuntime() {
  // A failed start is tried again by the next widget that starts (or a "Try again" button);
  // a stale one (another release) can only be cured by a reload.
  if (runtime && (!runtime.failed || runtime.stale)) return runtime;
  const listeners = new Set();
  const waiting = new Map();
  let busy = null;
  let nextId = 1;
  let worker = null;
  let timer = null;
  let settle;
  const ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  ready.catch(() => {});
  const rt = { ready, failed: false, stale: false, live: false, listeners, ask };
  runtime = rt;
  const fail = (detail) => {
    if (rt.failed) return;
    rt.failed = true;
    clearTimeout(timer);
    console.error("[whatmatters] the Python runtime failed:", detail);
    settle.reject(new Error("runtime failed"));
    const stopped = new Error("runtime failed");
    if (busy) busy.reject(stopped);
    for (const entry of waiting.values()) entry.reject(stopped);
    busy = null;
    waiting.clear();
    if (worker) worker.terminate();
  };
  // Time out on stalled progress only: every sign of life from the worker restarts the clock.
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(`nothing after ${STALL_MS / 1000} s without progress`), STALL_MS);
  };
  const pump = () => {
    if (busy || !rt.live || rt.failed || waiting.size === 0) return;
    const [lane, entry] = waiting.entries().next().value;
    waiting.delete(lane);
    busy = { id: nextId++, resolve: entry.resolve, reject: entry.reject };
    worker.postMessage({ type: "ask", id: busy.id, request: entry.request });
  };
  function ask(request, lane = Symbol("once")) {
    return ready.then(() => new Promise((resolve, reject) => {
      // A worker that failed after starting is gone: answer at once instead of never.
      if (rt.failed) { reject(new Error("runtime failed")); return; }
      const older = waiting.get(lane);
      if (older) older.resolve(SUPERSEDED);
      waiting.delete(lane);
      waiting.set(lane, { request, resolve, reject });
      pump();
    }));
  }
  alive();
  try {
    worker = new Worker(WORKER_URL, { type: "module" });
  } catch (error) {
    fail(error);
    return rt;
  }
  worker.onmessage = ({ data }) => {
    if (rt.failed) return;
    if (data.type === "progress") { alive(); listeners.forEach((listener) => listener(data)); }
    else if (data.type === "alive") alive();
    else if (data.type === "ready") { clearTimeout(timer); rt.live = true; settle.resolve(); pump(); }
    else if (data.type === "failed") fail(data.detail);
    else if (data.type === "stale") { rt.stale = true; fail(data.detail); }
    else if (data.type === "response" && busy && data.id === busy.id) {
      const done = busy;
      busy = null;
      done.resolve(data.response);
      pump();
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    const detail = event.message || "the worker stopped";
    if (rt.live) { fail(detail); return; }
    // A worker script that won't load at all may be one a newer release has removed (404):
    // then only a reload helps, and the widgets say so instead of offering "Try again".
    fetch(WORKER_URL, { method: "HEAD", cache: "no-cache" })
      .then((response) => { if (response.status === 404) rt.stale = true; }, () => {})
      .finally(() => fail(rt.stale ? `worker script gone (404): ${WORKER_URL.href}` : detail));
  };
  worker.postMessage({ type: "init", manifest: MANIFEST_URL.href, build: BUILD });
  return rt;
}

// --- shared links: #wm=<key>.<state>~<key>.<state>, one slot per widget of the page ------
// <key> is the widget element's id without "wm-" (unique on its page); <state> is the
// base64url JSON of that widget's state. The address is untrusted: parts that aren't a
// slot are ignored, and the engine's `restore` checks every state.

// "Report a miss" links (the screener's): pointed at the site's repository, named by a
// <meta name="wm-repo"> from mkdocs.yml's repo_url. Without one they stay hidden. Opening the
// link is the reader's click; the issue form there sends nothing until they submit it.
function linkIssues(root) {
  const repo = document.querySelector('meta[name="wm-repo"]')?.getAttribute("content") || "";
  let base;
  try {
    base = new URL(repo.replace(/\/+$/, "") + "/issues/new");
  } catch {
    return;
  }
  if (base.protocol !== "https:") return;
  for (const link of root.querySelectorAll("a[data-wm-issue-title]")) {
    const url = new URL(base);
    url.searchParams.set("title", link.dataset.wmIssueTitle);
    url.searchParams.set("body", link.dataset.wmIssueBody || "");
    link.href = url.href;
    link.target = "_blank";
    link.rel = "noopener";
    link.closest(".wm-report")?.removeAttribute("hidden");
  }
}

function encodeState(state) {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  let binary = "";
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function addressSlots(hash = window.location.hash) {
  const slots = new Map();
  if (!hash.startsWith(HASH_PREFIX)) return slots;
  for (const part of hash.slice(HASH_PREFIX.length).split(SLOT_SEPARATOR)) {
    const dot = part.indexOf(".");
    const key = dot < 0 ? part : part.slice(0, dot);
    if (dot < 0 || !KEY_PATTERN.test(key) || slots.has(key)) continue;
    slots.set(key, part.slice(dot + 1));
  }
  return slots;
}

function addressWith(slots) {
  const parts = [...slots].map(([key, state]) => `${key}.${state}`);
  const { pathname, search, hash } = window.location;
  return pathname + search + (parts.length ? HASH_PREFIX + parts.join(SLOT_SEPARATOR)
    : hash.startsWith(HASH_PREFIX) ? "" : hash);
}

// An "On this page" link would swap the address's #wm=... for #section, and Material's
// instant navigation would then mount the page afresh from its static HTML. While widgets
// hold state, such a click is handled here instead: the section scrolls into view and a
// history entry is added that keeps the widgets' slots, so widgets keep their state, the
// address keeps saying it, and Back and Forward show what each entry says.
window.addEventListener("click", (event) => {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement)) return;
  if (link.target && link.target !== "_self") return;
  const url = new URL(link.href, window.location.href);
  const here = window.location;
  if (url.origin !== here.origin || url.pathname !== here.pathname || url.search !== here.search) return;
  if (!url.hash || url.hash.startsWith(HASH_PREFIX)) return;
  const slots = addressSlots();
  if (!slots.size) return;
  let target;
  try { target = document.getElementById(decodeURIComponent(url.hash.slice(1))); } catch { return; }
  if (!target) return;
  event.preventDefault();
  event.stopPropagation();
  history.pushState(null, "", addressWith(slots));
  target.scrollIntoView();
}, true);

// --- requests: dotted paths in, form fields read as the HTML declares them ----------------

const UNSAFE_PARTS = new Set(["__proto__", "constructor", "prototype"]);

function getPath(object, path) {
  let node = object;
  for (const part of path.split(".")) node = node && typeof node === "object" ? node[part] : undefined;
  return node;
}

// A copy of `object` with `path` set to `value` (or removed when `value` is undefined).
function withPath(object, path, value) {
  const parts = path.split(".");
  if (parts.some((part) => !part || UNSAFE_PARTS.has(part))) throw new Error(`bad request path ${path}`);
  const copy = structuredClone(object);
  let node = copy;
  for (const part of parts.slice(0, -1)) {
    if (!node[part] || typeof node[part] !== "object" || Array.isArray(node[part])) {
      if (value === undefined) return copy;
      node[part] = {};
    }
    node = node[part];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function fieldValue(field) {
  const type = field.dataset.wmType || "text";
  if (type === "bool") return field.checked;
  if (type === "flag") return field.value === "" ? undefined : field.value === "yes";
  if (type === "count" || type === "number") return field.value.trim() === "" ? undefined : Number(field.value);
  return field.value;
}

// --- one widget -----------------------------------------------------------------------

const widgets = new Set();
let lanes = 0;

class Widget {
  constructor(element) {
    this.el = element;
    this.name = element.dataset.wmWidget;
    this.key = element.id.replace(/^wm-/, "");
    this.version = Number(element.dataset.wmV);
    this.maxState = Number(element.dataset.wmMaxState);
    this.base = JSON.parse(element.dataset.wmRequest);
    this.stateKeys = (element.dataset.wmStateKeys || "").split(" ").filter(Boolean);
    this.request = structuredClone(this.base);
    this.page = window.location.pathname;  // the page this widget belongs to
    this.lane = `widget-${++lanes}`;
    this.seq = 0;          // the newest refresh; answers to older ones are ignored
    this.want = null;      // what the pending refreshes together ask to update
    this.shown = null;     // the saved state this widget last read from or wrote to the address
    this.started = false;
    this.record = "";
    this.timer = null;
    this.status = element.querySelector(".wm-status");
    this.body = element.querySelector(".wm-body");
  }

  setState(state) { this.el.dataset.wmState = state; }

  say(text) { this.status.textContent = text; }

  current() { return this.el.isConnected && window.location.pathname === this.page; }

  // Start when near the viewport or touched; with Save-Data on, wait for an explicit click.
  arm() {
    // A page of another release than this script (instant navigation across a release).
    if (BUILD !== "dev" && this.el.dataset.wmBuild && this.el.dataset.wmBuild !== BUILD) {
      this.setState("stale");
      this.say(NOTES.stale);
      this.offerReload();
      return;
    }
    const saved = addressSlots().get(this.key);
    if (saved !== undefined) { this.start(saved); return; }
    const watch = (rootMargin) => {
      const seen = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) go(); },
                                            { rootMargin });
      seen.observe(this.el);
      return seen;
    };
    const scrolled = () => { observer.disconnect(); observer = watch(NEAR_MARGIN); };
    const go = () => {
      observer.disconnect();
      window.removeEventListener("scroll", scrolled);
      for (const type of INTENT_EVENTS) this.el.removeEventListener(type, go);
      if (this.started) return;
      if (navigator.connection && navigator.connection.saveData && !(runtime && runtime.live)) this.offer();
      else this.start(null);
    };
    let observer = watch("0px");
    window.addEventListener("scroll", scrolled, { once: true, passive: true });
    for (const type of INTENT_EVENTS) this.el.addEventListener(type, go, { passive: true });
  }

  offer() {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "wm-load";
    button.textContent = NOTES.saveData;
    button.addEventListener("click", () => { button.remove(); this.start(null); }, { once: true });
    this.status.replaceChildren(button);
  }

  async start(saved) {
    this.started = true;
    this.el.querySelector(".wm-retry")?.remove();
    const rt = startRuntime();
    if (!rt.live) {
      this.setState("loading");
      this.say("");
      const progress = ({ loaded, total }) => {
        const mb = (n) => (n / 1048576).toFixed(1);
        // Once every byte is in, Python still has to start: say so rather than sit at "10 of 10 MB".
        if (loaded >= total) this.say(NOTES.starting);
        else this.say(`Loading Python… ${mb(loaded)} of ${mb(total)} MB`);
      };
      rt.listeners.add(progress);
      try { await rt.ready; } catch { this.fail(); return; } finally { rt.listeners.delete(progress); }
    }
    this.wire();
    if (saved !== null) { await this.restore(saved, true); return; }
    // What the reader did to the static version (an answer opened, a box ticked, a field typed)
    // is what the live widget starts from, with focus where the reader left it.
    const carried = carryStatic(this);
    const focus = rememberFocus(this);
    if (carried) { this.request = carried.request; this.carrying = carried; }
    await this.refresh({ focus: false, share: Boolean(carried) });
    this.carrying = null;
    restoreFocus(this, focus);
  }

  // Show what a saved state says; a state the engine refuses shows the example and a note.
  async restore(saved, scroll) {
    this.shown = saved;
    const restored = await this.ask({ v: this.version, op: "restore", widget: this.name, request: this.base,
                                      state: saved });
    if (!restored || restored === SUPERSEDED || this.shown !== saved) return;
    if (restored.ok) {
      this.request = restored.result.request;
      if (await this.refresh({ focus: false, share: false }) && scroll) this.el.scrollIntoView({ block: "center" });
      return;
    }
    this.request = structuredClone(this.base);
    if (await this.refresh({ focus: false, share: false })) this.say(NOTES.badLink);
  }

  // The address changed (Back, Forward, a link to this page): show what it says now.
  follow() {
    if (!this.current()) return;
    const wanted = addressSlots().get(this.key) ?? null;
    if (!this.started) {
      if (wanted !== null) this.start(wanted);
      return;
    }
    if (wanted === this.shown || this.el.dataset.wmState === "error") return;
    if (wanted !== null) { this.restore(wanted, false); return; }
    this.shown = null;
    this.request = structuredClone(this.base);
    this.refresh({ focus: false, share: false });
  }

  fail() {
    const stale = Boolean(runtime && runtime.stale);
    this.setState(stale ? "stale" : "error");
    this.say(stale ? NOTES.stale : NOTES.failed);
    if (stale) { this.offerReload(); return; }
    if (this.el.querySelector(".wm-retry")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button wm-retry";
    button.textContent = NOTES.retry;
    button.addEventListener("click", retryFailed, { once: true });
    this.status.after(button);
  }

  // A newer release replaced this page's files: a reload is the one thing that helps.
  offerReload() {
    if (this.el.querySelector(".wm-reload")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button wm-reload";
    button.textContent = NOTES.reload;
    button.addEventListener("click", () => window.location.reload(), { once: true });
    this.status.after(button);
  }

  async ask(request) {
    try {
      return await startRuntime().ask(request, this.lane);
    } catch {
      this.fail();
      return null;
    }
  }

  // Ask the engine for the current request; swap the whole body, only the result parts
  // (`partial`), or nothing but the decision record (`recordOnly`).
  async refresh(options = {}) {
    const asked = { partial: false, recordOnly: false, focus: true, share: true, ...options };
    const before = this.want;
    this.want = before ? {
      partial: before.partial && asked.partial, recordOnly: before.recordOnly && asked.recordOnly,
      focus: asked.focus, share: before.share || asked.share,
    } : asked;
    const seq = ++this.seq;
    const response = await this.ask({ ...this.request, render: true });
    if (seq !== this.seq) return false;  // a newer request of this widget is on its way
    const how = this.want;
    this.want = null;
    if (!response || response === SUPERSEDED) return false;
    if (!this.el.isConnected) return false;  // instant navigation replaced the page meanwhile
    if (!response.ok) {
      if (this.carrying && this.el.dataset.wmState !== "live") return this.startFromExample(response.error);
      if (this.el.dataset.wmState === "live" && showFieldError(this, response.error)) return false;
      if (this.el.dataset.wmState !== "live") {
        // The engine can't answer even the first state: keep the static version.
        console.error("[whatmatters] the engine couldn't answer:", response.error);
        this.fail();
      } else this.say(response.error.message);
      return false;
    }
    this.say("");
    clearFieldErrors(this);
    if (response.request) this.request = response.request;
    this.record = response.record || "";
    if (how.recordOnly) {
      // nothing to swap: the ticks the reader made are already on the page
    } else if (how.partial) {
      const fresh = document.createElement("template");
      fresh.innerHTML = response.html;
      for (const part of fresh.content.querySelectorAll("[data-wm-swap]")) {
        if (!(part instanceof HTMLElement)) continue;
        const old = this.body.querySelector(`[data-wm-swap="${part.dataset.wmSwap}"]`);
        if (old) old.replaceWith(part);
      }
      // The wrapper names the state too (data-wm-stage="beta"): keep its attributes current.
      const [now, next] = [this.body.firstElementChild, fresh.content.firstElementChild];
      if (now && next && now.tagName === next.tagName) {
        for (const { name } of [...now.attributes]) if (!next.hasAttribute(name)) now.removeAttribute(name);
        for (const { name, value } of next.attributes) now.setAttribute(name, value);
      }
    } else {
      this.body.innerHTML = response.html;
    }
    this.setState("live");
    linkIssues(this.body);
    this.el.querySelector(".wm-toolbar").hidden = false;
    if (how.share) this.shareSoon();
    if (how.focus && !how.recordOnly) {
      const target = this.body.querySelector('[tabindex="-1"]');
      if (target) target.focus();
    }
    return true;
  }

  // What the reader typed before the widget went live can't be answered: start from the example,
  // put the reader's entries back in their fields and mark the one at fault.
  async startFromExample(error) {
    const carried = this.carrying;
    this.carrying = null;
    this.request = structuredClone(this.base);
    if (!await this.refresh({ focus: false, share: false })) return false;
    putBackFields(this, carried.fields);
    showFieldError(this, error);
    return false;
  }

  // This widget's saved state, or null when it is longer than a link can carry.
  payload() {
    const state = {};
    for (const key of this.stateKeys) if (this.request[key] !== undefined) state[key] = this.request[key];
    const encoded = encodeState(state);
    return encoded.length <= this.maxState ? encoded : null;
  }

  // Write the slot after the next frame: history.replaceState makes Chromium lay the page out
  // at once (to save the scroll position), which on top of the swap made one long task; after
  // the frame the layout is done and the write is cheap. If the address moves meanwhile (Back,
  // Forward, a link), the write is dropped and follow() shows what the address says.
  shareSoon() {
    if (this.sharing) return;
    this.sharing = true;
    const moves = addressMoves;
    requestAnimationFrame(() => setTimeout(() => {
      this.sharing = false;
      if (addressMoves === moves) this.share();
    }, 0));
  }

  // Write this widget's slot into the address, only while its own page is the current one.
  share() {
    if (!this.current()) return;
    const slots = addressSlots();
    const payload = this.payload();
    if (payload === null) slots.delete(this.key);
    else slots.set(this.key, payload);
    this.shown = payload;
    history.replaceState(history.state, "", addressWith(slots));
  }

  link() {
    const payload = this.payload();
    if (payload === null) return null;
    const url = new URL(window.location.href);
    url.hash = HASH_PREFIX + this.key + "." + payload;
    return url.href;
  }

  wire() {
    if (this.wired) return;
    this.wired = true;
    this.el.addEventListener("click", (event) => this.onClick(event));
    this.el.addEventListener("input", (event) => this.onInput(event));
    this.el.addEventListener("change", (event) => this.onInput(event));
    this.el.addEventListener("submit", (event) => event.preventDefault());
  }

  onClick(event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const set = target.closest("[data-wm-set]");
    const unset = target.closest("[data-wm-unset]");
    const action = target.closest("[data-wm-action]");
    if (set && this.body.contains(set)) {
      this.request = withPath(this.request, set.dataset.wmSet, set.dataset.wmValue ?? "");
      this.refresh();
    } else if (unset && this.body.contains(unset)) {
      this.request = withPath(this.request, unset.dataset.wmUnset, undefined);
      this.refresh();
    } else if (action) {
      const name = action.dataset.wmAction;
      if (name === "copy-link") {
        const link = this.link();
        if (link === null) this.say(NOTES.tooLong);
        else this.copy(link);
      } else if (name === "copy-record") this.copy(this.record);
    }
  }

  onInput(event) {
    const field = event.target instanceof Element ? event.target : null;
    if (!field) return;
    const list = field.closest("[data-wm-list]");
    if (list && this.body.contains(list)) {
      if (event.type !== "change") return;
      const ticked = [...list.querySelectorAll("input[type=checkbox]:checked")]
        .map((box) => Number(box.value)).sort((a, b) => a - b);
      this.request = withPath(this.request, list.dataset.wmList, ticked);
      const recordOnly = list.dataset.wmRefresh === "record";
      this.refresh({ recordOnly, partial: !recordOnly, focus: false });
      return;
    }
    const form = field.closest("form[data-wm-form]");
    if (!form || !this.body.contains(form)) return;
    if (event.type === "input") { this.typed = true; markOutdated(this, false); }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      let next = this.request;
      for (const input of form.querySelectorAll("[data-wm-key]")) {
        const value = fieldValue(input);
        // An emptied field falls back to the example's value.
        next = withPath(next, input.dataset.wmKey, value === undefined ? getPath(this.base, input.dataset.wmKey) : value);
      }
      for (const key of (form.dataset.wmClears || "").split(" ").filter(Boolean)) next = withPath(next, key, undefined);
      // Focus leaving a field fires "change" with nothing typed since the last answer: ask nothing,
      // not even what the form clears (a tick made since would be lost). Anything typed is always
      // answered, even when it reads as the request already shown.
      const typed = this.typed;
      this.typed = false;
      if (!typed) return;
      this.request = next;
      this.refresh({ partial: true, focus: false });
    }, event.type === "change" ? 0 : TYPING_DELAY_MS); // a committed value (Enter, Tab, a select) needs no pause
  }

  // "Copied" shows under the toolbar and, through the status's aria-live, is read out; emptied
  // first so that copying twice is announced twice.
  async copy(text) {
    this.say("");
    try {
      if (!navigator.clipboard) throw new Error("no clipboard in this context");
      await navigator.clipboard.writeText(text);
      this.say(NOTES.copied);
    } catch (error) {
      console.warn("[whatmatters] clipboard:", error);
      this.say(NOTES.notCopied);
    }
  }
}

// --- carrying the static version into the live one ----------------------------------------
// Before Python is ready the reader may already have opened an answer of a static flow, ticked
// a box or typed into a field. Everything here reads the attributes the engine's HTML declares
// (data-wm-key, data-wm-list, data-wm-carry/-value), never a widget's name.

// The request the static version now says, with the fields the reader changed; null when untouched.
function carryStatic(widget) {
  let request = widget.request;
  const fields = [];
  for (const field of widget.body.querySelectorAll("form[data-wm-form] [data-wm-key]")) {
    if (!fieldChanged(field)) continue;
    const value = fieldValue(field);
    fields.push([field.dataset.wmKey, field.type === "checkbox" ? field.checked : field.value]);
    request = withPath(request, field.dataset.wmKey,
                       value === undefined ? getPath(widget.base, field.dataset.wmKey) : value);
  }
  for (const list of widget.body.querySelectorAll("[data-wm-list]")) {
    const boxes = [...list.querySelectorAll("input[type=checkbox]")];
    if (!boxes.some((box) => box.checked !== box.defaultChecked)) continue;
    const ticked = boxes.filter((box) => box.checked).map((box) => Number(box.value)).sort((a, b) => a - b);
    request = withPath(request, list.dataset.wmList, ticked);
  }
  for (const [path, value] of openedAnswers(widget.body)) request = withPath(request, path, value);
  return request === widget.request ? null : { request, fields };
}

function fieldChanged(field) {
  if (field.type === "hidden") return false;
  if (field.type === "checkbox") return field.checked !== field.defaultChecked;
  if (field.tagName === "SELECT") return [...field.options].some((o) => o.selected !== o.defaultSelected);
  return field.value !== field.defaultValue;
}

// The answers a reader opened in a static tree, outermost first: at each question the opened
// answer (the last one opened, if several are), then the questions inside it.
function openedAnswers(body) {
  const chosen = [];
  let scope = body.querySelector(".wm-tree");
  while (scope) {
    const open = [...scope.querySelectorAll("details[data-wm-carry][open]")]
      .filter((d) => d.parentElement.closest("details[data-wm-carry], .wm-tree") === scope);
    if (!open.length) break;
    const last = open.reduce((a, b) => (Number(b.dataset.wmOpened || 0) > Number(a.dataset.wmOpened || 0) ? b : a));
    chosen.push([last.dataset.wmCarry, last.dataset.wmValue]);
    scope = last;
  }
  return chosen;
}

// Which static answer the reader opened last, for when several answers of one question are open.
let openings = 0;
document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (details instanceof HTMLDetailsElement && details.open && details.dataset.wmCarry) {
    details.dataset.wmOpened = String(++openings);
  }
}, true);

// Where focus is inside a widget, described so the same control can be found in new HTML.
function rememberFocus(widget) {
  const here = /** @type {HTMLInputElement | null} */ (document.activeElement);
  if (!here || !widget.el.contains(here) || here === widget.el) return null;
  const at = { element: here };
  if (here.dataset.wmKey) at.selector = `[data-wm-key="${CSS.escape(here.dataset.wmKey)}"]`;
  else if (here.closest("[data-wm-list]") && here.value !== undefined) {
    const list = here.closest("[data-wm-list]").getAttribute("data-wm-list");
    at.selector = `[data-wm-list="${CSS.escape(list)}"] input[value="${CSS.escape(here.value)}"]`;
  }
  try { at.selection = [here.selectionStart, here.selectionEnd]; } catch { /* number fields have none */ }
  return at;
}

// Put focus back on the same control, or on the new state's heading: never on the page's <body>.
function restoreFocus(widget, at) {
  if (!at || (document.activeElement && document.activeElement !== document.body && at.element.isConnected)) return;
  const same = at.selector ? widget.body.querySelector(at.selector) : null;
  const target = same || widget.body.querySelector('[tabindex="-1"]') || widget.body.querySelector("input, button, summary");
  if (!target) return;
  target.focus({ preventScroll: true });
  if (same && at.selection && at.selection[0] !== null) {
    try { same.setSelectionRange(...at.selection); } catch { /* not a text field */ }
  }
}

function putBackFields(widget, fields) {
  for (const [key, value] of fields) {
    const field = widget.body.querySelector(`[data-wm-key="${CSS.escape(key)}"]`);
    if (!field) continue;
    if (field.type === "checkbox") field.checked = value;
    else field.value = value;
  }
}

// --- errors at their field, and results that say when they are out of date ------------------

// The engine's error names the request field at fault: say it beside that field. False when no
// field of this widget's form has that key (the error is then said in the widget's status).
function showFieldError(widget, error) {
  if (!error || !error.field) return false;
  const form = "form[data-wm-form]";
  const key = CSS.escape(error.field);
  // A field inside a group ("signals.users") is named by its own key ("users") in the engine's error.
  const inGroup = widget.body.querySelectorAll(`${form} [data-wm-key$=".${key}"]`);
  const field = widget.body.querySelector(`${form} [data-wm-key="${key}"]`) || (inGroup.length === 1 ? inGroup[0] : null);
  if (!field) return false;
  clearFieldErrors(widget);
  const note = document.createElement("span");
  note.className = "wm-field-error";
  note.id = `${widget.el.id}-error-${error.field.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  note.textContent = error.say || error.message;
  field.setAttribute("aria-invalid", "true");
  field.dataset.wmDescribedBefore = field.getAttribute("aria-describedby") || "";
  field.setAttribute("aria-describedby", [field.dataset.wmDescribedBefore, note.id].filter(Boolean).join(" "));
  field.after(note);
  markOutdated(widget, true);
  return true;
}

function clearFieldErrors(widget) {
  for (const note of widget.body.querySelectorAll(".wm-field-error")) note.remove();
  for (const field of widget.body.querySelectorAll('[aria-invalid="true"]')) {
    field.removeAttribute("aria-invalid");
    const before = field.dataset.wmDescribedBefore;
    if (before) field.setAttribute("aria-describedby", before);
    else field.removeAttribute("aria-describedby");
    delete field.dataset.wmDescribedBefore;
  }
  for (const part of widget.body.querySelectorAll("[data-wm-outdated]")) delete part.dataset.wmOutdated;
  for (const note of widget.body.querySelectorAll(".wm-outdated-note")) note.remove();
}

// The results no longer match the form: dimmed while the answer is on its way, and, when the
// entries can't be answered, headed by a sentence saying the figures are for earlier entries.
function markOutdated(widget, withNote) {
  for (const part of widget.body.querySelectorAll("[data-wm-swap]")) {
    part.dataset.wmOutdated = withNote ? "kept" : "pending";
  }
  const result = widget.body.querySelector('[data-wm-swap="result"]');
  if (withNote && result && !result.querySelector(".wm-outdated-note")) {
    const note = document.createElement("p");
    note.className = "wm-outdated-note";
    note.textContent = NOTES.outdated;
    result.prepend(note);
  }
}

// --- checklists outside widgets: ticks kept in this browser, surviving a reload ---------------

const TICKS_PREFIX = "whatmatters:ticks:";

function keepTicks() {
  for (const list of document.querySelectorAll("ul[data-wm-checklist]")) {
    if (!(list instanceof HTMLElement)) continue;
    if (list.closest("[data-wm-widget]") || list.dataset.wmKept) continue;
    list.dataset.wmKept = "yes";
    const key = TICKS_PREFIX + window.location.pathname + ":" + list.dataset.wmChecklist;
    let saved;
    try { saved = JSON.parse(localStorage.getItem(key) || "[]"); } catch { saved = []; }
    if (!Array.isArray(saved)) saved = [];
    const boxes = /** @type {NodeListOf<HTMLInputElement>} */ (list.querySelectorAll("input[type=checkbox]"));
    for (const box of boxes) {
      if (saved.includes(Number(box.value))) box.checked = true;
    }
    list.addEventListener("change", () => {
      const ticked = [...boxes].filter((box) => box.checked).map((box) => Number(box.value));
      try {
        if (ticked.length) localStorage.setItem(key, JSON.stringify(ticked));
        else localStorage.removeItem(key);
      } catch (error) { console.warn("[whatmatters] ticks not kept:", error); }
    });
  }
}

// "Try again": every widget of the page that couldn't start starts afresh, on a new worker.
function retryFailed() {
  for (const widget of widgets) {
    if (widget.el.isConnected && widget.el.dataset.wmState === "error") {
      widget.start(addressSlots().get(widget.key) ?? null);
    }
  }
}

// --- mounting: on every page Material shows, including after instant navigation --------

const mounted = new WeakSet();
// Mounting never takes more than this of one task (Material's start on the same document$
// emission is a long task already): what is left waits for a task of its own. The first slice
// runs at once, so a page reached by instant navigation doesn't wait behind Material's tasks.
const MOUNT_SLICE_MS = 8;

function mountOne(element) {
  if (!element.isConnected) return;  // instant navigation replaced the page meanwhile
  try {
    const widget = new Widget(element);
    widgets.add(widget);
    widget.arm();
  } catch (error) {
    console.error("[whatmatters] a widget could not start:", error);
    element.dataset.wmState = "error";
  }
}

function mountAll() {
  keepTicks();
  enhanceTables();
  for (const widget of widgets) if (!widget.el.isConnected) widgets.delete(widget);
  const pending = [...document.querySelectorAll("[data-wm-widget]")].filter((element) => !mounted.has(element));
  pending.forEach((element) => mounted.add(element));
  const slice = () => {
    const until = performance.now() + MOUNT_SLICE_MS;
    while (pending.length && performance.now() < until) mountOne(pending.shift());
    if (pending.length) setTimeout(slice, 0);
  };
  slice();
}

// Back, Forward and links within the page: every widget shows what the address says.
let addressMoves = 0;  // how often the reader moved the address (a pending share is then dropped)

function followAddress() {
  addressMoves++;
  for (const widget of widgets) widget.follow();
}

window.addEventListener("hashchange", followAddress);
window.addEventListener("popstate", followAddress);

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mountAll);
else mountAll();


// --- sortable, filterable tables: the static table stays, this only adds controls -----------
// A table the engine marks data-wm-sortable gets a button in each column head and a filter field
// above it that hides the rows not matching.

const TABLE_WORDS = { filter: "Filter the rows", shown: (n, of) => `${n} of ${of} rows shown.` };

function enhanceTables() {
  for (const box of document.querySelectorAll(".wm-table[data-wm-sortable]")) {
    if (!(box instanceof HTMLElement)) continue;
    if (box.dataset.wmEnhanced) continue;
    box.dataset.wmEnhanced = "yes";
    const table = box.querySelector("table");
    const body = table.tBodies[0];
    const rows = [...body.rows];
    table.querySelectorAll("thead th").forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "wm-sort";
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener("click", () => {
        const up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        // A number column (class wm-num) sorts by its figure ($1,234.50, 4.8×); "–" sorts last.
        const key = (row) => {
          const cell = row.cells[column];
          if (!cell) return null;
          const text = cell.textContent.trim();
          if (!cell.classList.contains("wm-num")) return text.toLowerCase();
          const figure = Number(text.replace(/[$,×\s]/g, ""));
          return text && Number.isFinite(figure) ? figure : null;
        };
        const sorted = [...body.rows].sort((a, b) => {
          const [x, y] = [key(a), key(b)];
          if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;  // blanks last either way
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        });
        body.append(...sorted);
      });
    });
    const label = document.createElement("label");
    label.className = "wm-filter";
    const input = document.createElement("input");
    input.type = "search";
    input.spellcheck = false;
    const count = document.createElement("span");
    count.className = "wm-filter-count";
    count.setAttribute("aria-live", "polite");
    label.append(TABLE_WORDS.filter + " ", input);
    input.addEventListener("input", () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const row of rows) {
        const text = row.textContent.toLowerCase();
        row.hidden = !words.every((word) => text.includes(word));
        if (!row.hidden) shown++;
      }
      count.textContent = words.length ? TABLE_WORDS.shown(shown, rows.length) : "";
    });
    const bar = document.createElement("div");
    bar.className = "wm-table-tools";
    bar.append(label, count);
    box.before(bar);
  }
}
