"""Exports of the full 换届 report: every mart as CSV/Parquet and a workbook sheet, the weekly
progress workbook, report.md, and small-group suppression — through the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines import exports, marts
from tests.test_pipeline import write_fixture

ROOT = Path(__file__).resolve().parent.parent


def boardshift(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    proc = boardshift("run", "--db", root / "demo.duckdb", "--exports", root / "ex",
                      "--as-of", "2026-11-25", "-q")
    assert proc.returncode == 0, proc.stderr
    return root / "ex"


def test_every_mart_is_exported_with_chinese_headers(demo_exports: Path) -> None:
    book = openpyxl.load_workbook(demo_exports / "summary.xlsx", read_only=True)
    assert [m.sheet_zh for m in marts.MARTS] + ["隔离行", "数据问题"] == book.sheetnames
    for mart in marts.MARTS:
        frame = pl.read_parquet(demo_exports / f"{mart.name}.parquet")
        # the demo breaks no structure rule, so that table is empty but still has its columns
        assert frame.height > 0 or mart.name == "structure_checks", mart.name
        assert frame.width > 0
        assert (demo_exports / f"{mart.name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        headers = [c.value for c in next(book[mart.sheet_zh].iter_rows(max_row=1))]
        untranslated = [h for h in headers if h.isascii()]
        assert not untranslated, (mart.name, untranslated)
    book.close()
    # no names leave in the summary exports
    for mart in marts.MARTS:
        assert "name" not in pl.read_parquet(demo_exports / f"{mart.name}.parquet").columns


def test_weekly_progress_workbook(demo_exports: Path) -> None:
    # From raw/进度_2026.xlsx, counted independently: residents' 提名初步候选人 is planned for
    # 2026-11-20 and 3 of 19 districts have no completion date on 2026-11-25 → 3 overdue (逾期).
    book = openpyxl.load_workbook(ROOT / "raw" / "进度_2026.xlsx", read_only=True)
    raw_rows = list(book["进度"].iter_rows(min_row=3, values_only=True))
    book.close()
    overdue = [r for r in raw_rows if r[3] == "提名初步候选人" and r[5] is None]
    assert len(overdue) == 3
    book = openpyxl.load_workbook(demo_exports / "weekly_progress.xlsx", read_only=True)
    assert book.sheetnames[0] == "汇总"
    assert book.sheetnames[-1] == "2026-11-29周"  # the week of the as-of date (ends Sunday)
    rows = list(book["2026-11-29周"].iter_rows(values_only=True))
    head = rows[0]
    stage, status = head.index("阶段"), head.index("结果")
    late = [r for r in rows[1:] if r[stage] == "提名初步候选人" and r[status] == "逾期"]
    assert len(late) == len(overdue)
    book.close()


def test_report_md(demo_exports: Path) -> None:
    text = (demo_exports / "report.md").read_text(encoding="utf-8")
    # figures from the independent recomputation of the demo files (raw/README.md): party 2021
    # 123 members, 44.26 years (−2.93), 大专及以上 75.6% (+9.2); 一肩挑 14 of 19 districts in 2021
    # against 5 of 19 in 2018 (73.7%, +47.4 个百分点); 51 people on both boards
    assert "长风新村街道2021年换届" in text
    assert "新一届居民区党组织成员123人，成员平均年龄44.3岁，较上届下降2.9岁" in text
    assert "大专及以上学历占75.6%，提高9.2个百分点；19个居民区中15个实现“一降一升”" in text
    assert "书记、主任“一肩挑”比例达73.7%，比上届提高47.4个百分点" in text
    assert "交叉任职51人" in text
    assert "%个百分点" not in text and "提升" not in text


def test_small_groups_are_suppressed(tmp_path: Path) -> None:
    write_fixture(tmp_path / "raw")
    proc = boardshift("run", "--raw", tmp_path / "raw", "--db", tmp_path / "w.duckdb",
                      "--exports", tmp_path / "ex", "--suppress-below", "3", "-q")
    assert proc.returncode == 0, proc.stderr
    rows = {r["board_id"]: r for r in pl.read_csv(tmp_path / "ex" / "board_composition.csv",
                                                   infer_schema=False).iter_rows(named=True)}
    # 0001 party 2021 (hand fixture): 4 members, 2 women, 3 party members
    party = rows["0001|party|2021"]
    assert (party["members"], party["women"], party["women_share"]) == ("4", "<3", "<3")
    assert party["party_members"] == "3" and party["mean_age"] != "<3"
    # 0001 residents 2021: one member — every figure of the row describes fewer than 3 people
    residents = rows["0001|residents|2021"]
    assert residents["members"] == "<3" and residents["mean_age"] == "<3"
    assert residents["board_id"] == "0001|residents|2021"
    # without the option nothing is hidden
    plain = pl.read_csv(tmp_path / "ex" / "quarantine.csv")
    assert plain.height == 8


def test_suppress_unit() -> None:
    frame = pl.DataFrame({"members": [2, 10, 10], "women": [1, 0, 5], "women_share": [0.5, 0.0, 0.5],
                          "mean_age": [40.0, 41.0, 42.0], "term": [2021, 2021, 2021]})
    out = exports.suppress(frame, 3)
    assert out["members"].to_list() == ["<3", "10", "10"]
    assert out["women"].to_list() == ["<3", "0", "5"]
    assert out["women_share"].to_list() == ["<3", "0.0", "0.5"]
    assert out["mean_age"].to_list() == ["<3", "41.0", "42.0"]
    assert out["term"].to_list() == [2021, 2021, 2021]
    assert exports.suppress(frame, 0).equals(frame)
