"""The `whatmatters` subcommands that write files, for people who build sites and keep the data: `assets DEST`
copies the live widgets' runtime next to another site's pages, `publish SITE_DIR` readies a
built site (runtime, hashed names, policy), `data init DIR` copies the guide's data for a site
to edit, `prices refresh` rewrites the current price set from genai-prices. All are build-time
tools the browser never gets.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import shutil
from typing import Any

from .terminal import UsageError


def cmd_assets(args: argparse.Namespace) -> dict[str, Any]:
    from ..errors import DataError
    from ..packing.assets import AssetsError, write_runtime  # build-time code, kept out of the other commands

    try:
        return write_runtime(args.dest, args.pyodide, with_static=True, data_dir=getattr(args, "data", None))
    except DataError as exc:
        raise UsageError(f"the data in {args.data} can't be used: {exc}.") from None
    except AssetsError as exc:
        raise UsageError(f"{exc}.") from None
    except OSError as exc:
        raise UsageError(f"couldn't write the assets to {args.dest}: {exc.strerror or exc}.") from None


def cmd_publish(args: argparse.Namespace) -> dict[str, Any]:
    from ..publishing.post_build import PostBuildError, publish_site  # build-time code, like cmd_assets

    try:
        return publish_site(args.site_dir, args.site_url, args.data, args.pyodide, args.embeds, not args.no_csp)
    except PostBuildError as exc:
        raise UsageError(f"{exc}.") from None


def cmd_data_init(args: argparse.Namespace) -> dict[str, Any]:
    from ..loading import DATA_DIR

    dest = pathlib.Path(args.dir)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(f"{args.dir} already exists and isn't an empty folder; name a new one.")
    skip = shutil.ignore_patterns("__pycache__", ".*")
    try:
        shutil.copytree(DATA_DIR, dest, ignore=skip, dirs_exist_ok=True)
    except OSError as exc:
        raise UsageError(f"couldn't copy the data to {args.dir}: {exc.strerror or exc}.") from None
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    return {"dir": args.dir, "files": len(files)}


def print_data_init(result: dict[str, Any]) -> None:
    """Where the copy went, and the one setting each generator needs to use it."""
    where = result["dir"]
    print(f"Copied the guide's data into {where} ({result['files']} files). Edit them, then point your site at it:")
    print(f"  mkdocs.yml     plugins: [search, whatmatters: {{data_dir: {where}}}]")
    print(f'  conf.py        whatmatters_data_dir = "{where}"')
    print(f'  zensical.toml  whatmatters = {{ data_dir = "{where}" }}, under [project.markdown_extensions],')
    print(f"                 then `whatmatters publish SITE_DIR --data {where}` after each build")
    print("A relative path is taken from the folder of the file that names it.")


def cmd_prices_refresh(args: argparse.Namespace) -> dict[str, Any]:
    from ..loading import DATA_DIR

    try:
        from ..refresh import prices as prices_refresh  # development only: it needs genai-prices, the engine doesn't

        path = prices_refresh.refresh(args.dest or DATA_DIR / "prices", args.as_of)
    except ImportError:
        raise UsageError(
            "genai-prices and litellm are development dependencies: pip install 'whatmatters[prices]' "
            "(the test extra has them too)."
        ) from None
    except OSError as exc:
        raise UsageError(f"couldn't write the prices to {args.dest}: {exc.strerror or exc}.") from None
    written = json.loads(path.read_text(encoding="utf-8"))
    return {
        "path": str(path),
        "set": written["id"],
        "models": len(written["model"]),
        "source": written["source"],
        "effective": written["effective"],
    }


def parse_day(text: str) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' should be a date like 2026-11-26") from None
