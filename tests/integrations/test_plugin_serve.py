"""`mkdocs serve` rebuilds when a site's own data changes (issue 24): a small site with the plugin and
`data_dir`, served on a free port; a threshold changed in its data shows in the page without a restart."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from decision.loading import DATA_DIR
from helpers.site import BUILD_ENV

pytestmark = pytest.mark.site

WAIT_S = 120  # a cold start and two rebuilds on a busy two-core machine; never a measured figure


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stage_shown(url: str) -> str | None:
    """The stage the page's stage widget shows, or None while the server isn't answering."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            html = response.read().decode("utf-8")
    except OSError:
        return None
    marker = 'data-wm-stage="'
    return html.split(marker, 1)[1].split('"', 1)[0] if marker in html else None


def wait_for(url: str, want: str, server: subprocess.Popen[bytes]) -> str | None:
    deadline = time.monotonic() + WAIT_S
    shown = None
    while time.monotonic() < deadline and server.poll() is None:
        shown = stage_shown(url)
        if shown == want:
            break
        time.sleep(0.5)
    return shown


def test_a_change_to_the_data_rebuilds_the_page(tmp_path: pathlib.Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Handbook\n\n```whatmatters\nwidget: stage\nusers: 50\n```\n", "utf-8"
    )
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Handbook\ntheme: {name: mkdocs, highlightjs: false}\nplugins: [whatmatters: {data_dir: rules}]\n",
        encoding="utf-8",
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=tmp_path,
            env=BUILD_ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # 50 users: MVP by the package's rules, which end it at 100 users.
        assert wait_for(url, "mvp", server) == "mvp", log.read_text(encoding="utf-8")
        stages = tmp_path / "rules" / "stages.toml"
        text = stages.read_text(encoding="utf-8")
        assert text.count("max_users = 100\n") == 1
        stages.write_text(text.replace("max_users = 100\n", "max_users = 10\n"), encoding="utf-8")
        assert wait_for(url, "alpha", server) == "alpha", log.read_text(encoding="utf-8")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
