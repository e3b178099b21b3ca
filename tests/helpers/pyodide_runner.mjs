// Answer a JSON array of engine requests with the engine running inside Pyodide (Node).
//
//   node tests/helpers/pyodide_runner.mjs ARCHIVE.zip [STDLIB.zip] < requests.json > responses.json
//
// The archive is the one `decision.packing.archive.build_archive` makes, unpacked the way the
// browser's worker does it; with STDLIB.zip, Pyodide starts the way the worker does too, on that
// standard library (decision.packing.stdlib, trimmed to what the engine imports) and a lock file
// without packages. At the end it reports every stdlib file Python has read from the zip (KEEP in
// decision.packing.stdlib must hold them). Each request goes into Python as JSON text and each answer
// comes back as the text of json.dumps, so nothing is re-encoded by JavaScript.
// stderr carries lines starting with "runner:" (the Python version among them);
// the exit code is non-zero, with a one-line reason, whenever something fails.

import { readFileSync } from "node:fs";

const say = (line) => process.stderr.write(`runner: ${line}\n`);

function fail(message) {
  process.stderr.write(`runner: error: ${message}\n`);
  process.exit(1);
}

async function main() {
  const archivePath = process.argv[2];
  if (!archivePath) {
    fail("usage: node tests/helpers/pyodide_runner.mjs ARCHIVE.zip < requests.json > responses.json");
  }

  let archive;
  try {
    archive = readFileSync(archivePath);
  } catch (err) {
    fail(`cannot read the engine archive ${archivePath}: ${err.message}`);
  }

  const input = readFileSync(0, "utf8");
  let requests;
  try {
    requests = JSON.parse(input);
  } catch (err) {
    fail(`stdin is not JSON: ${err.message}`);
  }
  if (!Array.isArray(requests)) {
    fail("stdin should hold a JSON array of requests");
  }

  let loadPyodide;
  try {
    ({ loadPyodide } = await import("pyodide"));
  } catch (err) {
    fail(`cannot import the npm package "pyodide" (run \`npm ci\` in the project root): ${err.message}`);
  }

  const options = {};
  const stdlibPath = process.argv[3];
  if (stdlibPath) {
    const lock = JSON.parse(readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", import.meta.url), "utf8"));
    options.stdLibURL = stdlibPath;
    options.lockFileContents = { info: lock.info, packages: {} };
  }
  const pyodide = await loadPyodide(options);
  say(`pyodide ${pyodide.version}`);
  say(`stdlib ${stdlibPath || "full"}`);
  // Where the browser's worker puts it too, so `import decision` finds the archive's copy.
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(new Uint8Array(archive), "zip", { extractDir: sitePackages });

  // Which top-level modules were loaded before the engine, so we can tell what it added.
  const setup = `
import json
import sys

print("runner: python " + sys.version.split()[0], file=sys.stderr)
_before = {name.partition(".")[0] for name in sys.modules}

import decision.api

print("runner: engine at " + decision.__file__, file=sys.stderr)

def answer(text):
    return json.dumps(decision.api.handle(json.loads(text)))

def added_modules():
    now = {name.partition(".")[0] for name in sys.modules}
    return json.dumps(sorted(now - _before - set(sys.stdlib_module_names) - {"decision"}))

def stdlib_files():
    # Frozen modules (os, io, site, importlib's bootstrap...) name a file in the zip but never read it.
    zips = [path + "/" for path in sys.path if path.endswith(".zip")]
    modules = [m for m in list(sys.modules.values()) if getattr(getattr(m, "__spec__", None), "origin", None) != "frozen"]
    files = {getattr(module, "__file__", None) or "" for module in modules}
    return json.dumps(sorted(f[len(z):] for f in files for z in zips if f.startswith(z)))
`;
  try {
    pyodide.setStdout({ batched: (line) => process.stderr.write(`python stdout: ${line}\n`) });
    pyodide.setStderr({ batched: (line) => process.stderr.write(`${line}\n`) });
    pyodide.runPython(setup);
  } catch (err) {
    fail(`the engine did not import inside Pyodide: ${err.message}`);
  }

  const answer = pyodide.globals.get("answer");
  const answers = [];
  for (const [index, request] of requests.entries()) {
    try {
      answers.push(answer(JSON.stringify(request)));
    } catch (err) {
      fail(`request ${index} raised instead of answering: ${err.message}`);
    }
  }
  answer.destroy();

  const added = pyodide.runPython("added_modules()");
  say(`non-stdlib modules imported by the engine: ${added}`);
  // Every stdlib file read from the zip: for Pyodide's start, unpackArchive, the engine and the corpus.
  say(`stdlib files imported: ${pyodide.runPython("stdlib_files()")}`);
  say(`answered ${answers.length} requests`);
  // Exit only once stdout has taken everything (a pipe may accept it in pieces).
  process.stdout.write(`[${answers.join(",\n")}]\n`, () => process.exit(0));
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
