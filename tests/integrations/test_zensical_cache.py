"""Issue 24, item 3: Zensical's build cache and a site's own data.

Zensical 0.0.73 reuses a page's HTML from `.cache/` until the page, the config (its hash of
`mdx_configs`, which holds only the `data_dir` string) or a file it watches changes; the files
under `watch` count with their modification times. So a `data_dir` listed under `watch` makes a
changed threshold reach the HTML on the next build, and the extension says to add it when it is
missing. Without `watch` the page stays old, which this module shows too, so a Zensical that
starts keying its cache by the data is noticed. The custom fence's formatter is one of those settings:
it pickles as a digest of the package's data, so a new release rebuilds its pages."""

from __future__ import annotations

import os
import pathlib
import pickle
import shutil
import subprocess
import sys

import pytest

from decision import fence
from decision.integrations.markdown import data_digest
from decision.loading import DATA_DIR

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
PAGE = "# Handbook\n\n```whatmatters\nwidget: stage\nusers: 50\n```\n"
BEFORE = "your product is at the MVP stage (1-100 users)"
AFTER = "your product is at the Alpha stage"

pytestmark = pytest.mark.site


def site(root: pathlib.Path, watch: bool) -> pathlib.Path:
    shutil.copytree(DATA_DIR, root / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (root / "zensical.toml").write_text(
        '[project]\nsite_name = "Handbook"\n'
        + ('watch = ["rules"]\n' if watch else "")
        + '\n[project.markdown_extensions]\nwhatmatters = { data_dir = "rules" }\n',
        encoding="utf-8",
    )
    return root


def build(root: pathlib.Path) -> tuple[str, str]:
    """(what the build printed, the page's HTML), from a build that keeps Zensical's cache."""
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build"], cwd=root, env=ENV, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr, (root / "site" / "index.html").read_text(encoding="utf-8")


def change_threshold(root: pathlib.Path) -> None:
    """The MVP stage ends at 40 users instead of 100; the file's time moves on by a minute, as an
    edit a while after the last build would (Zensical counts whole seconds)."""
    stages = root / "rules" / "stages.toml"
    text = stages.read_text(encoding="utf-8")
    assert text.count("\nmax_users = 100\n") == 1
    stages.write_text(text.replace("\nmax_users = 100\n", "\nmax_users = 40\n"), encoding="utf-8")
    later = stages.stat().st_mtime + 60
    os.utime(stages, (later, later))


def test_a_watched_data_dir_reaches_the_html_on_the_next_build(tmp_path: pathlib.Path) -> None:
    root = site(tmp_path, watch=True)
    printed, page = build(root)
    assert BEFORE in page and "watch = " not in printed, printed
    change_threshold(root)
    _, page = build(root)
    assert AFTER in page and BEFORE not in page
    assert (root / ".cache").is_dir()  # the cache was kept, and still the page is new


def test_without_watch_the_build_says_what_to_add(tmp_path: pathlib.Path) -> None:
    root = site(tmp_path, watch=False)
    printed, page = build(root)
    assert BEFORE in page
    hint = [line for line in printed.splitlines() if 'add watch = ["rules"] to zensical.toml' in line]
    assert hint, printed
    change_threshold(root)
    _, page = build(root)
    assert BEFORE in page, "Zensical now rebuilds on a data change by itself: the `watch` advice can go"


def test_the_custom_fence_pickles_as_the_data_it_renders_from(tmp_path: pathlib.Path) -> None:
    """Zensical hashes the pickled Markdown settings, which hold the custom fence's formatter:
    new package data (a new release) gives a new hash, so its pages are built again."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = data_digest(copy)
    assert before == data_digest(DATA_DIR)
    assert before.encode() in pickle.dumps({"custom_fences": [{"format": fence.format}]})
    assert pickle.loads(pickle.dumps(fence.format)) is fence.format
    stages = copy / "stages.toml"
    stages.write_text(stages.read_text(encoding="utf-8").replace("max_users = 100", "max_users = 40"), encoding="utf-8")
    assert data_digest(copy) != before
