// Byte-compile zips of Python sources for Pyodide's own Python, inside that Pyodide under Node.
//
//   node pycompile.mjs PYODIDE_DIR JOBS.json
//
// JOBS.json is a list of {"source": ZIP, "target": ZIP, "where": "stdlib" | "site-packages",
// "optimize": 0 | 1 | 2, "lines": "full" | "def"}. For each job, every `NAME.py` in `source` is
// compiled by Pyodide's `compile()` (so the bytecode matches its interpreter exactly) and written to `target` as
// `NAME.pyc`: a sourceless, unchecked .pyc whose code names the file where Pyodide will find
// it (the stdlib zip on sys.path, or site-packages, where the worker unpacks the engine).
// With "lines": "def", each code object's line table is replaced by one that gives every
// instruction the line of its `def` (or line 1 for a module's own code), with no columns: a
// traceback still names the file, function and its def line, and the table, over a third of the
// deflated bytes, shrinks to runs of two bytes that deflate to almost nothing.
// `target` holds only the .pyc files; decision/packing/bytecode.py builds the shipped zip from it.
// stderr carries lines starting with "pycompile:", the last one "pycompile: error: ..." when anything
// fails (the exit code is then non-zero).

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const fail = (message) => {
  process.stderr.write(`pycompile: error: ${message}\n`);
  process.exit(1);
};

const COMPILE = `
import importlib.util, json, marshal, site, sys, types, zipfile

roots = {"stdlib": next(p for p in sys.path if p.endswith(".zip")) + "/", "site-packages": site.getsitepackages()[0] + "/"}

NO_COLUMNS = 13  # a line table entry that holds a line delta and no columns (Objects/locations.md)

def def_lines(code):
    """\`code\` and the code inside it with every instruction on its first line, no columns."""
    units = len(code.co_code) // 2
    table = bytes([0x80 | NO_COLUMNS << 3 | 7, 0]) * (units // 8)
    if units % 8:
        table += bytes([0x80 | NO_COLUMNS << 3 | (units % 8 - 1), 0])
    consts = tuple(def_lines(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_linetable=table, co_consts=consts)

def compile_zip(source, target, where, optimize, lines):
    count = 0
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for name in src.namelist():
            if name.endswith(".py"):
                code = compile(src.read(name), roots[where] + name, "exec", dont_inherit=True, optimize=optimize)
                if lines == "def":
                    code = def_lines(code)
                out.writestr(name + "c", importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code))
                count += 1
    return count
`;

async function main() {
  const [pyodideDir, jobsPath] = process.argv.slice(2);
  if (!pyodideDir || !jobsPath) fail("usage: node pycompile.mjs PYODIDE_DIR JOBS.json");
  const jobs = JSON.parse(readFileSync(jobsPath, "utf8"));
  const { loadPyodide } = await import(pathToFileURL(path.join(path.resolve(pyodideDir), "pyodide.mjs")).href);
  const pyodide = await loadPyodide();
  pyodide.runPython(COMPILE);
  const compileZip = pyodide.globals.get("compile_zip");
  process.stderr.write(`pycompile: python ${pyodide.runPython("import sys; sys.version.split()[0]")}\n`);
  for (const [index, job] of jobs.entries()) {
    pyodide.FS.writeFile(`/tmp/source-${index}.zip`, readFileSync(job.source));
    const count = compileZip(`/tmp/source-${index}.zip`, `/tmp/target-${index}.zip`, job.where, job.optimize, job.lines ?? "full");
    writeFileSync(job.target, pyodide.FS.readFile(`/tmp/target-${index}.zip`));
    process.stderr.write(`pycompile: ${count} modules of ${path.basename(job.source)}\n`);
  }
  process.exit(0);
}

main().catch((error) => {
  if (error && error.stack) process.stderr.write(`${error.stack}\n`);
  fail(error && error.message ? error.message : String(error));
});
