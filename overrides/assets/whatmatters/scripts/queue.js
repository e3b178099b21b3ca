// @ts-check
// What Matters When: the shared runtime, one worker per visit, whatever the navigation.

import { keep, keepName } from "./offline.js";

// Loading gives up after this long without any progress, however long the whole load takes.
const STALL_MS = 20000;

// --- the shared runtime: one worker per visit, whatever the navigation -----------------
// The worker answers one request at a time. Each widget has a lane that holds at most one
// waiting request: a newer one replaces it (the older one resolves as SUPERSEDED), so a
// slow answer never leaves a widget working through its own backlog.

export const SUPERSEDED = Object.freeze({ superseded: true });
let runtime = null;
let settle1st;
/** Settles once the visit's first runtime is live or has failed (the offline service worker waits for it). */
export const firstSettled = new Promise((resolve) => { settle1st = resolve; });

/**
 * @typedef {object} Release what this release's generated widget script hands over (decision/publishing/scripts.py)
 * @property {string} build the build id ("dev" outside a published site)
 * @property {URL} worker the worker script of the same release
 * @property {URL} manifest the engine's manifest (runtime.json) of the same release
 * @property {URL} [offline] the service worker that keeps this release for visits without a network
 *   (a published site only: see ../service-worker.js)
 */
/** @type {Release} */
export const release = { build: "dev", worker: null, manifest: null };

/**
 * Take this release's data (the generated widget script calls this once, before any widget starts).
 * @param {Release} data
 */
export function configure(data) {
  Object.assign(release, data);
}

/** The runtime started so far, or null. */
export function currentRuntime() {
  return runtime;
}

export function startRuntime() {
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
  ready.then(settle1st, settle1st);
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
    worker = new Worker(release.worker, { type: "module" });
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
    else if (data.type === "stored") keep([...data.urls, release.manifest.href]);  // the page read the manifest
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
    fetch(release.worker, { method: "HEAD", cache: "no-cache" })
      .then((response) => { if (response.status === 404) rt.stale = true; }, () => {})
      .finally(() => fail(rt.stale ? `worker script gone (404): ${release.worker.href}` : detail));
  };
  // The manifest is read here while the worker's own scripts load, and handed over with init:
  // the worker's downloads begin one round trip sooner. Asked again of the server each time, as
  // the worker did (`mkdocs serve` names it runtime.json in every build). A manifest the page
  // can't read (gone with a newer release, a failed request) the worker asks for itself, and
  // says why.
  fetch(release.manifest, { cache: "no-cache" })
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null)
    .then((read) => {
      if (rt.failed) return;
      worker.postMessage({ type: "init", manifest: release.manifest.href, build: release.build, keep: keepName(), read });
    });
  return rt;
}
