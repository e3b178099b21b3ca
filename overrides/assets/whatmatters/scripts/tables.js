// @ts-check
// What Matters When: sortable, filterable tables.

import { compareKeys, rowMatches, sortKey } from "./helpers.js";
import { TABLE_WORDS } from "./notes.js";

// --- sortable, filterable tables: the static table stays, this only adds controls -----------
// A table the engine marks data-wm-sortable gets a button in each column head and a filter field
// above it that hides the rows not matching.

export function enhanceTables() {
  for (const box of document.querySelectorAll(".wm-table[data-wm-sortable]")) {
    if (!(box instanceof HTMLElement)) continue;
    if (box.dataset.wmEnhanced) continue;
    box.dataset.wmEnhanced = "yes";
    const table = box.querySelector("table");
    const body = table.tBodies[0];
    const rows = [...body.rows];
    table.querySelectorAll("thead th").forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "wm-sort";
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener("click", () => {
        const up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        // A number column (class wm-num) sorts by its figure ($1,234.50, 4.8×); "–" sorts last.
        const key = (/** @type {HTMLTableRowElement} */ row) => {
          const cell = row.cells[column];
          return cell ? sortKey(cell.textContent, cell.classList.contains("wm-num")) : null;
        };
        const sorted = [...body.rows].sort((a, b) => compareKeys(key(a), key(b), up));
        body.append(...sorted);
      });
    });
    const label = document.createElement("label");
    label.className = "wm-filter";
    const input = document.createElement("input");
    input.type = "search";
    input.spellcheck = false;
    const count = document.createElement("span");
    count.className = "wm-filter-count";
    count.setAttribute("aria-live", "polite");
    label.append(TABLE_WORDS.filter + " ", input);
    input.addEventListener("input", () => {
      let shown = 0;
      for (const row of rows) {
        row.hidden = !rowMatches(row.textContent, input.value);
        if (!row.hidden) shown++;
      }
      count.textContent = input.value.trim() ? TABLE_WORDS.shown(shown, rows.length) : "";
    });
    const bar = document.createElement("div");
    bar.className = "wm-table-tools";
    bar.append(label, count);
    box.before(bar);
  }
}
