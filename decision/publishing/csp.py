"""A strict Content-Security-Policy for a built site, written into each page's <head>.

`protect_site(site_dir)` reads every HTML file the build wrote, hashes the inline scripts
it finds there (a theme's few bootstrap snippets), and puts one
`<meta http-equiv="Content-Security-Policy">` as the first element of every `<head>`.
The hashes come from the output itself, so a theme upgrade that changes a snippet changes
the policy with it. One policy serves the whole site: with instant navigation a page's
inline scripts may run under the policy of the page the visit started on.

`audit(html, policy)` is the other half: what in a page that policy would block (an inline
script whose hash it lacks, an event-handler or style attribute, a `<style>` element, a
`javascript:` URL), or a policy that is missing, misplaced or weaker than `policy`.

Build-time code, step 4 of `whatmatters publish SITE_DIR` (post_build.py) for a site built by
any tool, and of the MkDocs hook hooks/csp.py. The browser never imports it.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html.parser
import pathlib
import re
from collections.abc import Iterable

# The policy minus the script hashes. Every fetch is same-origin; Pyodide needs to compile
# WebAssembly ('wasm-unsafe-eval'); nothing is inline but the hashed scripts.
DIRECTIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'none'",)),
    ("script-src", ("'self'", "'wasm-unsafe-eval'")),
    ("style-src", ("'self'",)),
    ("img-src", ("'self'", "data:")),
    ("connect-src", ("'self'",)),
    ("worker-src", ("'self'",)),
    ("frame-src", ("'self'",)),  # the Embed page shows our own embed pages in frames
    ("base-uri", ("'self'",)),
    ("form-action", ("'none'",)),
    ("object-src", ("'none'",)),
)

# Script types a browser runs (the HTML standard's JavaScript MIME types, plus modules and
# import maps); any other type, such as application/json, is a data block CSP doesn't govern.
SCRIPT_TYPES = frozenset(
    {
        "",
        "module",
        "importmap",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster"})

_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_OUR_META = re.compile(r'\s*<meta http-equiv="Content-Security-Policy" content="[^"]*">', re.IGNORECASE)


def script_hash(text: str) -> str:
    """The CSP source for an inline script: 'sha256-<base64 of the digest of its text>'."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the HTML parser hands it over
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(hashes: Iterable[str] = ()) -> str:
    """The policy text, with the given hash sources added to script-src."""
    parts = []
    for name, sources in DIRECTIVES:
        if name == "script-src":
            sources = sources + tuple(sorted(set(hashes)))
        parts.append(" ".join((name, *sources)))
    return "; ".join(parts)


def parse(text: str) -> dict[str, list[str]]:
    """A policy as {directive: [sources]}; the first of a repeated directive wins, as in browsers."""
    out: dict[str, list[str]] = {}
    for part in text.split(";"):
        words = part.split()
        if words and words[0].lower() not in out:
            out[words[0].lower()] = words[1:]
    return out


@dataclasses.dataclass
class Page:
    """What one HTML page holds that a Content-Security-Policy cares about."""

    policies: list[str] = dataclasses.field(default_factory=list)
    first_in_head: str | None = None
    inline_scripts: list[str] = dataclasses.field(default_factory=list)
    blocked: list[str] = dataclasses.field(default_factory=list)


class _Reader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.page = Page()
        self._in_head = False
        self._script: list[str] | None = None
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self._in_head = True
        elif self._in_head and self.page.first_in_head is None:
            self.page.first_in_head = tag if tag != "meta" else f"meta {values.get('http-equiv', '').lower()}".strip()
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.page.policies.append(values.get("content", ""))
        if tag == "script" and "src" not in values and values.get("type", "").strip().lower() in SCRIPT_TYPES:
            self._script = []
        if tag == "style":
            self._style = True
            self.page.blocked.append("a <style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.page.blocked.append(f"an event-handler attribute <{tag} {name}>")
            elif name == "style":
                self.page.blocked.append(f"a style attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value or "").lower().startswith("javascript:"):
                self.page.blocked.append(f"a javascript: URL in <{tag} {name}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")  # script text is raw: a reference stays as written

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag == "script" and self._script is not None:
            self.page.inline_scripts.append("".join(self._script))
            self._script = None


def read(text: str) -> Page:
    """The policies, the first element of <head>, the inline scripts and what a strict policy blocks."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.page


def audit(text: str, expected: str | None = None) -> list[str]:
    """Everything in one page that breaks the site's policy; empty when the page is clean.

    `expected` is the policy the page must carry (default: the strict policy plus the
    hashes of the page's own inline scripts).
    """
    page = read(text)
    hashes = [script_hash(s) for s in page.inline_scripts]
    problems = list(page.blocked)
    if not page.policies:
        return [*problems, "no Content-Security-Policy <meta>"]
    if page.first_in_head != "meta content-security-policy":
        problems.append(f"the policy isn't the first element of <head> (<{page.first_in_head}> is)")
    carried = parse(page.policies[0])
    wanted = parse(expected if expected is not None else policy(hashes))
    for name, sources in wanted.items():
        if carried.get(name) != sources:
            problems.append(f"{name} is {' '.join(carried.get(name, ['missing']))!r}, not {' '.join(sources)!r}")
    for name in carried.keys() - wanted.keys():
        problems.append(f"unexpected directive {name}")
    for script, source in zip(page.inline_scripts, hashes, strict=False):
        if source not in carried.get("script-src", []):
            problems.append(f"an inline script whose hash {source} the policy lacks: {script.strip()[:60]!r}")
    for name, sources in carried.items():
        for weak in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"):
            if weak in sources:
                problems.append(f"{name} allows {weak}")
    return problems


def apply(text: str, policy_text: str) -> str:
    """The page with `policy_text` as the first element of its <head> (replacing one put there before)."""
    head = _HEAD.search(text)
    if head is None:
        return text
    rest = _OUR_META.sub("", text[head.end() :], count=1) if _OUR_META.match(text, head.end()) else text[head.end() :]
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy_text}">'
    return text[: head.end()] + meta + rest


def site_policy(site_dir: str | pathlib.Path) -> str:
    """The one policy for a site: the strict directives plus the hash of every inline script in it."""
    hashes: set[str] = set()
    for path in sorted(pathlib.Path(site_dir).rglob("*.html")):
        hashes.update(script_hash(s) for s in read(path.read_text(encoding="utf-8")).inline_scripts)
    return policy(hashes)


def protect_site(site_dir: str | pathlib.Path) -> str:
    """Write the site's policy into every HTML page under `site_dir`; return the policy."""
    text = site_policy(site_dir)
    for path in sorted(pathlib.Path(site_dir).rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        protected = apply(page, text)
        if protected != page:
            path.write_text(protected, encoding="utf-8")
    return text
