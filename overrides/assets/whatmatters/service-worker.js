// @ts-check
// What Matters When: the service worker that lets a reader come back with no network.
// Publishing copies this file, as it is, to the site's root as whatmatters-sw.js (a service
// worker's scope is its folder, and GitHub Pages can't widen it with a header); the page
// registers it with its release's build id in the address (scripts/offline.js), so a new
// release is a new script address and replaces this one. Classic script: every browser with
// service workers runs it.
//
// It keeps one cache per release, named "whatmatters <scope> <build>", and deletes the older
// ones of its own scope only: other sites on the same origin (user.github.io/a/, /b/) have
// their own. What goes in:
//   - the pages it answers from the network, as they pass;
//   - the runtime's big downloads, put in by the page's worker as they arrived (scripts/serve.js),
//     whenever this release's service worker wasn't the one answering it;
//   - the rest of what the page and its worker loaded, on the page's word ({type: "keep", urls}),
//     asked of the HTTP cache.
// Files whose name carries a content hash come from the cache first; everything else (pages,
// Pyodide's unhashed files) from the network first, the cache only when the network fails.
// No byte of Python is fetched here unless the page or its worker asked for it.

const sw = /** @type {any} */ (self);
const BUILD = new URL(sw.location.href).searchParams.get("build") || "dev";
const SCOPE = sw.registration.scope;
const PREFIX = `whatmatters ${SCOPE} `;
const NAME = PREFIX + BUILD;
// bundle.f1e2d3c4.min.js, widget.3f2a9c1b7d0e.js, scripts.3f2a9c1b7d0e/, stdlib-3f2a9c1b7d0e.zip
const HASHED = /[.-][0-9a-f]{8,}[./]/;
// A kept copy answers whatever the request's headers (Pages varies on Accept-Encoding).
const LOOSE = { ignoreVary: true };

sw.addEventListener("install", () => sw.skipWaiting());

// No clients.claim(): a first visit stays as it would be without a service worker (its worker
// keeps its own downloads), and the pages that follow are the ones it answers.
sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== NAME) await caches.delete(key);
    })(),
  );
});

/** @param {string} href */
const ours = (href) => href.startsWith(SCOPE) && href.split("?")[0] !== sw.location.href.split("?")[0];

/** @param {Response} response */
const keepable = (response) => response.status === 200 && response.type === "basic";

/** @param {Request} request */
async function answer(request) {
  const cache = await caches.open(NAME);
  const fixed = HASHED.test(new URL(request.url).pathname);
  if (fixed) {
    const hit = await cache.match(request, LOOSE);
    if (hit) return hit;
  }
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const hit = fixed ? undefined : await cache.match(request, LOOSE);
    if (hit) return hit;
    throw error;
  }
  // Only a page is copied as it passes (in its newest form): a copy is a second reader of the
  // body inside this worker, and a big file read that way stops if a newer release's service
  // worker replaces this one mid-download. The runtime is kept by the page's worker, which
  // downloaded it, and the page's other files on the page's word (keep, below).
  if (keepable(response) && (response.headers.get("content-type") || "").startsWith("text/html")) {
    const copy = response.clone();
    cache.put(request, copy).catch((error) => console.warn("[whatmatters] offline copy not kept:", error));
  }
  return response;
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range") || !ours(request.url)) return;
  event.respondWith(answer(request));
});

/** @param {unknown[]} urls */
async function keep(urls) {
  const cache = await caches.open(NAME);
  for (const raw of new Set(urls)) {
    if (typeof raw !== "string") continue;
    const href = new URL(raw, SCOPE).href.split("#")[0];
    if (!ours(href) || (await cache.match(href, LOOSE))) continue;
    try {
      const response = await fetch(href, { cache: "force-cache" });
      if (keepable(response)) await cache.put(href, response);
    } catch (error) {
      console.warn("[whatmatters] offline copy not kept:", href, error);
    }
  }
}

sw.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "keep" || !Array.isArray(data.urls)) return;
  const done = keep(data.urls).then(() => event.source && event.source.postMessage({ type: "kept", build: BUILD }));
  event.waitUntil(done.catch((error) => console.warn("[whatmatters] offline copies not kept:", error)));
});
