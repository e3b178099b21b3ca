// @ts-check
// What Matters When: an engine's error shown at its field, and results marked out of date.

import { NOTES } from "./notes.js";

// --- errors at their field, and results that say when they are out of date ------------------

// The engine's error names the request field at fault: say it beside that field. False when no
// field of this widget's form has that key (the error is then said in the widget's status).
export function showFieldError(widget, error) {
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

export function clearFieldErrors(widget) {
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
export function markOutdated(widget, withNote) {
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
