// @ts-check
// What Matters When: one live widget. It asks the engine (through the shared runtime) for the
// HTML of its current request, swaps it in, and wires what the HTML declares.

import { clearFieldErrors, markOutdated, showFieldError } from "./fields.js";
import { HASH_PREFIX, encodeState, fieldValue, getPath, progressText, withPath, words } from "./helpers.js";
import { addressSlots, addressWith, linkIssues } from "./links.js";
import { NOTES } from "./notes.js";
import { SUPERSEDED, currentRuntime, release, startRuntime } from "./queue.js";
import { carryStatic, putBackFields, rememberFocus, restoreFocus } from "./static.js";

const TYPING_DELAY_MS = 250;
// A page that has just loaded starts only the widgets in view. Once the reader scrolls, a
// widget starts as it comes within half a screen of the viewport, so the download is under way
// before the reader reaches it; a reader who never comes near a widget downloads none of it,
// and one who opens a page with a widget just below the fold (Embed on a phone) pays nothing
// until they scroll toward it.
const NEAR_MARGIN = "50% 0px";
// Signs that a reader is about to use a widget; any of them starts it at once.
const INTENT_EVENTS = ["pointerenter", "pointerdown", "touchstart", "focusin"];

// --- one widget -----------------------------------------------------------------------

export const widgets = new Set();
let lanes = 0;

export class Widget {
  constructor(element) {
    this.el = element;
    this.name = element.dataset.wmWidget;
    this.key = element.id.replace(/^wm-/, "");
    this.version = Number(element.dataset.wmV);
    this.maxState = Number(element.dataset.wmMaxState);
    this.base = JSON.parse(element.dataset.wmRequest);
    this.stateKeys = words(element.dataset.wmStateKeys);
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
    if (release.build !== "dev" && this.el.dataset.wmBuild && this.el.dataset.wmBuild !== release.build) {
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
      if (navigator.connection && navigator.connection.saveData && !currentRuntime()?.live) this.offer();
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
      const progress = ({ loaded, total }) => this.say(progressText(loaded, total, NOTES.starting));
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
    const stale = Boolean(currentRuntime()?.stale);
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
      fresh.innerHTML = response.html; // whatmatters-scan: ignore raw-html (the engine's renderer escaped every string)
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
      this.body.innerHTML = response.html; // whatmatters-scan: ignore raw-html (the engine's renderer escaped every string)
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
      for (const key of words(form.dataset.wmClears)) next = withPath(next, key, undefined);
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

// "Try again": every widget of the page that couldn't start starts afresh, on a new worker.
export function retryFailed() {
  for (const widget of widgets) {
    if (widget.el.isConnected && widget.el.dataset.wmState === "error") {
      widget.start(addressSlots().get(widget.key) ?? null);
    }
  }
}

// Back, Forward and links within the page: every widget shows what the address says.
let addressMoves = 0;  // how often the reader moved the address (a pending share is then dropped)

export function followAddress() {
  addressMoves++;
  for (const widget of widgets) widget.follow();
}
