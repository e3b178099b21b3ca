"""Embed pages and `embed.js`: the widgets on other people's pages, served from our origin.

`write_embeds(site_dir)` runs after a site build (hooks/embed.py) and writes:

    embed/<name>/index.html   one minimal page per widget and per flow topic (flow-caching,
                              cost, plan...): the widget's first state rendered by the engine,
                              the same widget.js, worker and styles as the guide, no site chrome,
                              a small "from What Matters When" link
    embed.js                  the stable entry point a host's <script> names
    embed.<hash>.js           the same script under a name that carries its content hash

The page takes one query option, `theme=light|dark|auto`, read by embed-page.js against an
allowlist; it reports its height to the parent with postMessage. embed.js knows only the
names and titles written into it here: a host's attributes choose among them and are never
turned into markup. Build-time code: the browser never imports it.
"""

from __future__ import annotations

import json
import pathlib
import re

from ..formatting import esc
from ..knowledge import Knowledge
from ..loading import knowledge
from ..packing.assets import RUNTIME_DIR
from ..publishing.pages import hashed_name
from .markdown import render_fence

SCRIPT_SOURCE = pathlib.Path(__file__).with_name("embed.js")
# The embed page's own files, copied by the theme into RUNTIME_DIR and renamed here by content.
PAGE_FILES = ("embed-page.js", "embed.css")
# What each widget's embed page is called; a flow's page takes its flow's own title.
TITLES = {
    "stage": "Which stage is your project at?",
    "plan": "What to build now, and what can wait",
    "cost": "What will this AI feature cost?",
    "conversation": "What does a long AI conversation cost?",
    "screen": "Does this text try to take over your AI feature?",
}
_EMBEDS_LINE = re.compile(r"^(?P<indent>[ \t]*)const EMBEDS = \{\};$", re.M)
_HASHED = re.compile(r"^(?P<stem>[\w-]+)\.[0-9a-f]{12}(?P<suffix>\.\w+)$")

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{robots}
<meta name="description" content="{title}: a live decision widget from What Matters When, for embedding in other docs.">
<title>{title} · What Matters When</title>
{styles}
<script type="module" src="../../{runtime}/widget.js"></script>
<script type="module" src="../../{runtime}/{page_script}"></script>
</head>
<body class="wm-embed-page" data-md-color-scheme="default" data-md-color-primary="{primary}" data-md-color-accent="{accent}">
<main class="wm-embed md-typeset">
<h1 class="wm-embed-title">{title}</h1>
{widget}
<p class="wm-embed-credit"><a href="../../" target="_blank" rel="noopener">from What Matters When</a></p>
</main>
</body>
</html>
"""


def embeds(k: Knowledge) -> dict[str, tuple[str, dict[str, str]]]:
    """{embed page name: (title, fence options)}: every widget, and the flow once per topic."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for name in k.widgets:
        if name == "flow":
            for topic, flow in k.flows.items():
                found[f"flow-{topic}"] = (flow.title, {"widget": "flow", "topic": topic})
        else:
            found[name] = (TITLES.get(name, name.capitalize()), {"widget": name})
    return found


def _hash_in_place(home: pathlib.Path, name: str) -> str:
    """Give `home/name` its content-hashed name (dropping an earlier build's) and return that name."""
    source = home / name
    data = source.read_bytes()
    new_name = hashed_name(name, data)
    stem, _, suffix = name.rpartition(".")
    for stale in home.iterdir():
        match = _HASHED.match(stale.name)
        if match and match["stem"] == stem and match["suffix"] == f".{suffix}" and stale.name != new_name:
            stale.unlink()
    (home / new_name).write_bytes(data)
    source.unlink()
    return new_name


def embed_script(k: Knowledge) -> str:
    """embed.js with the embed pages' names and titles written in (it knows nothing else)."""
    titles = {name: title for name, (title, _) in embeds(k).items()}
    text, count = _EMBEDS_LINE.subn(
        lambda m: f"{m['indent']}const EMBEDS = {json.dumps(titles, sort_keys=True, ensure_ascii=True)};",
        SCRIPT_SOURCE.read_text("utf-8"),
    )
    if count != 1:
        raise ValueError("embed.js must hold exactly one line `const EMBEDS = {};` for the build to fill in")
    return text


_WIDGET_ID = re.compile(r'<div class="wm-widget" id="wm-([\w-]+)"')


def host_pages(site_dir: pathlib.Path) -> dict[str, str]:
    """{embed name: the guide page it first appears on, as a path under the site ('later/')}.

    A widget's first element on a page has the id `wm-<embed name>`. Pages other than the Embed
    guide page come first: that page shows widgets only as examples.
    """
    pages = [p for p in site_dir.rglob("index.html") if p.relative_to(site_dir).parts[0] != "embed"]
    pages.sort(key=lambda p: p.relative_to(site_dir).as_posix())
    pages += [site_dir / "embed" / "index.html"]
    found: dict[str, str] = {}
    for page in pages:
        if not page.is_file():
            continue
        path = page.parent.relative_to(site_dir).as_posix()
        for name in _WIDGET_ID.findall(page.read_text(encoding="utf-8")):
            found.setdefault(name, "" if path == "." else f"{path}/")
    return found


def write_embeds(
    site_dir: str | pathlib.Path, primary: str = "indigo", accent: str = "amber", site_url: str | None = None
) -> list[str]:
    """Write the embed pages and embed.js into a built site; return the pages' names.

    With `site_url`, each embed page names the guide page its widget lives on as its canonical
    address (the Embed guide page for a widget placed on no other page), so search engines send
    readers to the guide, not to a bare frame; without `site_url` it asks not to be indexed.
    """
    site_dir = pathlib.Path(site_dir)
    k = knowledge()
    hosts = host_pages(site_dir)
    home = site_dir / RUNTIME_DIR
    names = {name: _hash_in_place(home, name) if (home / name).is_file() else name for name in PAGE_FILES}
    stylesheets = [
        *(sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "assets" / "stylesheets").glob("*.css"))),
        f"{RUNTIME_DIR}/whatmatters.css",
        f"{RUNTIME_DIR}/{names['embed.css']}",
    ]
    styles = "\n".join(f'<link rel="stylesheet" href="../../{esc(href)}">' for href in stylesheets)
    if (site_dir / "assets" / "images" / "favicon.png").is_file():
        # The theme's icon, so a browser doesn't ask the server root for /favicon.ico (a 404 in the console).
        styles += '\n<link rel="icon" href="../../assets/images/favicon.png">'
    written = []
    for name, (title, options) in embeds(k).items():
        # A widget placed on no guide page (conversation) is presented by the Embed guide page.
        host = hosts.get(name, "embed/" if (site_dir / "embed" / "index.html").is_file() else None)
        robots = (
            f'<link rel="canonical" href="{esc(site_url.rstrip("/") + "/" + host)}">'
            if site_url and host is not None
            else '<meta name="robots" content="noindex">'
        )
        page = PAGE.format(
            robots=robots,
            title=esc(title),
            styles=styles,
            runtime=RUNTIME_DIR,
            page_script=names["embed-page.js"],
            primary=esc(primary),
            accent=esc(accent),
            widget=render_fence(options, k, set()),
        )
        (site_dir / "embed" / name).mkdir(parents=True, exist_ok=True)
        (site_dir / "embed" / name / "index.html").write_text(page, encoding="utf-8")
        written.append(name)
    script = embed_script(k)
    for stale in site_dir.glob("embed.*.js"):
        stale.unlink()
    (site_dir / "embed.js").write_text(script, encoding="utf-8")
    (site_dir / hashed_name("embed.js", script.encode("utf-8"))).write_text(script, encoding="utf-8")
    return written
