// A widget's body as it stands, with what the reader typed, picked and ticked written into
// the attributes; given HTML instead of an id, the same for that HTML freshly parsed. Two
// states compare equal this way exactly when a reader would see the same thing.
([id, html]) => {
  let body = document.getElementById(id)?.querySelector(".wm-body");
  if (html !== null) { body = document.createElement("div"); body.innerHTML = html; }
  const copy = body.cloneNode(true);
  const live = body.querySelectorAll("input, select, textarea, option");
  copy.querySelectorAll("input, select, textarea, option").forEach((field, i) => {
    const now = live[i];
    const flag = (name, on) => on ? field.setAttribute(name, "") : field.removeAttribute(name);
    if (now.tagName === "OPTION") flag("selected", now.selected);
    else if (now.tagName === "TEXTAREA") field.textContent = now.value;
    else if (now.type === "checkbox") flag("checked", now.checked);
    else if (now.tagName === "INPUT") field.setAttribute("value", now.value);
  });
  // links.js turns the screener's report note into a link to the repository's issue form
  // once the page names a repository: the same note either way, as the engine wrote it.
  // (The link is made from the engine's <span>: turned back, with the same two data attributes.)
  copy.querySelectorAll("a[data-wm-issue-title]").forEach((link) => {
    const span = document.createElement("span");
    span.dataset.wmIssueTitle = link.dataset.wmIssueTitle;
    span.dataset.wmIssueBody = link.dataset.wmIssueBody;
    span.textContent = link.textContent;
    link.closest(".wm-report")?.setAttribute("hidden", "");
    link.replaceWith(span);
  });
  // Material's focus-visible polyfill marks what the keyboard focused (and leaves class=""
  // behind on blur): not part of a widget's state.
  copy.querySelectorAll("[data-focus-visible-added], .focus-visible, [class='']").forEach((marked) => {
    marked.removeAttribute("data-focus-visible-added");
    marked.classList.remove("focus-visible");
    if (!marked.classList.length) marked.removeAttribute("class");
  });
  return copy.innerHTML;
}
