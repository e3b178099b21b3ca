"""The pages the contenders are measured on, laid out under one root served from 127.0.0.1.

    root/site/              our built site (its own copy of the Pyodide core, same bytes)
    root/pyodide/           the npm pyodide core files, shared by every peer
    root/pyscript/          @pyscript/core's dist
    root/engine.zip         the engine archive; root/stdlib.zip the trimmed stdlib
    root/floor/             a module worker: loadPyodide(), unpack the engine, one request
    root/floor-trim/        the same on the trimmed stdlib + a lock file without packages
    root/floor-ours/        the same on exactly the files our site ships: its byte-compiled trimmed
                            stdlib and engine (root/ours-runtime/), its lock inline in the worker
    root/pyscript-page/     PyScript, main thread, <script type="py"> doing the same
    root/mdexec/            a minimal MkDocs site with markdown-exec's pyodide fence doing the same

Every peer computes the cost widget's own request (read from the built page) with turns=7
and writes the engine's HTML into #out, then sets document.body.dataset.answered.
"""

from __future__ import annotations

import html
import json
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PYODIDE = ROOT / "node_modules" / "pyodide"
CORE = ("pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

FLOOR_WORKER = """
import { loadPyodide } from "/pyodide/pyodide.mjs";
self.onmessage = async (event) => {
  const { request, trimmed } = event.data;
  const options = { indexURL: "/pyodide/" };
  if (trimmed) {
    options.stdLibURL = "/stdlib.zip";
    options.lockFileContents = fetch("/lock.json").then((r) => r.text());
  }
  OURS
  const pyodide = await loadPyodide(options);
  const bytes = new Uint8Array(await (await fetch(ENGINE)).arrayBuffer());
  pyodide.unpackArchive(bytes, "zip", { extractDir: pyodide.runPython("import site; site.getsitepackages()[0]") });
  const handle = pyodide.runPython("import json\\nfrom decision.api import handle as h\\nlambda t: json.dumps(h(json.loads(t)))");
  self.postMessage(JSON.parse(handle(JSON.stringify(request))));
};
"""

FLOOR_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head>
<body><main><h1>Floor</h1><div id="out">loading</div></main><script type="module">
const worker = new Worker("/floor/worker.js", { type: "module" });
worker.onmessage = (e) => { document.getElementById("out").innerHTML = e.data.html; document.body.dataset.answered = "1"; };
worker.postMessage({ request: REQUEST, trimmed: TRIMMED });
</script></body></html>
"""

PY_CODE = """
import json, site
from pyodide.http import pyfetch
response = await pyfetch("/engine.zip")
await response.unpack_archive(extract_dir=site.getsitepackages()[0], format="zip")
from decision.api import handle
from js import document
document.getElementById("out").innerHTML = handle(json.loads('''REQUEST'''))["html"]
document.body.dataset.answered = "1"
"""

PYSCRIPT_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PyScript</title>
<link rel="stylesheet" href="/pyscript/core.css"><script type="module" src="/pyscript/core.js"></script></head>
<body><main><h1>PyScript</h1><div id="out">loading</div></main>
<script type="py" config='{"interpreter": "/pyodide/pyodide.mjs"}'>CODE</script></body></html>
"""

MDEXEC_CONFIG = "site_name: mdexec peer\ntheme:\n  name: material\n  font: false\nmarkdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n        - name: pyodide\n          class: pyodide\n          validator: !!python/name:markdown_exec.validator\n          format: !!python/name:markdown_exec.formatter\nplugins:\n  - markdown-exec\n"


def cost_request(site: pathlib.Path) -> dict[str, object]:
    """The cost widget's request as the built page carries it, with turns=7 and HTML asked for."""
    page = (site / "ai" / "index.html").read_text(encoding="utf-8")
    tag = re.search(r'<[a-z]+[^>]*id="wm-cost"[^>]*>', page)
    assert tag, "no cost widget on ai/"
    found = re.search(r'data-wm-request="([^"]*)"', tag.group(0))
    assert found
    request: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return {**request, "turns": 7, "render": True}


def lay_out(root: pathlib.Path, site: pathlib.Path, archive: pathlib.Path, stdlib: pathlib.Path) -> dict[str, object]:
    """Write every contender's page under `root`; return the request they all answer."""
    request = cost_request(site)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(site, root / "site")
    (root / "pyodide").mkdir(parents=True)
    for name in CORE:
        shutil.copyfile(PYODIDE / name, root / "pyodide" / name)
    shutil.copytree(ROOT / "node_modules" / "@pyscript" / "core" / "dist", root / "pyscript")
    shutil.copyfile(archive, root / "engine.zip")
    shutil.copyfile(stdlib, root / "stdlib.zip")
    info = json.loads((PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    (root / "lock.json").write_text(json.dumps({"info": info, "packages": {}}), encoding="utf-8")
    engine, ours = _our_runtime(root, site)
    for name, trimmed in (("floor", "false"), ("floor-trim", "true"), ("floor-ours", "false")):
        (root / name).mkdir()
        worker = FLOOR_WORKER.replace("OURS", ours if name == "floor-ours" else "")
        worker = worker.replace("ENGINE", json.dumps(engine if name == "floor-ours" else "/engine.zip"))
        (root / name / "worker.js").write_text(worker, encoding="utf-8")
        page = FLOOR_PAGE.replace("REQUEST", json.dumps(request)).replace("TRIMMED", trimmed)
        (root / name / "index.html").write_text(
            page.replace("/floor/worker.js", f"/{name}/worker.js"), encoding="utf-8"
        )
    code = PY_CODE.replace("REQUEST", json.dumps(request))
    (root / "pyscript-page").mkdir()
    (root / "pyscript-page" / "index.html").write_text(PYSCRIPT_PAGE.replace("CODE", code), encoding="utf-8")
    _mdexec(root, code)
    return request


def _our_runtime(root: pathlib.Path, site: pathlib.Path) -> tuple[str, str]:
    """Copy the engine and stdlib the built site ships (its runtime manifest names them) to
    root/ours-runtime/; return the engine's URL and the worker lines that load that stdlib and
    pass the site's lock inline, as our worker does."""
    home = site / "assets" / "whatmatters"
    manifests = sorted(home.glob("runtime.*.json"))
    assert len(manifests) == 1, f"expected one runtime manifest in {home}, found {len(manifests)}"
    manifest = json.loads(manifests[0].read_text(encoding="utf-8"))
    dest = root / "ours-runtime"
    dest.mkdir()
    for part in ("engine", "stdlib"):
        source = home / manifest[part]["url"]
        shutil.copyfile(source, dest / source.name)
    engine = "/ours-runtime/" + pathlib.PurePosixPath(manifest["engine"]["url"]).name
    stdlib = "/ours-runtime/" + pathlib.PurePosixPath(manifest["stdlib"]["url"]).name
    lock = json.dumps(manifest["pyodide"]["lock"])
    return engine, f"options.stdLibURL = {json.dumps(stdlib)};\n  options.lockFileContents = {lock};"


def _mdexec(root: pathlib.Path, code: str) -> None:
    """A minimal MkDocs site with one markdown-exec pyodide fence; its CDN Pyodide pointed at /pyodide/."""
    src = root / "mdexec-src"
    (src / "docs").mkdir(parents=True)
    (src / "mkdocs.yml").write_text(MDEXEC_CONFIG, encoding="utf-8")
    body = code.replace('document.getElementById("out").innerHTML = ', "print(").replace('["html"]\n', '["html"])\n')
    (src / "docs" / "index.md").write_text(f"# markdown-exec\n\n```pyodide\n{body.strip()}\n```\n", encoding="utf-8")
    mkdocs = pathlib.Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "-q", "-d", str(root / "mdexec")], cwd=src, check=True)
    page = root / "mdexec" / "index.html"
    text = re.sub(r"https://cdn\.jsdelivr\.net/pyodide/v[^/]+/full/", "/pyodide/", page.read_text(encoding="utf-8"))
    text = text.replace("https://cdnjs.cloudflare.com/ajax/libs/ace/1.16.0/ace.js", "/vendor/ace/ace.js")
    text = text.replace(
        "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/11.7.0/highlight.min.js", "/vendor/hljs.js"
    )
    text = re.sub(
        r'<link title="(light|dark)" rel="alternate stylesheet" href="https://cdn[^"]*"',
        r'<link title="\\1" rel="alternate stylesheet" href="/vendor/empty.css"',
        text,
    )
    page.write_text(text, encoding="utf-8")
    vendor = root / "vendor"
    shutil.copytree(ROOT / "node_modules" / "ace-builds" / "src-min-noconflict", vendor / "ace")
    shutil.copyfile(ROOT / "node_modules" / "@highlightjs" / "cdn-assets" / "highlight.min.js", vendor / "hljs.js")
    (vendor / "empty.css").write_text("", encoding="utf-8")
    for js in (root / "mdexec").rglob("pyodide.js"):
        if "assets" in js.parts:  # markdown-exec's own script: npm pyodide has no micropip wheel to load
            js.write_text(
                js.read_text(encoding="utf-8").replace('await pyodide.loadPackage("micropip");', ""), encoding="utf-8"
            )
