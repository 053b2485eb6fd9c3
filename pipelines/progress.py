"""Progress shown on long steps: a rich spinner/bar on a terminal, plain lines when piped."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress


class Step:
    def __init__(self, bar: RichProgress | None, task_id: int | None, console: Console,
                 label: str) -> None:
        self._bar, self._id, self._console, self._label = bar, task_id, console, label

    def note(self, text: str) -> None:
        if self._bar is not None and self._id is not None:
            self._bar.update(self._id, description=f"{self._label}: {text}")
        else:
            self._console.print(f"  · {text}", highlight=False)

    def advance_to(self, done: int, total: int, _line: str = "") -> None:
        if self._bar is not None and self._id is not None:
            self._bar.update(self._id, completed=done, total=total)


class Progress:
    def __init__(self, console: Console | None = None, quiet: bool = False) -> None:
        self.console = console or Console(stderr=True)
        self.quiet = quiet

    @contextlib.contextmanager
    def task(self, label: str, total: int | None = None) -> Iterator[Step]:
        start = time.perf_counter()
        if self.quiet:
            yield Step(None, None, Console(quiet=True), label)
            return
        if not self.console.is_interactive:
            self.console.print(f"▶ {label}", highlight=False)
            yield Step(None, None, self.console, label)
            self.console.print(f"  ✓ {label}（{time.perf_counter() - start:.1f} 秒）", highlight=False)
            return
        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn()]
        with RichProgress(*columns, console=self.console, transient=True) as bar:
            task_id = bar.add_task(label, total=total)
            yield Step(bar, task_id, self.console, label)
        self.console.print(f"✓ {label}（{time.perf_counter() - start:.1f} 秒）", highlight=False)
