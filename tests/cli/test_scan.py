"""`whatmatters scan`: the labelled corpus, the plan it feeds, its three forms, exit codes, hostile trees."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import jsonschema
import pytest

from decision import scan_rules
from decision.errors import DataError
from decision.loading import DATA_DIR, knowledge
from helpers import scan_corpus
from helpers.cli import run
from helpers.site import ROOT

SCHEMA = pathlib.Path(__file__).resolve().parents[1] / "helpers" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("corpus")
    for name in scan_corpus.REPOS:
        scan_corpus.write(root, name)
    return root


def _scan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, "scan", *argv, "--json")
    return code, json.loads(out)


def _found(result: dict) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["file"], f["line"]) for b in result["basics"] for f in b["findings"]}


def test_detect_secrets_runs_only_when_asked(corpus, capsys) -> None:
    _, result = _scan(capsys, str(corpus / "node-llm"))
    assert "detect-secrets" not in {rule for rule, _, _ in _found(result)}


@pytest.mark.parametrize("name", sorted(scan_corpus.REPOS))
def test_every_planted_problem_is_found_and_no_decoy_is_flagged(corpus, capsys, name: str) -> None:
    code, result = _scan(capsys, str(corpus / name), "--detect-secrets")
    found = _found(result)
    assert scan_corpus.planted(name) - found == set(), "missed"
    assert found - scan_corpus.planted(name) == set(), "flagged what isn't planted"
    assert not {(f, line) for _, f, line in found} & scan_corpus.decoys(name)
    assert code == (1 if scan_corpus.planted(name) else 0)


def test_the_corpus_plants_something_for_every_basic_rule() -> None:
    planted = {rule for name in scan_corpus.REPOS for rule, _, _ in scan_corpus.planted(name)}
    basic_rules = {r.id for r in scan_rules.rules().rules if r.feeds.startswith("basic:")}
    assert basic_rules - planted == set()


def test_an_llm_sdk_sets_paid_api_from_the_code(corpus, capsys) -> None:
    _, result = _scan(capsys, str(corpus / "node-llm"))
    assert result["signals"]["paid_api"] is True and result["signals"]["logins"] is True
    assert "paid_api" not in result["asked"]
    assert result["plan"]["signals"]["paid_api"] is True
    assert result["plan"]["verdicts"]["rate-limiting"]["verdict"] != "not-yet"


def test_one_service_on_kubernetes_is_told_kindly_it_has_more_than_it_needs(corpus, capsys) -> None:
    _, result = _scan(capsys, str(corpus / "one-service-k8s"))
    assert result["signals"]["services"] == 1
    assert {i["id"] for i in result["in_place"]} >= {"kubernetes", "cache"}
    (item,) = result["too_much"]
    assert item["id"] == "kubernetes" and "upgrades" in item["keep_cost"]
    code, out, _ = run(capsys, "scan", str(corpus / "one-service-k8s"))
    assert code == 0 and "More than you need yet: Kubernetes" in out


def test_sarif_validates_against_the_published_schema(corpus, capsys, tmp_path) -> None:
    out = tmp_path / "scan.sarif"
    code, _, _ = run(capsys, "scan", str(corpus / "django-app"), "--sarif", str(out), "--detect-secrets")
    assert code == 1
    doc = json.loads(out.read_text())
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(doc)
    results = doc["runs"][0]["results"]
    assert len(results) == len(scan_corpus.planted("django-app"))
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    broken = dict(doc, version="2.0")
    with pytest.raises(jsonschema.ValidationError):  # the schema can fail: a planted error
        jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(broken)


@pytest.mark.parametrize(
    "argv",
    [["/no/such/folder"], ["pyproject.toml"], ["--sarif", "/no/such/dir/out.sarif", "."]],
    ids=["missing", "a-file", "unwritable-sarif"],
)
def test_bad_usage_exits_2_with_a_sentence(capsys, argv, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run(capsys, "scan", *argv)
    assert code == 2 and err.startswith("whatmatters: ") and err.count("\n") == 1 and "Traceback" not in err


def test_this_repository_passes_its_own_basics(capsys) -> None:
    code, result = _scan(capsys, str(ROOT))
    assert [f for b in result["basics"] for f in b["findings"]] == []
    assert code == 0 and result["passed"]
    # A static site: no cluster, no cache, nothing overbuilt (the CLI's Kubernetes sample is ignored).
    assert {p["id"] for p in result["in_place"]} == {"lockfile", "ci", "updates", "tests"}
    assert not result["too_much"]


def test_hostile_trees_neither_crash_nor_hang(tmp_path, capsys) -> None:
    repo = tmp_path / "hostile"
    repo.mkdir()
    with open(repo / "huge.log", "wb") as f:  # 50 MB, sparse: never read
        f.truncate(50 * 1024 * 1024)
    (repo / "blob.bin").write_bytes(bytes(range(256)) * 64)
    (repo / "long.js").write_text("x=" + "a" * 20_000 + ";\nel.innerHTML = t;\n")
    (repo / "loop").symlink_to(repo)
    (repo / "down").mkdir()
    (repo / "down" / "up").symlink_to("..")
    os.mkdir(os.fsencode(repo) + b"/caf\xe9")
    with open(os.fsencode(repo) + b"/caf\xe9/n\xff.py", "wb") as f:
        f.write(b'FEED = "http://feeds.partner-news.com/rss"\n')
    code, result = _scan(capsys, str(repo))
    assert code == 1
    assert result["skipped"] == {"binary": 1, "huge": 1}
    files = {f["file"] for b in result["basics"] for f in b["findings"]}
    assert files == {"long.js", "caf\ufffd/n\ufffd.py"}


def test_gitignore_is_respected_without_git(tmp_path, capsys, monkeypatch) -> None:
    repo = scan_corpus.write(tmp_path, "clean")
    (repo / "build").mkdir()
    (repo / "build" / "out.js").write_text("el.innerHTML = x;\n")
    (repo / ".gitignore").write_text(".env\n/build/\n")
    monkeypatch.setenv("PATH", "")  # no git
    code, result = _scan(capsys, str(repo))
    assert code == 0, result["basics"]
    (repo / ".gitignore").write_text("/build/\n")
    code, result = _scan(capsys, str(repo))
    assert code == 1 and _found(result) == {("committable-secret-file", ".env", 1)}


def test_a_folder_in_the_ignore_file_leaves_out_what_git_lists_in_it(tmp_path, capsys) -> None:
    """git lists files, not folders: `build/` in .whatmatters-ignore still leaves out build/out.js."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = scan_corpus.write(tmp_path, "clean")
    (repo / "build").mkdir()
    (repo / "build" / "out.js").write_text("el.innerHTML = x;\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})
    code, result = _scan(capsys, str(repo))
    assert code == 1 and {f for _, f, _ in _found(result)} == {"build/out.js"}
    (repo / ".whatmatters-ignore").write_text("# generated\nbuild/\n")
    code, result = _scan(capsys, str(repo))
    assert code == 0, result["basics"]


def test_committers_come_from_git_log(tmp_path, capsys) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = scan_corpus.write(tmp_path, "clean")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    for who in ("ada", "bo", "ada"):
        subprocess.run(
            [
                "git",
                "-c",
                f"user.email={who}@x.invalid",
                "-c",
                f"user.name={who}",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "c",
            ],
            cwd=repo,
            check=True,
            env=env,
        )
    _, result = _scan(capsys, str(repo))
    assert result["signals"]["engineers"] == 2


def test_the_pre_commit_hook_entry_runs_on_a_temp_repository(tmp_path) -> None:
    """pre-commit isn't installed here: run the hook's entry the way pre-commit would, in the repo."""
    hook = (ROOT / ".pre-commit-hooks.yaml").read_text()
    entry = next(line.split(":", 1)[1].strip() for line in hook.splitlines() if line.strip().startswith("entry:"))
    repo = scan_corpus.write(tmp_path, "django-app")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{pathlib.Path(sys.executable).parent}:{os.environ['PATH']}"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    bad = subprocess.run(entry.split(), cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "app/settings.py:2" in bad.stdout
    clean = scan_corpus.write(tmp_path, "clean")
    subprocess.run(["git", "init", "-q"], cwd=clean, check=True)
    good = subprocess.run(entry.split(), cwd=clean, env=env, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout


def test_the_shipped_rules_pass_the_flood_guard() -> None:
    """`rules()` skips the timing at start; here every shipped pattern is timed on the floods."""
    timed = scan_rules.load(DATA_DIR, knowledge())
    assert [r.id for r in timed.rules] == [r.id for r in scan_rules.rules().rules]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [("(a+)+$", "nests a repeat"), (r"(?:\w+\s?)*!", "nests a repeat"), (r"a.*b.*c.*d.*=.*x", "flood guard")],
)
def test_the_flood_guard_refuses_slow_patterns(tmp_path, monkeypatch, pattern: str, problem: str) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    file = tmp_path / "data" / "scan.toml"
    text = file.read_text()
    old = "pattern = '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b'"
    assert old in text
    file.write_text(text.replace(old, f"pattern = '{pattern}'"))
    if problem == "flood guard":  # a budget no pattern meets stands in for a quadratic pattern
        monkeypatch.setattr(scan_rules, "FLOOD_SECONDS", 0.000_001)
    with pytest.raises(DataError, match=problem):
        scan_rules.load(tmp_path / "data", knowledge())
