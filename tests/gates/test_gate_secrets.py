"""Gate 1: no secret in the repository or in the built site (detect-secrets, committed baseline).

The baseline `.secrets.baseline` holds the scan's settings and no results. It was made by

    detect-secrets scan --exclude-files '^(node_modules|assets/pyodide|bench/screener-data)/' \
        --exclude-secrets '^sha(256|384|512)-[A-Za-z0-9+/]{43,86}={0,2}$' > .secrets.baseline

- `--exclude-files`: the vendored Pyodide runtime (node_modules/ here, assets/pyodide/ in the
  site) is third-party code, and bench/screener-data/ holds public attack data sets (whose
  sample prompts carry made-up tokens on purpose): both are left out by path; every detector
  stays on for everything else.
- `--exclude-secrets`: Subresource Integrity and CSP hashes (`sha384-...`, `'sha256-...'`) are
  public digests of public files, not secrets; the entropy detectors can't tell them apart.
"""

from __future__ import annotations

import json
import pathlib
import random
import re
import shutil
import string
import subprocess
import sys

import pytest

from helpers.site import ROOT, Build

BASELINE = ROOT / ".secrets.baseline"
EXCLUDED_PATHS = "^(node_modules|assets/pyodide|bench/screener-data)/"
DIGESTS = "^sha(256|384|512)-[A-Za-z0-9+/]{43,86}={0,2}$"
DETECT_SECRETS = pathlib.Path(sys.executable).with_name("detect-secrets")


def scan(root: pathlib.Path, paths: list[str], tmp_path: pathlib.Path, all_files: bool = False) -> dict[str, list]:
    """detect-secrets' findings for `paths` under `root`, with the committed baseline's settings."""
    if not DETECT_SECRETS.exists():
        pytest.fail(f"{DETECT_SECRETS} is missing: install the test extra (pip install -e '.[test]')")
    baseline = tmp_path / "baseline.json"  # `scan --baseline` rewrites its baseline: give it a copy
    shutil.copyfile(BASELINE, baseline)
    command = [
        str(DETECT_SECRETS),
        "scan",
        *(["--all-files"] if all_files else []),
        *paths,
        "--baseline",
        str(baseline),
    ]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(baseline.read_text(encoding="utf-8"))["results"]


def repository_files(root: pathlib.Path = ROOT) -> list[str]:
    """Every file Git tracks or would track (new files included, ignored ones such as node_modules/ not)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    return sorted(name for name in listed if name and (root / name).is_file())


def site_files(site: pathlib.Path) -> tuple[list[str], list[str]]:
    """A built site's files as (scanned, left out by path)."""
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    excluded = [name for name in names if re.search(EXCLUDED_PATHS, name)]
    return [name for name in names if name not in excluded], excluded


def fake_key(prefix: str, length: int, alphabet: str = string.ascii_uppercase + string.digits) -> str:
    """A made-up credential of a real shape, assembled at run time so this file holds none."""
    rng = random.Random(prefix)
    return prefix + "".join(rng.choice(alphabet) for _ in range(length))


def summary(findings: dict[str, list]) -> list[tuple[str, str]]:
    return sorted((name, found["type"]) for name, found_in in findings.items() for found in found_in)


class TestBaseline:
    def test_baseline_has_no_results(self) -> None:
        """The committed baseline allowlists no finding: zero is the number to keep."""
        assert json.loads(BASELINE.read_text(encoding="utf-8"))["results"] == {}

    def test_every_detector_is_on(self) -> None:
        """The baseline runs every detector detect-secrets has; none is switched off to pass."""
        listed = subprocess.run(
            [str(DETECT_SECRETS), "scan", "--list-all-plugins"], capture_output=True, text=True, check=True
        ).stdout.split()
        used = [plugin["name"] for plugin in json.loads(BASELINE.read_text(encoding="utf-8"))["plugins_used"]]
        assert sorted(used) == sorted(listed)

    def test_only_the_documented_exclusions(self) -> None:
        """The only exclusions are the vendored runtime's and the public data sets' paths and the public digests, as documented above."""
        filters = json.loads(BASELINE.read_text(encoding="utf-8"))["filters_used"]
        patterns = {f["path"].rsplit(".", 1)[-1]: f["pattern"] for f in filters if "pattern" in f}
        assert patterns == {"should_exclude_file": [EXCLUDED_PATHS], "should_exclude_secret": [DIGESTS]}


class TestRepository:
    def test_no_secrets_in_the_repository(self, tmp_path: pathlib.Path, gate_figure) -> None:
        """detect-secrets finds nothing in any file of the repository."""
        files = repository_files()
        findings = scan(ROOT, files, tmp_path)
        gate_figure("secrets (repository)", f"{len(summary(findings))} findings in {len(files)} files")
        assert summary(findings) == []

    def test_the_guide_example_key_is_obviously_fake(self) -> None:
        """Every OpenAI-style key the guide shows says, in the key itself, that it is an example."""
        keys = re.findall(r"sk-[\w-]+", "".join(p.read_text(encoding="utf-8") for p in (ROOT / "content").glob("*.md")))
        assert keys and all("EXAMPLE" in key and "not-a-real-key" in key for key in keys)

    def test_a_planted_secret_is_found(self, tmp_path: pathlib.Path) -> None:
        """In a copy of the repository, a planted AWS key, OpenAI key and private key are each found."""
        copy = tmp_path / "repo"
        files = repository_files()
        for name in files:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, copy / name)
        letters = string.ascii_letters
        openai_key = fake_key("sk-proj-", 20, letters) + "T3BlbkFJ" + fake_key("", 20, letters)
        (copy / "deploy.env").write_text(f"AWS_ACCESS_KEY_ID={fake_key('AKIA', 16)}\n", encoding="utf-8")
        page = (copy / "content" / "never-skip.md").read_text(encoding="utf-8")
        (copy / "content" / "never-skip.md").write_text(page + f"\n`{openai_key}`\n", encoding="utf-8")
        (copy / "decision" / "server.pem").write_text("-----BEGIN " + "RSA PRIVATE KEY-----\nMIIE\n", encoding="utf-8")
        findings = scan(copy, [*files, "deploy.env", "decision/server.pem"], tmp_path)
        assert summary(findings) == [
            ("content/never-skip.md", "OpenAI Token"),
            ("decision/server.pem", "Private Key"),
            ("deploy.env", "AWS Access Key"),
        ]


class TestSite:
    def test_no_secrets_in_the_built_site(self, built_site: Build, tmp_path: pathlib.Path, gate_figure) -> None:
        """detect-secrets finds nothing in the built site (Pyodide's vendored files left out by path)."""
        scanned, excluded = site_files(built_site.site)
        findings = scan(built_site.site, ["."], tmp_path, all_files=True)
        gate_figure(
            "secrets (built site)",
            f"{len(summary(findings))} findings in {len(scanned)} files "
            f"({len(excluded)} vendored Pyodide files left out by path)",
        )
        assert excluded, "the site has no assets/pyodide/: the exclusion no longer matches anything"
        assert summary(findings) == []

    def test_a_planted_secret_is_found(self, built_site: Build, tmp_path: pathlib.Path) -> None:
        """In a copy of the site a key planted in a page is found; only under assets/pyodide/ is it not."""
        copy = tmp_path / "site"
        shutil.copytree(
            built_site.site, copy, ignore=lambda folder, names: ["pyodide"] if folder.endswith("assets") else []
        )
        token = fake_key("ghp_", 36, string.ascii_letters + string.digits)
        page = copy / "never-skip" / "index.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace("</body>", f"<!-- {token} --></body>"), encoding="utf-8"
        )
        (copy / "assets" / "pyodide").mkdir()
        (copy / "assets" / "pyodide" / "vendored.js").write_text(f'const t = "{token}";\n', encoding="utf-8")
        findings = scan(copy, ["."], tmp_path, all_files=True)
        assert summary(findings) == [("never-skip/index.html", "GitHub Token")]
