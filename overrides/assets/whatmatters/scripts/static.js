// @ts-check
// What Matters When: what the reader did to a widget's static version, carried into the live one.

import { fieldValue, getPath, withPath } from "./helpers.js";

// --- carrying the static version into the live one ----------------------------------------
// Before Python is ready the reader may already have opened an answer of a static flow, ticked
// a box or typed into a field. Everything here reads the attributes the engine's HTML declares
// (data-wm-key, data-wm-list, data-wm-carry/-value), never a widget's name.

// The request the static version now says, with the fields the reader changed; null when untouched.
export function carryStatic(widget) {
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
export function countOpenings() {
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (details instanceof HTMLDetailsElement && details.open && details.dataset.wmCarry) {
      details.dataset.wmOpened = String(++openings);
    }
  }, true);
}

// Where focus is inside a widget, described so the same control can be found in new HTML.
export function rememberFocus(widget) {
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
export function restoreFocus(widget, at) {
  if (!at || (document.activeElement && document.activeElement !== document.body && at.element.isConnected)) return;
  const same = at.selector ? widget.body.querySelector(at.selector) : null;
  const target = same || widget.body.querySelector('[tabindex="-1"]') || widget.body.querySelector("input, button, summary");
  if (!target) return;
  target.focus({ preventScroll: true });
  if (same && at.selection && at.selection[0] !== null) {
    try { same.setSelectionRange(...at.selection); } catch { /* not a text field */ }
  }
}

export function putBackFields(widget, fields) {
  for (const [key, value] of fields) {
    const field = widget.body.querySelector(`[data-wm-key="${CSS.escape(key)}"]`);
    if (!field) continue;
    if (field.type === "checkbox") field.checked = value;
    else field.value = value;
  }
}
