"""Issue 24: widgets go live when the server sends Pyodide's `.wasm` as `application/octet-stream`
(as `zensical serve` and many simple servers do). `WebAssembly.instantiateStreaming` refuses such a
response, and Pyodide's own hook then only logs "wasm instantiation failed!" and never finishes
starting; the worker compiles the bytes itself instead."""

from __future__ import annotations

from typing import Any

import pytest

from helpers.browser import LIVE_MS, wait_state, watch
from helpers.server import static_server
from helpers.site import Build

pytestmark = [pytest.mark.browser, pytest.mark.site]


def test_a_widget_answers_when_wasm_comes_as_octet_stream(chromium: Any, built_site: Build) -> None:
    with static_server(built_site.site, types={".wasm": "application/octet-stream"}) as base:
        context = chromium.new_context()
        log = watch(context, base)
        sent: list[str] = []
        context.on(
            "response",
            lambda r: sent.append(r.headers.get("content-type", "")) if r.url.endswith(".wasm") else None,
        )
        try:
            page = context.new_page()
            page.goto(base + "stages/", wait_until="load")
            wait_state(page, "wm-stage", "live", LIVE_MS)
            assert sent and all(t == "application/octet-stream" for t in sent), sent
            page.fill("#wm-stage input[name=users]", "50")
            page.wait_for_function(
                "() => document.querySelector('#wm-stage [data-wm-stage]').dataset.wmStage === 'mvp'", timeout=LIVE_MS
            )
            page.fill("#wm-stage input[name=users]", "5000")
            page.wait_for_function(
                "() => document.querySelector('#wm-stage [data-wm-stage]')?.dataset.wmStage !== 'mvp'", timeout=LIVE_MS
            )
            assert not [e for e in log.errors if "wasm" in e.lower()], log.errors
            assert not log.foreign, log.foreign
        finally:
            context.close()
