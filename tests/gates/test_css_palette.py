"""The widget stylesheets take every colour from their own --wm-* palette (issue #24, item 2).

Only the palette's own definitions at the top of whatmatters.css read a theme's --md-*
properties, each with a fallback; every other rule, in whatmatters.css and embed.css, uses
var(--wm-*) alone, and each --wm-* it uses is defined. The browser side of the same promise
(readable in Material, Zensical, alabaster, furo and a bare page) is
tests/browser/test_widget_themes.py.
"""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOME = ROOT / "overrides" / "assets" / "whatmatters"
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
VAR = re.compile(r"var\((--[\w-]+)(,?)")
DEFINED = re.compile(r"(--wm-[\w-]+)\s*:")
# The palette's last step: where a theme's value, or else the default, becomes a --wm-* property.
RESOLVING = ":root, body, [data-md-color-scheme], .wm-widget"


def sheet(name: str) -> str:
    return (HOME / name).read_text(encoding="utf-8")


def rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of every rule in a stylesheet, those inside @media included."""
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    text = re.sub(r"@media[^{]*\{", "", text)  # the media block's own brace is left unmatched: harmless
    return [(sel.strip().strip("}").strip(), body) for sel, body in RULE.findall(text)]


def misuses(name: str, css: str) -> list[str]:
    """Every var() of a theme's property outside the palette's resolving rule, or without a fallback there."""
    found = []
    for selector, body in rules(css):
        for prop, comma in VAR.findall(body):
            if prop.startswith("--wm-"):
                continue
            if selector != RESOLVING or not comma:
                found.append(f"{name}: {selector} uses var({prop}{comma})")
    return found


def test_rules_use_the_palette_only() -> None:
    assert misuses("whatmatters.css", sheet("whatmatters.css")) == []
    assert misuses("embed.css", sheet("embed.css")) == []


def test_every_palette_property_used_is_defined() -> None:
    defined = {
        d for name in ("whatmatters.css", "embed.css") for _, body in rules(sheet(name)) for d in DEFINED.findall(body)
    }
    used = {
        p for name in ("whatmatters.css", "embed.css") for _, body in rules(sheet(name)) for p, _ in VAR.findall(body)
    }
    assert {p for p in used if p.startswith("--wm-")} - defined == set()


def test_the_defaults_and_materials_schemes_name_the_same_colours() -> None:
    """Each colour Material has no property for has a default too (light and dark), and back."""
    sets: dict[str, set[str]] = {}
    for selector, body in rules(sheet("whatmatters.css")):
        for prop in DEFINED.findall(body):
            for kind in ("base", "md"):
                if prop.startswith(f"--wm-{kind}-"):
                    sets.setdefault(f"{kind} {selector}", set()).add(prop.removeprefix(f"--wm-{kind}-"))
    light, dark = sets["md [data-md-color-scheme]"], sets['md [data-md-color-scheme="slate"]']
    assert light == dark and light <= sets["base :root"] and light <= sets["base .wm-widget"]


def test_the_check_sees_a_bare_material_property() -> None:
    """A rule that reads Material's colour directly is caught, as is one in the palette with no fallback."""
    planted = (
        ".wm-x { color: var(--md-default-fg-color); }\n"
        f"{RESOLVING} {{ --wm-y: var(--md-accent-fg-color); --wm-z: var(--md-typeset-a-color, #00f); }}\n"
        "@media (prefers-color-scheme: dark) { .wm-w { border-color: var(--md-default-fg-color--light); } }\n"
    )
    assert misuses("planted.css", planted) == [
        "planted.css: .wm-x uses var(--md-default-fg-color)",
        f"planted.css: {RESOLVING} uses var(--md-accent-fg-color)",
        "planted.css: .wm-w uses var(--md-default-fg-color--light)",
    ]
