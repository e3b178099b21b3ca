// @ts-check
// What Matters When: "Check my project". The reader picks a folder; this page reads its files
// (File.text(), never a file over the size the input names) and hands them to the engine in the
// worker, through the widget's own lane. Nothing is uploaded: no request carries a file.
// What to skip comes from the input's attributes (data-wm-skip-dirs, data-wm-max-bytes), which the
// engine wrote; the report comes back as the engine's HTML, every string in it escaped there.
// The report names the widget it feeds (data-wm-fill, with data-wm-fill-request): each such widget
// on the page takes the measured answers into its own and answers again, so the planner shows
// the signals the code settled, and its link carries them.

import { words } from "./helpers.js";
import { widgets } from "./live.js";

const READING = "Reading the folder in your browser…";
const CHECKING = "Checking the files in your browser…";

/** The widget state once it has settled: "live", or "error"/"stale" when it couldn't start. */
function settled(element) {
  const done = () => ["live", "error", "stale"].includes(element.dataset.wmState || "");
  if (done()) return Promise.resolve(element.dataset.wmState);
  return new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (!done()) return;
      watch.disconnect();
      resolve(element.dataset.wmState);
    });
    watch.observe(element, { attributes: true, attributeFilter: ["data-wm-state"] });
  });
}

/**
 * The picked files as the engine's scan takes them: paths relative to the picked folder.
 * @param {FileList} list
 * @param {Set<string>} skip folders never read (vendored, caches)
 * @param {number} maxBytes a bigger file is judged by its name and size only
 */
async function readAll(list, skip, maxBytes) {
  const files = [];
  for (const file of list) {
    const parts = (file.webkitRelativePath || file.name).split("/");
    const inside = parts.length > 1 ? parts.slice(1) : parts;
    if (inside.slice(0, -1).some((part) => skip.has(part))) continue;
    const path = inside.join("/");
    files.push(file.size > maxBytes ? { path, size: file.size } : { path, text: await file.text() });
  }
  return files;
}

async function onPick(event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-wm-files") || !input.files) return;
  const widget = [...widgets].find((w) => w.el.contains(input));
  if (!widget || !input.files.length) return;
  widget.say(READING);
  let files;
  try {
    files = await readAll(input.files, new Set(words(input.dataset.wmSkipDirs)), Number(input.dataset.wmMaxBytes));
  } catch (error) {
    console.error("[whatmatters] the folder could not be read:", error);
    widget.say("");
    return;
  }
  if (await settled(widget.el) !== "live") return;  // the static version stays, with its note
  widget.say(CHECKING);
  widget.request = { ...widget.base, files };
  const answered = await widget.refresh({ partial: true, share: false });
  widget.request = structuredClone(widget.base);  // the files go once, and never into a link
  if (answered) await fillFrom(widget.body);
}

/**
 * Merge one answer into a widget's request: objects one level deep (the plan's signals), the rest set.
 * @param {Record<string, any>} request
 * @param {Record<string, any>} fill
 */
function merged(request, fill) {
  const next = structuredClone(request);
  for (const [key, value] of Object.entries(fill)) {
    const both = value && typeof value === "object" && next[key] && typeof next[key] === "object";
    next[key] = both ? { ...next[key], ...value } : value;
  }
  return next;
}

/** Hand what a report measured to the widgets it names, starting any not yet started. */
async function fillFrom(body) {
  for (const source of body.querySelectorAll("[data-wm-fill]")) {
    if (!(source instanceof HTMLElement)) continue;
    let fill;
    try { fill = JSON.parse(source.dataset.wmFillRequest || ""); } catch (error) {
      console.error("[whatmatters] a report's answers could not be read:", error);
      continue;
    }
    for (const target of widgets) {
      if (target.name !== source.dataset.wmFill || !target.current()) continue;
      if (!target.started) await target.start(null);
      if (target.el.dataset.wmState !== "live") continue;
      target.request = merged(target.request, fill);
      await target.refresh({ focus: false });
    }
  }
}

/** Answer every folder picker on every page, once. */
export function watchFolders() {
  document.addEventListener("change", (event) => { onPick(event); });
}
