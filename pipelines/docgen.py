"""The command line shared by the generated doc pages (docs/data_contract.md, docs/marts.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def main(render: Callable[[], str], path: Path, module: str) -> int:
    """`--write` regenerates the page, `--check` exits 1 while it is stale, else print it."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}")
    parser.add_argument("--write", action="store_true", help=f"regenerate {path.name}")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if {path.name} is stale")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is stale: run `python -m {module} --write`")
            return 1
        return 0
    if args.write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
        return 0
    sys.stdout.write(text)
    return 0
