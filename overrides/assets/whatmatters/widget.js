// What Matters When: live widgets.
// Every [data-wm-widget] arrives with its first state rendered at build time. When a widget
// is first seen (or touched), one shared worker loads Python and the engine; from then on
// the engine answers each click and keystroke and this script only swaps its HTML in.
// No guide knowledge lives here: requests go to decision.api.handle, HTML comes back.

const WORKER_URL = new URL("worker.js", import.meta.url);
const MANIFEST_URL = new URL("runtime.json", import.meta.url);
const LOAD_TIMEOUT_MS = 20000;
const TYPING_DELAY_MS = 250;
const HASH_PREFIX = "#wm=";

const NOTES = {
  failed: "The interactive version couldn't start here, so this is the static version.",
  badLink: "The answers saved in this link couldn't be used, so the widget starts from its example.",
  saveData: "Load the interactive version",
  copied: "Copied.",
  notCopied: "Couldn't copy; your browser blocked the clipboard.",
};

// --- the shared runtime: one worker per visit, whatever the navigation -----------------

let runtime = null;

function startRuntime() {
  if (runtime) return runtime;
  const listeners = new Set();
  const pending = new Map();
  let nextId = 1;
  let settle;
  const ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  ready.catch(() => {});
  let worker;
  const fail = (detail) => {
    if (runtime.failed) return;
    runtime.failed = true;
    clearTimeout(timer);
    console.error("[whatmatters] the Python runtime failed:", detail);
    settle.reject(new Error("runtime failed"));
    for (const { reject } of pending.values()) reject(new Error("runtime failed"));
    pending.clear();
    if (worker) worker.terminate();
  };
  const timer = setTimeout(() => fail(`nothing after ${LOAD_TIMEOUT_MS / 1000} s`), LOAD_TIMEOUT_MS);
  runtime = {
    ready, failed: false, live: false, listeners,
    ask(request) {
      return ready.then(() => new Promise((resolve, reject) => {
        // A worker that failed after starting is gone: answer at once instead of never.
        if (runtime.failed) { reject(new Error("runtime failed")); return; }
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: "ask", id, request });
      }));
    },
  };
  try {
    worker = new Worker(WORKER_URL, { type: "module" });
  } catch (error) {
    fail(error);
    return runtime;
  }
  worker.onmessage = ({ data }) => {
    if (data.type === "progress") listeners.forEach((listener) => listener(data));
    else if (data.type === "ready") { clearTimeout(timer); runtime.live = true; settle.resolve(); }
    else if (data.type === "failed") fail(data.detail);
    else if (data.type === "response") {
      const waiting = pending.get(data.id);
      pending.delete(data.id);
      if (waiting) waiting.resolve(data.response);
    }
  };
  worker.onerror = (event) => { event.preventDefault(); fail(event.message || "the worker stopped"); };
  worker.postMessage({ type: "init", manifest: MANIFEST_URL.href });
  return runtime;
}

// --- shared links: #wm=<widget id>.<base64url JSON of the widget's state> ---------------

function encodeState(state) {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  let binary = "";
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function savedState(key) {
  const hash = window.location.hash;
  if (!hash.startsWith(HASH_PREFIX)) return null;
  const [target, payload] = hash.slice(HASH_PREFIX.length).split(".", 2);
  return target === key ? (payload || "") : null;
}

// --- reading a form into a request ----------------------------------------------------

function fieldValue(field) {
  const type = field.dataset.wmType || (field.type === "number" ? "number" : field.type === "checkbox" ? "bool" : "text");
  if (type === "bool") return field.checked;
  if (type === "flag") return field.value === "" ? undefined : field.value === "yes";
  if (type === "count" || type === "number") return field.value.trim() === "" ? undefined : Number(field.value);
  return field.value;
}

function readForm(form) {
  const out = {};
  for (const field of form.querySelectorAll("[data-wm-key], [name]")) {
    const key = field.dataset.wmKey || field.name;
    if (!key) continue;
    const value = fieldValue(field);
    const path = key.split(".");
    let target = out;
    for (const part of path.slice(0, -1)) target = target[part] = target[part] || {};
    if (value === undefined) delete target[path[path.length - 1]];
    else target[path[path.length - 1]] = value;
  }
  return out;
}

// --- one widget -----------------------------------------------------------------------

class Widget {
  constructor(element) {
    this.el = element;
    this.name = element.dataset.wmWidget;
    this.key = element.id.replace(/^wm-/, "");
    this.base = JSON.parse(element.dataset.wmRequest);
    this.stateKeys = (element.dataset.wmStateKeys || "").split(" ").filter(Boolean);
    this.request = { ...this.base };
    delete this.request.tree;
    this.record = "";
    this.timer = null;
    this.status = element.querySelector(".wm-status");
    this.body = element.querySelector(".wm-body");
  }

  setState(state) { this.el.dataset.wmState = state; }

  say(text) { this.status.textContent = text; }

  // Start when first seen or touched; with Save-Data on, wait for an explicit click.
  arm() {
    const saved = savedState(this.key);
    if (saved !== null) { this.start(saved); return; }
    const go = () => {
      observer.disconnect();
      this.el.removeEventListener("pointerdown", go);
      this.el.removeEventListener("focusin", go);
      if (navigator.connection && navigator.connection.saveData && !(runtime && runtime.live)) this.offer();
      else this.start(null);
    };
    const observer = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) go(); });
    observer.observe(this.el);
    this.el.addEventListener("pointerdown", go);
    this.el.addEventListener("focusin", go);
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
    const rt = startRuntime();
    if (!rt.live) {
      this.setState("loading");
      const progress = ({ loaded, total }) => {
        const mb = (n) => (n / 1048576).toFixed(1);
        this.say(`Loading Python… ${mb(Math.min(loaded, total))} of ${mb(total)} MB`);
      };
      rt.listeners.add(progress);
      try { await rt.ready; } catch { this.fail(); return; } finally { rt.listeners.delete(progress); }
    }
    this.wire();
    if (saved !== null) {
      const restored = await this.ask({ v: 1, op: "restore", widget: this.name, request: this.base, state: saved });
      if (restored && restored.ok) {
        this.request = restored.result.request;
        if (await this.refresh({ focus: false, share: false })) this.el.scrollIntoView({ block: "center" });
        return;
      }
      if (!restored) return;
      if (await this.refresh({ focus: false, share: false })) this.say(NOTES.badLink);
      return;
    }
    await this.refresh({ focus: false, share: false });
  }

  fail() {
    this.setState("error");
    this.say(NOTES.failed);
  }

  async ask(request) {
    try {
      return await startRuntime().ask(request);
    } catch {
      this.fail();
      return null;
    }
  }

  // Ask the engine for the current request; swap the whole body, or only the result parts.
  async refresh({ partial = false, focus = true, share = true } = {}) {
    const response = await this.ask({ ...this.request, render: true });
    if (!response) return false;
    if (!this.el.isConnected) return false;  // instant navigation replaced the page meanwhile
    if (!response.ok) {
      if (this.el.dataset.wmState !== "live") {
        // The engine can't answer even the first state: keep the static version.
        console.error("[whatmatters] the engine couldn't answer:", response.error);
        this.fail();
      } else this.say(response.error.message);
      return false;
    }
    this.say("");
    if (partial) {
      const fresh = document.createElement("template");
      fresh.innerHTML = response.html;
      for (const part of fresh.content.querySelectorAll("[data-wm-swap]")) {
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
    this.record = response.record || "";
    if (this.name === "flow") {
      this.request.answers = Object.fromEntries(response.result.path.map((step) => [step.question, step.answer]));
      this.path = response.result.path.map((step) => step.question);
    }
    this.setState("live");
    this.el.querySelector(".wm-toolbar").hidden = false;
    if (share) this.share();
    if (focus) {
      const target = this.body.querySelector("legend[tabindex], .wm-verdict-label[tabindex], .wm-title[tabindex]");
      if (target) target.focus();
    }
    return true;
  }

  share() {
    const state = {};
    for (const key of this.stateKeys) if (this.request[key] !== undefined) state[key] = this.request[key];
    history.replaceState(history.state, "", HASH_PREFIX + this.key + "." + encodeState(state));
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
    const answer = event.target.closest("[data-wm-answer]");
    const action = event.target.closest("[data-wm-action]");
    if (answer) {
      this.request.answers = { ...(this.request.answers || {}), [answer.dataset.wmQuestion]: answer.dataset.wmAnswer };
      this.refresh();
    } else if (action) {
      const name = action.dataset.wmAction;
      if (name === "back") {
        const answers = { ...(this.request.answers || {}) };
        delete answers[(this.path || []).slice(-1)[0]];
        this.request.answers = answers;
        this.refresh();
      } else if (name === "restart") {
        this.request.answers = {};
        this.refresh();
      } else if (name === "copy-link") this.copy(window.location.href);
      else if (name === "copy-record") this.copy(this.record);
    }
  }

  onInput(event) {
    const field = event.target;
    if (field.name === "checked") {
      if (event.type !== "change") return;
      this.request.checked = [...this.body.querySelectorAll('input[name="checked"]:checked')].map((box) => Number(box.value));
      this.share();
      this.refreshRecord();
      return;
    }
    const form = field.closest("form[data-wm-form]");
    if (!form) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const fields = readForm(form);
      const next = { ...this.base, ...fields };
      delete next.tree;
      if (this.name === "stage") next.checked = [];
      this.request = next;
      this.refresh({ partial: true, focus: false });
    }, TYPING_DELAY_MS);
  }

  async refreshRecord() {
    const response = await this.ask({ ...this.request, render: true });
    if (response && response.ok) this.record = response.record || "";
  }

  async copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      this.say(NOTES.copied);
    } catch (error) {
      console.warn("[whatmatters] clipboard:", error);
      this.say(NOTES.notCopied);
    }
  }
}

// --- mounting: on every page Material shows, including after instant navigation --------

const mounted = new WeakSet();

function mountAll() {
  for (const element of document.querySelectorAll("[data-wm-widget]")) {
    if (mounted.has(element)) continue;
    mounted.add(element);
    try {
      new Widget(element).arm();
    } catch (error) {
      console.error("[whatmatters] a widget could not start:", error);
      element.dataset.wmState = "error";
    }
  }
}

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mountAll);
else mountAll();
