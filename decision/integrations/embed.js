// @ts-check
// What Matters When, on your page: <div data-whatmatters="flow" data-topic="caching"></div>
// becomes a titled, lazy iframe of our embed page, sized to its content. No dependencies.
// Nothing from the host page becomes markup here: the attributes only choose among the names
// the build hands to startEmbeds, and the iframe is made with DOM calls.
//
// The build (decision/integrations/embed.py) never edits this text: it ships it whole inside a
// generated wrapper that calls startEmbeds with this site's data. The data can't be fetched
// instead: a host's policy may allow our origin for this script alone (script-src, no connect-src).

/* exported startEmbeds */
/**
 * @typedef {object} EmbedSite  what the build knows and this script needs
 * @property {Record<string, string>} embeds  embed page name -> its title
 * @property {number} v  the version of the height message the embed pages send (embed-page.js)
 */

/** @param {EmbedSite} site */
function startEmbeds(site) {
  "use strict";
  const script = document.currentScript;
  if (!(script instanceof HTMLScriptElement) || !script.src) return;
  const BASE = new URL(".", script.src);
  const EMBEDS = site.embeds;
  const THEMES = ["light", "dark", "auto"];
  const NAME = /^[a-z][a-z0-9-]{0,60}$/;
  const START_HEIGHT = 480;
  const MAX_HEIGHT = 20000;
  const UNAVAILABLE = "This What Matters When widget isn't available.";
  const frames = new Set();
  const seen = new WeakSet();

  function pageName(element) {
    const widget = element.getAttribute("data-whatmatters") || "";
    const name = widget === "flow" ? `flow-${element.getAttribute("data-topic") || ""}` : widget;
    return NAME.test(name) && Object.prototype.hasOwnProperty.call(EMBEDS, name) ? name : null;
  }

  function mount(element) {
    if (seen.has(element)) return;
    seen.add(element);
    const name = pageName(element);
    if (name === null) {
      const note = document.createElement("p");
      note.textContent = UNAVAILABLE;
      element.replaceChildren(note);
      return;
    }
    const url = new URL(`embed/${name}/`, BASE);
    const theme = element.getAttribute("data-theme");
    if (THEMES.includes(theme)) url.searchParams.set("theme", theme);
    const frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = `${EMBEDS[name]} (What Matters When)`;
    frame.loading = "lazy";
    // Copy link and Copy as notes write to the clipboard; a cross-origin frame may only with this.
    frame.allow = "clipboard-write";
    frame.height = String(START_HEIGHT);
    frame.style.width = "100%";
    frame.style.border = "0";
    element.replaceChildren(frame);
    frames.add(frame);
  }

  // Only our embed page, in a frame this script made, may size that frame, and only with a height.
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (event.origin !== BASE.origin || !data || typeof data !== "object") return;
    if (data.source !== "whatmatters" || data.v !== site.v) return;
    const height = data.height;
    if (typeof height !== "number" || !Number.isFinite(height) || height <= 0 || height > MAX_HEIGHT) return;
    for (const frame of frames) {
      if (!frame.isConnected) frames.delete(frame);
      else if (event.source !== null && frame.contentWindow === event.source) frame.height = String(Math.ceil(height));
    }
  });

  const scan = () => document.querySelectorAll("[data-whatmatters]").forEach(mount);
  scan();
  // Pages that arrive later (a single-page docs app) or a script that ran before the body was parsed.
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
}
