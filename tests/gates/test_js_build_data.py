"""What a script needs from the build reaches it as data, never by editing its text (#23)."""

from __future__ import annotations

import json
import pathlib
import re
import subprocess

import pytest

from decision import cli
from decision.integrations import embed
from decision.loading import knowledge
from decision.packing import assets, scripts

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBED_PAGE_JS = ROOT / "overrides" / "assets" / "whatmatters" / "embed-page.js"
SCRIPTS_SOURCE = ROOT / "overrides" / "assets" / "whatmatters" / scripts.SCRIPTS_DIR


class TestEmbedLoader:
    def test_the_source_ships_unedited(self) -> None:
        """The shipped embed.js holds the source byte for byte, inside the generated call."""
        shipped = embed.embed_script(knowledge())
        assert embed.SCRIPT_SOURCE.read_text("utf-8").rstrip("\n") in shipped

    def test_it_is_called_with_the_sites_data(self) -> None:
        """The one call in the wrapper passes exactly embed_site(): every embed page's title and the version."""
        k = knowledge()
        (call,) = re.findall(r"^startEmbeds\((.*)\);$", embed.embed_script(k), re.M)
        assert json.loads(call) == embed.embed_site(k)
        assert set(json.loads(call)["embeds"]) == set(embed.embeds(k))

    def test_the_shipped_script_parses(self, tmp_path: pathlib.Path) -> None:
        """Node parses the generated embed.js as a classic script."""
        path = tmp_path / "embed.js"
        path.write_text(embed.embed_script(knowledge()), encoding="utf-8")
        done = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr


class TestMessageVersion:
    def test_no_script_writes_the_version_itself(self) -> None:
        """Neither end of the height message names a version number: both take embed.py's MESSAGE_VERSION."""
        for path in (embed.SCRIPT_SOURCE, EMBED_PAGE_JS):
            assert re.findall(r"\bv\s*[:=!]==?\s*\d|\bv:\s*\d", path.read_text("utf-8")) == [], path.name

    def test_sender_and_receiver_agree(self, tmp_path: pathlib.Path) -> None:
        """The version on every embed page (read by embed-page.js) is the one handed to embed.js."""
        site = tmp_path / "site"
        (site / "assets" / "whatmatters").mkdir(parents=True)
        names = embed.write_embeds(site)
        assert names
        versions = {
            re.search(r'data-wm-message-v="(\d+)"', (site / "embed" / name / "index.html").read_text("utf-8"))[1]
            for name in names
        }
        (call,) = re.findall(r"^startEmbeds\((.*)\);$", (site / "embed.js").read_text("utf-8"), re.M)
        assert versions == {str(json.loads(call)["v"])} == {str(embed.MESSAGE_VERSION)}


@pytest.fixture(scope="module")
def assets_out(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """What `whatmatters assets DEST` writes for a site that is not published."""
    dest = tmp_path_factory.mktemp("assets")
    assert cli.main(["assets", str(dest), "--pyodide", str(ROOT / "node_modules" / "pyodide")]) == 0
    return dest / assets.RUNTIME_DIR.name


class TestGeneratedScripts:
    """widget.js and worker.js are written whole by decision/packing/scripts.py; the modules ship as they are."""

    def test_assets_ship_the_modules_unedited(self, assets_out: pathlib.Path) -> None:
        """`whatmatters assets` copies every module of scripts/ byte for byte, and nothing else there."""
        got = {p.name: p.read_bytes() for p in (assets_out / scripts.SCRIPTS_DIR).iterdir()}
        assert got == {p.name: p.read_bytes() for p in sorted(SCRIPTS_SOURCE.glob("*.js"))}
        assert {scripts.PAGE_MODULE, scripts.WORKER_MODULE} <= set(got)

    def test_an_unpublished_site_gets_the_dev_scripts(self, assets_out: pathlib.Path) -> None:
        """Plain names and build "dev": exactly what the generator writes, naming files that are there."""
        widget = (assets_out / "widget.js").read_text("utf-8")
        assert widget == scripts.widget_script(
            "dev", scripts.SCRIPTS_DIR, "worker.js", "runtime.json", [p.name for p in SCRIPTS_SOURCE.glob("*.js")]
        )
        assert (assets_out / "worker.js").read_text("utf-8") == scripts.worker_script("dev", scripts.SCRIPTS_DIR)
        assert (assets_out / "runtime.json").is_file() and (assets_out / "whatmatters.css").is_file()

    def test_no_build_data_is_written_into_a_module(self) -> None:
        """The modules name no build id and no file the build renames: all of it comes from the generated call."""
        for path in SCRIPTS_SOURCE.glob("*.js"):
            text = path.read_text("utf-8")
            assert re.findall(r"build-[0-9a-f]{12}|\"(?:worker|widget)\.js\"|\"runtime\.json\"", text) == [], path.name

    def test_the_generated_scripts_are_type_checked(self, tmp_path: pathlib.Path) -> None:
        """Dev and published scripts beside the modules pass tsc: they import what page.js and serve.js export."""
        scripts.copy_modules(SCRIPTS_SOURCE, tmp_path / scripts.SCRIPTS_DIR)
        scripts.copy_modules(SCRIPTS_SOURCE, tmp_path / "scripts.0123456789ab")
        scripts.write_dev_scripts(tmp_path)
        published = {
            "widget.0123456789ab.js": scripts.widget_script(
                "build-0123456789ab",
                "scripts.0123456789ab",
                "worker.0123456789ab.js",
                "runtime.0123456789ab.json",
                [p.name for p in SCRIPTS_SOURCE.glob("*.js")],
            ),
            "worker.0123456789ab.js": scripts.worker_script("build-0123456789ab", "scripts.0123456789ab"),
        }
        for name, text in published.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        config = json.loads((ROOT / "jsconfig.json").read_text("utf-8"))
        config["include"] = [str(ROOT / "types" / "*.d.ts"), "*.js", "scripts*/*.js"]
        (tmp_path / "jsconfig.json").write_text(json.dumps(config), encoding="utf-8")
        assert all(
            (tmp_path / name).read_text("utf-8").startswith("// @ts-check\n") for name in ("widget.js", "worker.js")
        )
        done = subprocess.run(
            [str(ROOT / "node_modules" / ".bin" / "tsc"), "--noEmit", "-p", str(tmp_path / "jsconfig.json")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def test_a_missing_export_would_be_caught(self, tmp_path: pathlib.Path) -> None:
        """The type check can fail: a generated script importing a name page.js doesn't export is reported."""
        scripts.copy_modules(SCRIPTS_SOURCE, tmp_path / scripts.SCRIPTS_DIR)
        (tmp_path / "widget.js").write_text(
            scripts.widget_script("dev", scripts.SCRIPTS_DIR, "worker.js", "runtime.json").replace("start", "begin"),
            encoding="utf-8",
        )
        config = json.loads((ROOT / "jsconfig.json").read_text("utf-8"))
        config["include"] = [str(ROOT / "types" / "*.d.ts"), "*.js", "scripts/*.js"]
        (tmp_path / "jsconfig.json").write_text(json.dumps(config), encoding="utf-8")
        done = subprocess.run(
            [str(ROOT / "node_modules" / ".bin" / "tsc"), "--noEmit", "-p", str(tmp_path / "jsconfig.json")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode != 0 and "begin" in done.stdout
