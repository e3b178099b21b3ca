"""`make serve`: the one command a reader runs to read the guide locally."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from helpers.site import BUILD_ENV, ROOT, site_config

pytestmark = pytest.mark.site

HOST, PORT = "127.0.0.1", 8000
URL = f"http://{HOST}:{PORT}/"
START_TIMEOUT_S = 60


def port_is_free() -> bool:
    """Whether nothing listens on 127.0.0.1:8000 (the address `make serve` uses)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, PORT))
        except OSError:
            return False
    return True


def fetch(url: str) -> tuple[int, str] | None:
    """(status, body) of a GET, or None while nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


class TestMakeServe:
    def test_make_serve_answers_with_the_guide(self) -> None:
        """`make serve` starts a server on 127.0.0.1:8000 that returns the home page with the site's title."""
        if not port_is_free():
            pytest.fail(
                f"port {PORT} on {HOST} is busy: stop whatever listens there "
                "(another `make serve` or `mkdocs serve`?) and run this test again"
            )
        with tempfile.TemporaryFile("w+") as log:
            server = subprocess.Popen(
                ["make", "serve"], cwd=ROOT, env=BUILD_ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                deadline = time.monotonic() + START_TIMEOUT_S
                answer = None
                while answer is None and time.monotonic() < deadline and server.poll() is None:
                    answer = fetch(URL)
                    if answer is None:
                        time.sleep(0.5)
                log.seek(0)
                output = log.read()
                assert answer is not None, (
                    f"`make serve` didn't answer on {URL} within {START_TIMEOUT_S} s "
                    f"(exit code {server.poll()}); its output:\n{output}"
                )
                status, body = answer
                assert status == 200, output
                assert f"<title>{site_config()['site_name']}</title>" in body
            finally:
                stop(server)


def stop(server: subprocess.Popen[bytes]) -> None:
    """End `make serve` and the mkdocs it started (they share the new session's process group)."""
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, None)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=wait_s)
            break
        except subprocess.TimeoutExpired:
            continue
