// @ts-check
// What Matters When: the page's side of offline use. On a published site the generated widget
// script hands over the service worker's address (release.offline); this module registers it
// with the release's build id and tells it which files this visit has used, so the next visit
// works with no network (see ../service-worker.js). Outside a published site, or in a browser
// that refuses service workers or storage, nothing happens and the widgets work as before.

/** @type {URL | null} */
let script = null;
let build = "dev";

/** The service worker's scope: the folder of its script. */
const scope = () => new URL("./", script).href;

/** @param {ServiceWorker | null} worker */
const ofThisRelease = (worker) => Boolean(worker) && new URL(worker.scriptURL).searchParams.get("build") === build;

/**
 * The Cache Storage cache the worker should put its downloads in, or null when it holds them
 * already: this release's service worker is in charge, and what it answers comes from there.
 */
export function keepName() {
  if (!script || !("serviceWorker" in navigator) || typeof caches === "undefined") return null;
  if (ofThisRelease(navigator.serviceWorker.controller)) return null;
  return `whatmatters ${scope()} ${build}`;
}

/** Same-origin files of this visit under the scope: the page and what it loaded. */
function visited() {
  const under = scope();
  const names = performance.getEntriesByType("resource").map((entry) => entry.name);
  return [location.href, ...names].map((href) => href.split("#")[0]).filter((href) => href.startsWith(under));
}

/**
 * This release's service worker once it is active (a newer page may find the last release's in charge).
 * @param {ServiceWorkerRegistration} registration
 * @returns {Promise<ServiceWorker>}
 */
function activeOfThisRelease(registration) {
  if (ofThisRelease(registration.active)) return Promise.resolve(registration.active);
  return new Promise((resolve) => {
    const watch = (/** @type {ServiceWorker | null} */ worker) => {
      if (!ofThisRelease(worker)) return;
      worker.addEventListener("statechange", () => { if (worker.state === "activated") resolve(worker); });
    };
    watch(registration.installing);
    watch(registration.waiting);
    registration.addEventListener("updatefound", () => watch(registration.installing));
  });
}

/** @type {Promise<ServiceWorker> | null} */
let active = null;

/**
 * Ask this release's service worker to keep `urls` and this page's files, once it is active.
 * @param {string[]} [urls]
 */
export function keep(urls = []) {
  if (!active) return;
  active
    .then((worker) => worker.postMessage({ type: "keep", urls: [...visited(), ...urls] }))
    .catch((error) => console.warn("[whatmatters] offline copies not asked for:", error));
}

const loaded = () =>
  new Promise((resolve) => {
    if (document.readyState === "complete") resolve(undefined);
    else window.addEventListener("load", () => resolve(undefined), { once: true });
  });

/**
 * Register the service worker of this release (once per page load), after the page has loaded
 * and, on a page with widgets, once the runtime has settled: the worker of a first visit then
 * fetches straight from the network, as with no service worker (it keeps its own copies), and
 * installing never competes with the runtime's downloads. A reader who never reaches a widget
 * leaves that page unkept.
 * @param {URL | null | undefined} address the service worker's script, or nothing outside a published site
 * @param {string} release the build id
 * @param {Promise<unknown> | null} after what to wait for besides the load event
 */
export function registerOffline(address, release, after) {
  if (!address || !("serviceWorker" in navigator)) return;
  script = new URL(address);
  build = release;
  const url = new URL(script);
  url.searchParams.set("build", release);
  active = Promise.all([loaded(), after])
    .then(() => navigator.serviceWorker.register(url, { scope: scope() }))
    .then(activeOfThisRelease);
  active.catch((error) => {
    script = null;  // refused (private mode, a blocked origin): nothing to keep for
    active = null;
    console.warn("[whatmatters] offline use is not available here:", error);
  });
}
