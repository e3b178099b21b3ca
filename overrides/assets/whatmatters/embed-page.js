// @ts-check
// What Matters When: the embed page's side of an embed (see decision/integrations/embed.py).
// It applies the theme the address asks for, from an allowlist, and tells the page that
// frames it how tall the content is. The message carries a size only, so any parent may read it.
// Its version is the build's (embed.py MESSAGE_VERSION), written on the page as data-wm-message-v,
// the same number the build hands to embed.js, which checks it.

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
if (content instanceof HTMLElement && window.parent !== window) {
  const v = Number(content.dataset.wmMessageV);
  let last = 0;
  const report = () => {
    const height = Math.ceil(content.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ source: "whatmatters", v, height }, "*");
  };
  new ResizeObserver(report).observe(content);
}
