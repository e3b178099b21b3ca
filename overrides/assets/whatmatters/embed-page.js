// @ts-check
// What Matters When: the embed page's side of an embed (see decision/integrations/embed.py).
// It applies the theme the address asks for, from an allowlist, and tells the page that
// frames it how tall the content is. The message carries a size only, so any parent may read it.

const SCHEMES = new Map([["light", "default"], ["dark", "slate"]]);
const asked = new URLSearchParams(window.location.search).get("theme");
const dark = window.matchMedia("(prefers-color-scheme: dark)");

function applyTheme() {
  const scheme = asked === "auto" ? (dark.matches ? "slate" : "default") : SCHEMES.get(asked) ?? "default";
  document.body.setAttribute("data-md-color-scheme", scheme);
}

applyTheme();
if (asked === "auto") dark.addEventListener("change", applyTheme);

const content = document.querySelector(".wm-embed");
if (content && window.parent !== window) {
  let last = 0;
  const report = () => {
    const height = Math.ceil(content.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ source: "whatmatters", v: 1, height }, "*");
  };
  new ResizeObserver(report).observe(content);
}
