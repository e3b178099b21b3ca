"""The engine in Chromium's worker answers exactly as CPython does, HTML byte for byte.

The test starts its own copy of the site's worker (`assets/whatmatters/worker.js`, the one
widget.js starts), hands it the built runtime.json as widget.js does, and sends it every
widget request of the shared corpus: each widget, good states and bad ones.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from decision.api import handle
from decision.loading import knowledge
from helpers.browser import LIVE_MS, runtime_file, watch
from helpers.corpus import REQUESTS
from helpers.site import Build

pytestmark = [pytest.mark.browser, pytest.mark.site]

# Every corpus request a widget could send: its operation, or restore, asking for HTML.
WIDGET_OPS = {w.op for w in knowledge().widgets.values()} | {"restore"}
CORPUS = [
    r
    for r in REQUESTS
    if isinstance(r, dict) and isinstance(r.get("op"), str) and r["op"] in WIDGET_OPS and r.get("render") is True
]

# A worker of our own, started and fed as widget.js feeds its own; answers come back as JSON
# text, each beside the request as JavaScript re-wrote it (10.0 arrives in Python as 10).
ASK_ALL_JS = """async ([workerUrl, manifestUrl, build, texts]) => {
  const worker = new Worker(workerUrl, { type: "module" });
  const replies = new Map();
  let started;
  const ready = new Promise((resolve, reject) => { started = { resolve, reject }; });
  worker.onmessage = ({ data }) => {
    if (data.type === "ready") started.resolve();
    else if (data.type === "failed" || data.type === "stale") started.reject(new Error(data.detail));
    else if (data.type === "response") replies.get(data.id)(JSON.stringify(data.response));
  };
  worker.onerror = (event) => started.reject(new Error(event.message));
  worker.postMessage({ type: "init", manifest: manifestUrl, build });
  await ready;
  const out = [];
  for (const [id, text] of texts.entries()) {
    const request = JSON.parse(text);
    const reply = await new Promise((resolve) => {
      replies.set(id, resolve);
      worker.postMessage({ type: "ask", id, request });
    });
    out.push([JSON.stringify(request), reply]);
  }
  worker.terminate();
  return out;
}"""


@pytest.fixture(scope="module")
def answers(chromium, built_site: Build, serve) -> list[tuple[Any, Any]]:
    """Each corpus request as the worker received it, with the worker's answer."""
    base = serve(built_site.site)
    context = chromium.new_context()
    log = watch(context, base)
    try:
        page = context.new_page()
        page.set_default_timeout(LIVE_MS)
        page.goto(base, wait_until="load")
        texts = [json.dumps(r) for r in CORPUS]
        worker, manifest = (runtime_file(built_site.site, name) for name in ("worker.js", "runtime.json"))
        pairs = page.evaluate(
            ASK_ALL_JS,
            [
                base + worker.relative_to(built_site.site).as_posix(),
                base + manifest.relative_to(built_site.site).as_posix(),
                json.loads(manifest.read_text(encoding="utf-8"))["build"],
                texts,
            ],
        )
        assert log.errors == [] and log.foreign == []
        print(f"\n{len(pairs)} requests answered by the worker in Chromium")
        return [(json.loads(sent), json.loads(reply)) for sent, reply in pairs]
    finally:
        context.close()


def test_the_corpus_covers_every_widget() -> None:
    """At least 30 requests, and good and bad states of every widget's operation."""
    assert len(CORPUS) >= 30
    for op in WIDGET_OPS:
        outcomes = {handle(r)["ok"] for r in CORPUS if r["op"] == op}
        assert outcomes == {True, False}, op


@pytest.mark.parametrize("index", range(len(CORPUS)), ids=[f"{i:03d}-{r['op']}" for i, r in enumerate(CORPUS)])
class TestSameAnswer:
    def test_html_byte_for_byte(self, answers: list[tuple[Any, Any]], index: int) -> None:
        """The worker's HTML is exactly CPython's for the same request (or both have none)."""
        sent, reply = answers[index]
        assert reply.get("html") == handle(sent).get("html")

    def test_whole_response(self, answers: list[tuple[Any, Any]], index: int) -> None:
        """Result, decision record and error alike equal CPython's answer after the same JSON trip."""
        sent, reply = answers[index]
        # The worker answers with the prices in force on the reader's day, so it adds that day to a
        # request that names none; CPython is asked for the same day.
        day = (reply.get("request") or {}).get("date")
        if day is not None and (not isinstance(sent, dict) or "date" not in sent):
            assert day == datetime.date.today().isoformat()
            sent = {**sent, "date": day}
        assert reply == json.loads(json.dumps(handle(sent)))
