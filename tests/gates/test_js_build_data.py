"""What a script needs from the build reaches it as data, never by editing its text (#23)."""

from __future__ import annotations

import json
import pathlib
import re
import subprocess

from decision.integrations import embed
from decision.loading import knowledge

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBED_PAGE_JS = ROOT / "overrides" / "assets" / "whatmatters" / "embed-page.js"


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
