// @ts-check
// What Matters When: shared links in the page's address, and links out of a widget.

import { HASH_PREFIX, addressFor, parseSlots } from "./helpers.js";

/** The slots of the page's address (see helpers.js): one saved state per widget key. */
export function addressSlots(hash = window.location.hash) {
  return parseSlots(hash);
}

/**
 * This page's address with these slots.
 * @param {Map<string, string>} slots
 */
export function addressWith(slots) {
  return addressFor(slots, window.location);
}

// "Report a miss" links (the screener's): pointed at the site's repository, named by a
// <meta name="wm-repo"> from mkdocs.yml's repo_url. Without one they stay hidden. Opening the
// link is the reader's click; the issue form there sends nothing until they submit it.
/** @param {ParentNode} root */
export function linkIssues(root) {
  const repo = document.querySelector('meta[name="wm-repo"]')?.getAttribute("content") || "";
  let base;
  try {
    base = new URL(repo.replace(/\/+$/, "") + "/issues/new");
  } catch {
    return;
  }
  if (base.protocol !== "https:") return;
  // The static HTML holds a <span> with the issue's text (no address yet); it becomes the link.
  const spans = /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("span[data-wm-issue-title]"));
  for (const span of spans) {
    const link = document.createElement("a");
    link.dataset.wmIssueTitle = span.dataset.wmIssueTitle || "";
    link.dataset.wmIssueBody = span.dataset.wmIssueBody || "";
    link.textContent = span.textContent;
    const url = new URL(base);
    url.searchParams.set("title", link.dataset.wmIssueTitle);
    url.searchParams.set("body", link.dataset.wmIssueBody);
    link.href = url.href;
    link.target = "_blank";
    link.rel = "noopener";
    span.replaceWith(link);
    link.closest(".wm-report")?.removeAttribute("hidden");
  }
}

// An "On this page" link would swap the address's #wm=... for #section, and Material's
// instant navigation would then mount the page afresh from its static HTML. While widgets
// hold state, such a click is handled here instead: the section scrolls into view and a
// history entry is added that keeps the widgets' slots, so widgets keep their state, the
// address keeps saying it, and Back and Forward show what each entry says.
export function followSectionLinks() {
  window.addEventListener("click", onSectionLink, true);
}

/** @param {MouseEvent} event */
function onSectionLink(event) {
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
}
