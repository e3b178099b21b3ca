"""`whatmatters publish SITE_DIR`: one command that readies any generator's output for live widgets.

A site built by MkDocs, Zensical, Sphinx or anything else that wrote our fences' HTML into
SITE_DIR gets, in this order, the same steps our MkDocs hooks take (hooks/ call these functions):

1. `place_runtime`: Pyodide's core, the engine archive and the widget scripts under `assets/`;
2. `add_embeds` (opt in, `--embeds`): one embed page per widget under `embed/`, and `embed.js`,
   so other sites can frame this site's widgets; off by default, since it adds pages and a
   root script a site owner didn't ask for;
3. `stamp`: content-hashed names and one build id (pages.publish), and robots.txt naming the
   sitemap when a site URL is given;
4. `protect`: the Content-Security-Policy `<meta>` in every page (csp.protect_site), and a
   count of the pages that hold something the policy blocks, such as a theme's inline styles.

Run it like Pagefind: after the build, on the build's folder. Build-time code.
"""

from __future__ import annotations

import pathlib
import shutil
import urllib.parse
from typing import Any

from ..errors import DataError
from ..knowledge import Knowledge
from ..loading import knowledge, load
from ..packing.assets import RUNTIME_DIR, SITE_ASSETS, AssetsError, static_dir, write_runtime
from . import csp
from .pages import PublishError, publish

# The theme colours an embed page takes when the command isn't told the site's own.
DEFAULT_PALETTE = ("indigo", "amber")


class PostBuildError(Exception):
    """The site folder, the address or a runtime file can't be used; the message is one sentence."""


def check_site(site_dir: str | pathlib.Path) -> pathlib.Path:
    """The built site's folder, or a PostBuildError saying why it isn't one."""
    path = pathlib.Path(site_dir)
    if not path.exists():
        raise PostBuildError(f"there is no folder {site_dir}; build the site first and name its output folder")
    if not path.is_dir():
        raise PostBuildError(f"{site_dir} is a file, not a built site's folder")
    if not (path / "index.html").is_file():
        raise PostBuildError(f"{site_dir} isn't a built site: it has no index.html")
    return path


def check_url(site_url: str | None) -> str | None:
    """`site_url` if it is an http(s) address with a host, else a PostBuildError; None stays None."""
    if site_url is None:
        return None
    parts = urllib.parse.urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in site_url):
        raise PostBuildError(f"the site URL should be an address like https://example.org/docs/, not {site_url!r}")
    return site_url if site_url.endswith("/") else site_url + "/"


def place_runtime(
    site_dir: pathlib.Path,
    pyodide_dir: str | pathlib.Path | None = None,
    data_dir: str | pathlib.Path | None = None,
    with_static: bool = True,
) -> dict[str, Any]:
    """Step 1: the runtime under the site's assets/ (write_runtime); returns its manifest.

    Without `pyodide_dir`, the runtime this package carries, else `node_modules/pyodide` of the
    current directory (a checkout)."""
    return write_runtime(site_dir / SITE_ASSETS, pyodide_dir, with_static, data_dir, project_dir=pathlib.Path.cwd())


def add_embeds(
    site_dir: pathlib.Path,
    site_url: str | None = None,
    palette: tuple[str, str] = DEFAULT_PALETTE,
    k: Knowledge | None = None,
) -> list[str]:
    """Step 2: the embed pages and embed.js; the embed page's own script and styles come along if absent."""
    from ..integrations.embed import PAGE_FILES, write_embeds  # it imports this package's pages module

    home = site_dir / RUNTIME_DIR
    for name in PAGE_FILES:
        if not (home / name).is_file():  # a theme may have copied them; a rerun finds only hashed copies
            shutil.copyfile(static_dir() / name, home / name)
    return write_embeds(site_dir, palette[0], palette[1], site_url, k)


def stamp(site_dir: pathlib.Path, site_url: str | None = None) -> dict[str, str]:
    """Step 3: hashed names and one build id for the runtime and every page; robots.txt with a site URL."""
    return publish(site_dir, site_url)


def protect(site_dir: pathlib.Path) -> tuple[str, list[str]]:
    """Step 4: the policy in every page; returns it and the pages holding something it blocks."""
    policy = csp.protect_site(site_dir)
    blocked = []
    for path in sorted(site_dir.rglob("*.html")):
        if csp.audit(path.read_text(encoding="utf-8"), policy):
            blocked.append(path.relative_to(site_dir).as_posix())
    return policy, blocked


def publish_site(
    site_dir: str | pathlib.Path,
    site_url: str | None = None,
    data_dir: str | pathlib.Path | None = None,
    pyodide_dir: str | pathlib.Path | None = None,
    embeds: bool = False,
    with_csp: bool = True,
) -> dict[str, Any]:
    """All four steps on a built site; returns what was written. Raises PostBuildError with one sentence."""
    site = check_site(site_dir)
    url = check_url(site_url)
    try:
        k = load(data_dir) if data_dir is not None else knowledge()
        manifest = place_runtime(site, pyodide_dir, data_dir)
        written = add_embeds(site, url, DEFAULT_PALETTE, k) if embeds else []
        names = stamp(site, url)
        policy, blocked = protect(site) if with_csp else ("", [])
    except DataError as exc:
        raise PostBuildError(f"the data in {data_dir} can't be used: {exc}") from None
    except (AssetsError, PublishError) as exc:
        raise PostBuildError(str(exc)) from None
    except OSError as exc:
        raise PostBuildError(f"couldn't write into {site_dir}: {exc.strerror or exc}") from None
    return {
        "site": str(site),
        "pages": len(list(site.rglob("*.html"))),
        "build": names["build"],
        "runtime_bytes": manifest["total_bytes"],
        "pyodide": manifest["pyodide"]["version"],
        "embeds": written,
        "robots": url is not None,
        "csp": bool(policy),
        "csp_blocked": blocked,
    }
