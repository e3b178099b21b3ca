"""Ready a built site for a static host with a short cache (GitHub Pages): nothing stale, nothing absolute.

GitHub Pages sends every file with `Cache-Control: max-age=600`, so for ten minutes after a
release a reader can hold new HTML with an old script, or an old worker with a new engine.
`publish(site_dir, site_url)` closes that gap after the build:

- `stamp_runtime` gives our runtime files names that carry a hash of their content and one
  build id to the widget script, the worker, the manifest and every widget on every page. The
  engine archive already carries its hash. At run time the widget script, the worker and the
  manifest compare build ids; a mismatch shows "a new version is out, reload" and leaves the
  static widget in place.

  No script is edited to do it. The hand-written ES modules are copied unedited into
  `scripts.<hash>/`, a folder named by the hash of their content: their relative imports keep
  working, and a module that changes changes the folder's name, so no reader mixes a cached
  module of one release with another's (Pages caches every file for ten minutes). What they
  need from the build reaches them as data: `widget.<hash>.js` and `worker.<hash>.js` are
  small modules written whole by decision/packing/scripts.py, which import `start` or `serve`
  from that folder and call it with this release's build id, worker and manifest. Each release's
  pair carries its own build id, so a page, worker or manifest of another release is still told
  apart (a stub that names a file of the previous release gets a 404 and says "reload").
  Chosen over a generated JSON the scripts fetch: no extra request before the widgets can start,
  and the build id arrives with the very file whose release it names.
- the pages' references to those files follow the new names;
- `place_service_worker` puts the offline service worker at the site's root as whatmatters-sw.js,
  and the widget script names it: a reader who opened a page once can open it again with no
  network, its widgets live (overrides/assets/whatmatters/service-worker.js says what it keeps);
- `robots.txt` names the sitemap at `site_url`;
- Material's palette stylesheet loses its "no transitions while the colours switch" rule
  (`calm_palette_switch`): Material sets and clears that attribute on <body> at every page
  load, and the rule's `[data-md-color-switching] *` made each of the two a restyle of the
  whole document (ai/: 3,250 elements styled during load with it, 2,183 without; Zensical keeps
  the same rule in assets/stylesheets/modern/ and classic/). The only
  loss: switching light/dark by hand fades colours for a fraction of a second.

`absolute_urls(site_dir, site_url)` lists every URL in the output that a moved site would
break (root-absolute or plain http://), the 404 page's own base excepted: Pages serves that
page at any depth, so its links are absolute paths under the base `site_url` names.

Build-time code, step 3 of `whatmatters publish SITE_DIR` (post_build.py), which the MkDocs
hook `hooks/pages.py` calls too; the browser never imports it.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import re
import shutil
import urllib.parse

from ..packing.assets import RUNTIME_DIR, static_dir
from ..packing.scripts import SCRIPTS_DIR, module_files, widget_script, worker_script

# Our files that change between releases and that pages or scripts refer to by name.
HASHED = ("worker.js", "runtime.json", "widget.js", "whatmatters.css")
# The two of them the build writes itself (decision/packing/scripts.py) with the release's data.
GENERATED = ("widget.js", "worker.js")
# The offline service worker (overrides/assets/whatmatters/service-worker.js), and its name at the site's root.
SERVICE_WORKER_SOURCE = "service-worker.js"
SERVICE_WORKER = "whatmatters-sw.js"
_HASHED_NAME = re.compile(r"^(?P<stem>[\w-]+)\.(?P<hash>[0-9a-f]{12})(?P<suffix>\.\w+)$")
_SCRIPTS_FOLDER = re.compile(rf"^{SCRIPTS_DIR}\.[0-9a-f]{{12}}$")
_WIDGET_TAG = re.compile(r"(<[a-z]+\b[^>]*?\sdata-wm-widget=\"[^\"]*\")")
_BUILD_ATTR = re.compile(r'\sdata-wm-build="[^"]*"')


class PublishError(Exception):
    """The runtime files don't have the shape the build expects; the message says what is off."""


def content_hash(data: bytes) -> str:
    """The 12 hex digits of a file's SHA-256 that go into its name."""
    return hashlib.sha256(data).hexdigest()[:12]


def hashed_name(name: str, data: bytes) -> str:
    """`widget.js` with content `data` -> `widget.<hash>.js`."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{content_hash(data)}.{suffix}" if dot else f"{name}.{content_hash(data)}"


def plain_name(name: str) -> str:
    """`widget.3f2a9c1b7d0e.js` -> `widget.js`; a name without a hash stays as it is."""
    match = _HASHED_NAME.match(name)
    return f"{match['stem']}{match['suffix']}" if match else name


def folder_hash(folder: pathlib.Path) -> str:
    """The hash of a folder of modules: of every file's name and content, in name order."""
    digest = hashlib.sha256()
    for path in module_files(folder):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def stamp_runtime(home: str | pathlib.Path, offline: str | None = None) -> dict[str, str]:
    """Give the runtime under `home` one build id and names that carry their content's hash.

    `home` holds the modules' folder `scripts/`, whatmatters.css and runtime.json as the build
    wrote them (and the dev widget.js and worker.js, which are replaced). Returns {"build": id,
    "scripts": "scripts.<hash>", "widget.js": "widget.<hash>.js", ...}; the plain files are gone.
    `offline`, the service worker's address relative to `home`, goes into the widget script.
    """
    home = pathlib.Path(home)
    folder = home / SCRIPTS_DIR
    if not module_files(folder):
        raise PublishError(f"the widget modules ({SCRIPTS_DIR}/*.js) are missing from {home}")
    sources = {}
    for name in HASHED:
        if name in GENERATED:
            continue
        if not (home / name).is_file():
            raise PublishError(f"{name} is missing from {home}")
        sources[name] = (home / name).read_bytes()
    scripts = f"{SCRIPTS_DIR}.{folder_hash(folder)}"
    digest = hashlib.sha256(scripts.encode() + b"\0")
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + sources[name] + b"\0")
    # A word before the digest: a bare run of hex reads as a secret to scanners such as detect-secrets.
    build = "build-" + digest.hexdigest()[:12]

    texts = {name: data.decode("utf-8") for name, data in sources.items()}
    manifest = json.loads(texts["runtime.json"])
    manifest["build"] = build
    texts["runtime.json"] = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    names: dict[str, str] = {"build": build, "scripts": scripts}
    for name in ("runtime.json", "whatmatters.css"):
        names[name] = hashed_name(name, texts[name].encode("utf-8"))
    # Written whole, with this release's data: the worker first, since the widget script names it.
    texts["worker.js"] = worker_script(build, scripts)
    names["worker.js"] = hashed_name("worker.js", texts["worker.js"].encode("utf-8"))
    modules = [p.name for p in module_files(folder)]
    texts["widget.js"] = widget_script(build, scripts, names["worker.js"], names["runtime.json"], modules, offline)
    names["widget.js"] = hashed_name("widget.js", texts["widget.js"].encode("utf-8"))

    for stale in home.iterdir():  # an earlier build's hashed files (mkdocs serve rebuilds in place)
        if stale.is_file() and _HASHED_NAME.match(stale.name) and plain_name(stale.name) in HASHED:
            stale.unlink()
        elif stale.is_dir() and _SCRIPTS_FOLDER.match(stale.name):
            shutil.rmtree(stale)
    folder.rename(home / scripts)
    for name in HASHED:
        (home / names[name]).write_text(texts[name], encoding="utf-8")
        (home / name).unlink(missing_ok=True)
    return names


# Material's search dialog carries role="dialog" but no name (Lighthouse and axe: aria-dialog-name).
_UNNAMED_SEARCH = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")(?![^>]*aria-label)')


def preload_links(prefix: str, names: dict[str, str], modules: list[str]) -> str:
    """`<link rel="modulepreload">` tags for the widget script and each of `modules`, at `prefix`.

    The widget script's tag sits at the end of a page's body, where the browser finds it late,
    and its modules only once it has arrived. Named in the head, after the stylesheets and before
    any script, the whole graph downloads while the page is parsed, ready to run when it is. The
    worker's module (serve.js) is among them: it is not run on the
    page, but the worker then finds it in the HTTP cache instead of asking for it after its own
    script. Our modules only, never the worker script itself or anything of Python: a page whose
    widgets the reader never reaches still downloads no Pyodide byte.
    """
    urls = [names["widget.js"], *(f"{names['scripts']}/{m}" for m in modules)]
    return "".join(f'<link rel="modulepreload" href="{prefix}{url}">' for url in urls)


def rewrite_pages(site_dir: str | pathlib.Path, names: dict[str, str]) -> int:
    """Point every page at the hashed files, name the widget scripts in its head (preload_links) and
    mark each widget with the build id; return pages changed."""
    site_dir = pathlib.Path(site_dir)
    folder = site_dir / RUNTIME_DIR / names["scripts"]
    modules = [p.name for p in module_files(folder)]
    script_tag = re.compile(
        r"<script\b[^>]*?\ssrc=[\"']([^\"'<>]*?)" + re.escape(f"{RUNTIME_DIR}/{names['widget.js']}") + r"[\"']"
    )
    # Only where a tag loads the file (src= or href=): a code sample that names it, such as the
    # Embed page's zensical.toml, keeps the plain name a reader's own site has.
    references = [
        (
            re.compile(r"((?:src|href)=[\"'][^\"'<>]*?)" + re.escape(f"{RUNTIME_DIR}/{name}") + r"(?=[\"'?#])"),
            rf"\g<1>{RUNTIME_DIR}/{names[name]}",
        )
        for name in HASHED
        if name.endswith((".js", ".css"))
    ]
    changed = 0
    for path in sorted(site_dir.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        text = page
        for pattern, new in references:
            text = pattern.sub(new, text)
        text = _WIDGET_TAG.sub(lambda m: _BUILD_ATTR.sub("", m.group(1)) + f' data-wm-build="{names["build"]}"', text)
        text = _UNNAMED_SEARCH.sub(r'\1 aria-label="Search"', text)
        tag = script_tag.search(text)
        end = text.find("</head>")
        links = preload_links(f"{tag.group(1)}{RUNTIME_DIR}/", names, modules) if tag else ""
        if links and end > 0 and links not in text:  # not twice when a site is published again
            # Before the head's first script: an inline script waits for the stylesheets, and the
            # links after it would be found only then.
            first = text.find("<script", 0, end)
            at = first if first >= 0 else end
            text = text[:at] + links + text[at:]
        if text != page:
            path.write_text(text, encoding="utf-8")
            changed += 1
    return changed


# Material's rule that freezes every transition while the palette switches (see the docstring).
_SWITCHING_RULE = re.compile(r"(?:(?<=\})|^)\[data-md-color-switching\][^{}]*\{[^{}]*\}", re.M)


def calm_palette_switch(site_dir: str | pathlib.Path) -> int:
    """Drop the palette-switching rule from Material's palette stylesheet; return rules removed."""
    removed = 0
    for path in sorted(pathlib.Path(site_dir).glob("assets/stylesheets/**/palette.*.css")):
        css = path.read_text(encoding="utf-8")
        text, n = _SWITCHING_RULE.subn("", css)
        if n:
            path.write_text(text, encoding="utf-8")
            removed += n
    return removed


def robots_txt(site_url: str) -> str:
    """robots.txt for a site at `site_url`: everything may be crawled; the sitemap is at site_url."""
    base = site_url.rstrip("/") + "/"
    return f"User-agent: *\nDisallow:\n\nSitemap: {base}sitemap.xml\n"


def place_service_worker(site_dir: pathlib.Path) -> str:
    """Copy the offline service worker, as it is, to the site's root; return its address from the runtime's folder.

    At the root because a service worker's scope is its own folder and the whole site is the
    scope; a theme that copied it beside the scripts loses that copy (it could only cover assets/).
    """
    (site_dir / RUNTIME_DIR / SERVICE_WORKER_SOURCE).unlink(missing_ok=True)
    shutil.copyfile(static_dir() / SERVICE_WORKER_SOURCE, site_dir / SERVICE_WORKER)
    return "../" * len(RUNTIME_DIR.parts) + SERVICE_WORKER


def publish(site_dir: str | pathlib.Path, site_url: str | None) -> dict[str, str]:
    """Everything above, for a site MkDocs (or another tool) has just written into `site_dir`."""
    site_dir = pathlib.Path(site_dir)
    names = stamp_runtime(site_dir / RUNTIME_DIR, place_service_worker(site_dir))
    rewrite_pages(site_dir, names)
    calm_palette_switch(site_dir)
    if site_url:
        (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
    return names


# --- the check: URLs that only work at one address ---------------------------------------

_ATTR_URL = re.compile(r"""\s(?:href|src|action|formaction|poster|data|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
_JS_URL = re.compile(r"""(?:new\s+(?:URL|Worker|SharedWorker)|fetch|import|importScripts)\s*\(\s*(["'`])([^"'`]*)\1""")
_XMLNS = re.compile(r"""xmlns(?::\w+)?=(["'])http://[^"']*\1""")


def _bad(url: str, allowed_base: str | None) -> bool:
    url = url.strip()
    if url.lower().startswith("http://"):
        return True
    if url.startswith("//"):
        return True
    if url.startswith("/"):
        return allowed_base is None or not url.startswith(allowed_base)
    return False


def absolute_urls(site_dir: str | pathlib.Path, site_url: str) -> list[str]:
    """Every `file: url` in the site that starts with `/` or `http://` (404.html may use its own base).

    Looked at: URL attributes in HTML (plus CSS in style elements), url() in CSS, and the
    URLs our own scripts hand to fetch, import, new URL and new Worker. XML namespaces
    (`xmlns="http://www.w3.org/2000/svg"`) are names, not addresses, and are skipped.
    """
    site_dir = pathlib.Path(site_dir)
    base = urllib.parse.urlsplit(site_url).path or "/"
    found = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in (".html", ".css", ".js", ".mjs") or not path.is_file():
            continue
        relative = path.relative_to(site_dir).as_posix()
        text = _XMLNS.sub("", path.read_text(encoding="utf-8", errors="replace"))
        allowed = base if relative == "404.html" else None
        urls: list[str] = []
        if path.suffix == ".html":
            for match in _ATTR_URL.finditer(text):
                value = match.group(1) if match.group(1) is not None else match.group(2)
                urls += (
                    [part.strip().split(" ")[0] for part in value.split(",")]
                    if "srcset" in match.group(0).lower()
                    else [value]
                )
        if path.suffix in (".html", ".css"):
            urls += [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)]
        if path.suffix in (".js", ".mjs") and relative.startswith(f"{RUNTIME_DIR}/"):
            urls += [m.group(2) for m in _JS_URL.finditer(text)]
        found += [f"{relative}: {url}" for url in urls if _bad(url, allowed)]
    return found
