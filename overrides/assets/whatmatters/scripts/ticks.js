// @ts-check
// What Matters When: checklists outside widgets keep their ticks in this browser.

// --- checklists outside widgets: ticks kept in this browser, surviving a reload ---------------

const TICKS_PREFIX = "whatmatters:ticks:";

export function keepTicks() {
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
