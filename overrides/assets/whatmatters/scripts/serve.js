// @ts-check
// What Matters When: the one worker behind every widget of a visit. `serve` is what the
// generated worker script calls, with its release's build id.
// It loads Pyodide and the engine once, then answers requests with decision.api.handle.
// Messages in:  {type: "init", manifest: URL, build, keep, read?}  |  {type: "ask", id, request}
//               (`read`: the manifest's content, when the page has fetched it already)
// Messages out: {type: "progress", loaded, total} | {type: "alive"} (a step done without bytes)
//               {type: "ready"} | {type: "failed", detail}
//               {type: "response", id, response}
//               {type: "stored", urls} (after ready, when `keep` named a cache: the downloads are
//               in it, and `urls` are the files this worker loaded, for the service worker to keep)

let handle = null;
// The release this worker belongs to, handed over by the generated worker script ("dev" outside a
// published site).
let BUILD = "dev";
// The page, this worker or the manifest belong to different releases: the page says "reload".
class Stale extends Error {}
const realFetch = self.fetch.bind(self);

// Count bytes as they arrive, so the page can say "n of m MB". The count reads a copy of each
// body: Pyodide gets the browser's own Response, which is what lets the browser keep the wasm it
// compiled in its code cache for the next visit (a Response rebuilt around a counting stream has
// no URL, and nothing of it is cached).
// Progress goes to the page at most every PROGRESS_MS (and at the end of each file): a message per
// network chunk was thousands of small tasks on the page's main thread on a slow line.
const PROGRESS_MS = 100;
// The downloads being copied into the cache the page named (`keep`), for a visit with no network
// (../service-worker.js). A copy that fails (no space, storage refused) costs only the offline visit.
const storing = [];
// The cache named by the page, or null: none named, or no Cache Storage in this worker.
let keeping = null;
function storeCopy(response) {
  const copy = response.clone();
  const put = caches.open(keeping).then((cache) => cache.put(response.url, copy));
  storing.push(put.catch((error) => console.warn("[whatmatters] offline copy not kept:", response.url, error)));
}

function counting(total) {
  let loaded = 0;
  let told = 0;
  const tell = (force) => {
    const now = performance.now();
    if (!force && now - told < PROGRESS_MS) return;
    told = now;
    self.postMessage({ type: "progress", loaded, total });
  };
  return async (input, init) => {
    let response;
    try {
      response = await realFetch(input, init);
    } catch (error) {
      throw new Error(`${error.message} for ${input}`, { cause: error }); // a refused integrity check says only "Failed to fetch"
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${response.url}`);
    if (keeping && response.status === 200 && response.type === "basic") storeCopy(response);
    if (!response.body) return response;
    const reader = response.clone().body.getReader();
    (async () => {
      for (let part = await reader.read(); !part.done; part = await reader.read()) {
        loaded += part.value.byteLength;
        tell(false);
      }
      tell(true);
    })().catch(() => {}); // a body that breaks off fails its reader, Pyodide or the engine fetch, which report it
    return response;
  };
}

// Pyodide compiles its wasm with WebAssembly.instantiateStreaming, which refuses a response not
// sent as application/wasm (`zensical serve` and many simple servers send application/octet-stream);
// Pyodide's own hook then only logs a warning and its start never ends. So a response of any other
// type is compiled from its bytes instead; one sent right keeps streaming and the code cache.
const instantiateStreaming = WebAssembly.instantiateStreaming && WebAssembly.instantiateStreaming.bind(WebAssembly);
function wasmMimeFallback() {
  if (typeof WebAssembly !== "object") return;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    const type = (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    if (instantiateStreaming && type === "application/wasm") return instantiateStreaming(response, imports);
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
  };
}

// The manifest: as the page read it (`given`, fetched while this worker's scripts loaded), or
// asked for here when the page could not read it.
async function readManifest(manifestUrl, given) {
  if (given && typeof given === "object") return given;
  const manifestResponse = await realFetch(manifestUrl, { cache: "no-cache" });
  if (manifestResponse.status === 404) throw new Stale("runtime manifest gone: a newer release replaced it");
  if (!manifestResponse.ok) throw new Error(`runtime manifest: HTTP ${manifestResponse.status}`);
  if (keeping) storeCopy(manifestResponse);
  return manifestResponse.json();
}

async function init(manifestUrl, build, keep, given) {
  if (build !== BUILD) throw new Stale(`page script of build ${build}, worker of build ${BUILD}`);
  if (typeof WebAssembly !== "object") throw new Error("WebAssembly is not available in this browser");
  keeping = keep && typeof caches !== "undefined" ? keep : null;
  const manifest = await readManifest(manifestUrl, given);
  if (BUILD !== "dev" && manifest.build !== BUILD) throw new Stale(`manifest of build ${manifest.build}, worker of build ${BUILD}`);
  const base = new URL(manifestUrl);
  // Files named by this release's hash: a 404 for one means a newer release has replaced it.
  releaseFiles = [manifest.engine.url, manifest.stdlib && manifest.stdlib.url]
    .filter(Boolean)
    .map((url) => new URL(url, base).href);
  self.fetch = counting(manifest.fetched_bytes);
  // The engine downloads while Pyodide starts; it is checked against the hash the build recorded
  // before Python sees a byte of it. A 404 or a wrong hash ends the start at once (Promise.all).
  const engine = self
    .fetch(new URL(manifest.engine.url, base).href, { integrity: manifest.engine.integrity })
    .then((response) => response.arrayBuffer());
  engine.catch(() => {}); // its failure is reported by the Promise.all below, not as an unhandled rejection
  wasmMimeFallback();
  const { loadPyodide } = await import(new URL(manifest.pyodide.module, base).href);
  // The stdlib trimmed to what the engine imports, and a lock file without packages (bench/RESULTS.md).
  const options = { indexURL: new URL(manifest.pyodide.index, base).href };
  if (manifest.stdlib) options.stdLibURL = new URL(manifest.stdlib.url, base).href;
  if (manifest.pyodide.lock) options.lockFileContents = manifest.pyodide.lock;
  const started = loadPyodide(options).then((pyodide) => {
    self.postMessage({ type: "alive" });
    return pyodide;
  });
  const [pyodide, buffer] = await Promise.all([started, engine]);
  const bytes = new Uint8Array(buffer);
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(bytes, "zip", { extractDir: sitePackages });
  self.postMessage({ type: "alive" });
  handle = pyodide.runPython(
    "import json\nfrom decision.api import handle as _handle\n" +
    "lambda text: json.dumps(_handle(json.loads(text)))",
  );
}

let starting = false;
let releaseFiles = [];

// After a failed start: is one of this release's own files gone (404)? Then a newer release
// replaced it under the open tab, and only a reload helps. (The engine's integrity check fails
// before its status is seen, so each file is asked again, without a body.)
async function gone(urls) {
  const missing = await Promise.all(
    urls.map((url) => realFetch(url, { method: "HEAD", cache: "no-cache" }).then((r) => r.status === 404, () => false)),
  );
  return missing.some(Boolean);
}

async function startFailed(error) {
  if (!starting) return;
  starting = false;
  if (error instanceof Stale) self.postMessage({ type: "stale", detail: error.message });
  else if (await gone(releaseFiles)) {
    self.postMessage({ type: "stale", detail: `a file of this release is gone (404): ${String(error)}` });
  } else failed(error);
}
// Prices change on a day: each request is answered with the prices in force on the reader's own date.
const readersDay = () => {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
};
const onReadersDay = (request) =>
  request && typeof request === "object" && !("date" in request) ? { ...request, date: readersDay() } : request;
const failed = (error) => self.postMessage({ type: "failed", detail: String((error && error.stack) || error) });

/**
 * Answer the page's messages, as the worker of build `build`.
 * @param {{build: string}} release
 */
export function serve({ build }) {
  BUILD = build;
  // Pyodide fetches some files in promises nobody awaits; if one of those fails while
  // starting, loadPyodide never settles, so the failure is reported from here instead.
  self.addEventListener("unhandledrejection", (event) => {
    if (!starting) return;
    event.preventDefault();
    startFailed(event.reason);
  });

  self.onmessage = async (event) => {
    const message = event.data;
    if (message.type === "init") {
      starting = true;
      try {
        await init(message.manifest, message.build, message.keep, message.read);
        if (starting) self.postMessage({ type: "ready" });
        starting = false;
        if (keeping) {
          await Promise.all(storing);
          const urls = performance.getEntriesByType("resource").map((entry) => entry.name);
          self.postMessage({ type: "stored", urls: [self.location.href, ...urls] });
        }
      } catch (error) {
        await startFailed(error);
      }
    } else if (message.type === "ask") {
      try {
        const response = JSON.parse(handle(JSON.stringify(onReadersDay(message.request))));
        self.postMessage({ type: "response", id: message.id, response });
      } catch (error) {
        failed(error);
      }
    }
  };
}
