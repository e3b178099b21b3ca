// @ts-check
// What Matters When: live widgets. `start` is what the generated widget script calls.
// Every [data-wm-widget] arrives with its first state rendered at build time. When a widget
// is first seen (or touched), one shared worker loads Python and the engine; from then on
// the engine answers each click and keystroke and this script only swaps its HTML in.
// No guide knowledge lives here: requests go to decision.api.handle, HTML comes back, and
// what a click or a field does is declared by the HTML's attributes (data-wm-set/-value,
// data-wm-unset, data-wm-form with data-wm-key/-type/-clears, data-wm-list, data-wm-action);
// the protocol version and the link size limit come from the widget element (data-wm-v,
// data-wm-max-state). This script names no widget.

import { watchFolders } from "./folders.js";
import { followAddress, Widget, widgets } from "./live.js";
import { followSectionLinks } from "./links.js";
import { keep, registerOffline } from "./offline.js";
import { configure, firstSettled } from "./queue.js";
import { countOpenings } from "./static.js";
import { enhanceTables } from "./tables.js";
import { keepTicks } from "./ticks.js";

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
  keep();  // a page reached by instant navigation is kept for the next visit too
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

let started = false;

/**
 * Start the live widgets of this page and of every page instant navigation brings, with this
 * release's data (see queue.js's Release). Called once, by the widget script the build generates.
 * @param {import("./queue.js").Release} data
 */
export function start(data) {
  if (started) return;
  started = true;
  configure(data);
  // On a page with widgets, once the first runtime has settled; on one without, after load.
  registerOffline(data.offline, data.build, document.querySelector("[data-wm-widget]") ? firstSettled : null);
  followSectionLinks();
  watchFolders();
  countOpenings();
  // Back, Forward and links within the page: every widget shows what the address says.
  window.addEventListener("hashchange", followAddress);
  window.addEventListener("popstate", followAddress);
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mountAll);
  else mountAll();
}
