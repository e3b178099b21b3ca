// Engine figures inside Pyodide under Node (npm pyodide, the same core files the site ships).
//
//   node bench/engine_node.mjs ARCHIVE.zip REQUESTS.json [--stdlib ZIP] [--trace OUT.json] [--repeat N]
//
// Prints one JSON line: boot_ms (loadPyodide), unpack_ms, import_ms (import decision.api),
// first_ms (the first request, which reads and checks decision/data), per-request times (ms)
// over `--repeat` requests cycled from REQUESTS.json, and a digest of the answers so a trimmed
// runtime can be compared with the full one.
// --stdlib ZIP loads that standard library (loadPyodide's stdLibURL) with a minimal lock file.
// --trace OUT.json writes every standard-library file the run read from the zip (names inside it;
// modules frozen into Python's binary are never read, so they are left out).

import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const stdlib = option("--stdlib");
const trace = option("--trace");
const repeat = Number(option("--repeat") ?? "1000");
const [archivePath, requestsPath] = args;
const archive = readFileSync(archivePath);
const requests = JSON.parse(readFileSync(requestsPath, "utf8"));

const { loadPyodide } = await import("pyodide");
const lock = JSON.parse(readFileSync(new URL("../node_modules/pyodide/pyodide-lock.json", import.meta.url), "utf8"));
const options = {};
if (stdlib) {
  options.stdLibURL = stdlib;
  options.lockFileContents = { info: lock.info, packages: {} };
}
let t0 = performance.now();
const pyodide = await loadPyodide(options);
const boot = performance.now() - t0;
t0 = performance.now();
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(archive), "zip", { extractDir: sitePackages });
const unpack = performance.now() - t0;
t0 = performance.now();
const answer = pyodide.runPython(
  "import json\nfrom decision.api import handle as _handle\nlambda text: json.dumps(_handle(json.loads(text)))",
);
const imported = performance.now() - t0;
t0 = performance.now();
answer(JSON.stringify(requests[0])); // the first request reads and checks decision/data
const first = performance.now() - t0;

const digest = createHash("sha256");
for (const request of requests) digest.update(answer(JSON.stringify(request)) + "\n");
const times = [];
for (let i = 0; i < repeat; i++) {
  const text = JSON.stringify(requests[i % requests.length]);
  const start = performance.now();
  answer(text);
  times.push(performance.now() - start);
}
if (trace) {
  const files = pyodide.runPython(`
import json, sys
zips = [p for p in sys.path if p.endswith('.zip')]
found = set()
for module in list(sys.modules.values()):
    if getattr(getattr(module, '__spec__', None), 'origin', None) == 'frozen':
        continue  # frozen into the binary (os, io, site...): never read from the zip
    path = getattr(module, '__file__', None) or ''
    for z in zips:
        if path.startswith(z + '/'):
            found.add(path[len(z) + 1:])
json.dumps(sorted(found))
`);
  writeFileSync(trace, files + "\n");
}
process.stdout.write(
  JSON.stringify({ boot_ms: boot, unpack_ms: unpack, import_ms: imported, first_ms: first, times, answers: digest.digest("hex") }) +
    "\n",
);
process.exit(0);
