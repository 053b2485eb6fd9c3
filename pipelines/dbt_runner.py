"""Running `dbt build` as a subprocess against a build file (in-process dbt keeps the file locked)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import BoardshiftError

PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
_PROGRESS = re.compile(r"\b(\d+) of (\d+) (START|OK|PASS|FAIL|ERROR|WARN|SKIP)\b")


@dataclass
class DbtResult:
    passed: int
    warned: int
    failed: int
    skipped: int
    nodes: int


def build(db: Path, work_dir: Path, on_progress: Callable[[int, int, str], None] | None = None,
          select: str | None = None, variables: dict[str, str] | None = None) -> DbtResult:
    """`dbt build` on `db`; raises BoardshiftError naming the failing models and tests.

    `variables` become dbt `--vars` (e.g. `as_of_date` for the progress marts).
    """
    if not (PROJECT_DIR / "dbt_project.yml").exists():
        raise BoardshiftError(f"找不到 dbt 项目：{PROJECT_DIR}")
    target = work_dir / "target"
    logs = work_dir / "logs"
    args = [
        sys.executable, "-m", "dbt.cli.main", "build",
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target), "--log-path", str(logs), "--no-use-colors",
    ]
    if select:
        args += ["--select", select]
    if variables:
        args += ["--vars", json.dumps(variables)]
    env = {**os.environ, "BOARDSHIFT_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, cwd=str(PROJECT_DIR))
    lines: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.rstrip())
        match = _PROGRESS.search(line)
        if match and on_progress and match.group(3) != "START":
            on_progress(int(match.group(1)), int(match.group(2)), line.strip())
    code = proc.wait()
    result = _results(target / "run_results.json")
    if code != 0:
        bad = [ln for ln in lines if re.search(r"\b(FAIL|ERROR)\b|Error|error", ln)]
        detail = "\n".join(bad[-15:]) if bad else "\n".join(lines[-15:])
        raise BoardshiftError(f"dbt build 失败（退出码 {code}）；日志见 {logs}：\n{detail}")
    return result


def _results(path: Path) -> DbtResult:
    if not path.exists():
        return DbtResult(0, 0, 0, 0, 0)
    data = json.loads(path.read_text(encoding="utf-8"))
    statuses = [r.get("status") for r in data.get("results", [])]
    return DbtResult(
        passed=sum(s in ("success", "pass") for s in statuses),
        warned=sum(s == "warn" for s in statuses),
        failed=sum(s in ("fail", "error") for s in statuses),
        skipped=sum(s == "skipped" for s in statuses),
        nodes=len(statuses),
    )
