"""`boardshift` command line: run, ingest, build, export, sql, demo-data, dashboard."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

# polars and the modules built on it are imported by the commands that use them: `run` starts
# dbt's process before it imports them (pipelines/defaults.py)
from pipelines import defaults, run
from pipelines.errors import BoardshiftError
from pipelines.progress import Progress

if TYPE_CHECKING:
    import polars as pl

    from pipelines import ingest

app = typer.Typer(
    help="boardshift：两委换届班子结构分析（一降一升）。Rosters → validated DuckDB → dbt metrics → exports.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
# Piped output (CI logs, `| tee`) gets a wide console so the per-file table stays readable.
out = Console(width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 150)

RawOpt = Annotated[Path, typer.Option("--raw", help="原始数据文件夹 (raw folder)")]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB 数据库文件 (database file)")]
ExportsOpt = Annotated[Path, typer.Option("--exports", help="导出文件夹 (exports folder)")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度 (no progress output)")]
AsOfOpt = Annotated[
    dt.datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"],
                 help="统计截止日期，如 2026-11-25（进度与“日期在未来”检查；默认今天）"),
]
SuppressOpt = Annotated[
    int,
    typer.Option("--suppress-below", min=0,
                 help="小数保护：描述少于 N 人的单元格显示为 <N（对外报送时用，如 3；默认不启用）"),
]

XlsxRowsOpt = Annotated[
    int,
    typer.Option("--xlsx-max-rows", min=1,
                 help="summary.xlsx 中班子级工作表的行数上限，超过的表只在 CSV/Parquet 中"
                      f"（汇总表总是完整；默认 {defaults.XLSX_MAX_ROWS:,}）"),
]


def _fail(exc: BaseException) -> None:
    err.print(f"[bold red]错误 (error):[/] {exc}", highlight=False)
    raise typer.Exit(code=1)


def _report_files(result: ingest.IngestResult) -> None:
    table = Table(title="文件读取情况（读取 = 入库 + 隔离）", title_justify="left")
    for head in ("表", "文件", "工作表", "编码", "读取", "入库", "隔离", "忽略的列"):
        table.add_column(head, overflow="fold", no_wrap=head in ("表", "文件"))
    for r in result.report.iter_rows(named=True):
        table.add_row(r["table_name"], r["source_file"], r["source_sheet"] or "",
                      r["encoding"] or r["file_format"], str(r["rows_read"]), str(r["rows_loaded"]),
                      str(r["rows_quarantined"]), r["ignored_columns"] or "")
    out.print(table)
    for line in result.skipped:
        out.print(f"[yellow]已忽略[/] {line}", highlight=False)
    q, f = result.quarantine.height, result.findings.height
    out.print(f"共读取 {result.rows_read} 行；隔离 {q} 行（见 quarantine），数据问题 {f} 条（见 findings）。",
              highlight=False)


# Headline sentences printed at most: both bodies of 50 subdistricts, a large city district's.
# A city has hundreds of lines and the nation 64,000 (≈ 7 s of printing, 0.11 ms a line, for
# a screen nobody reads): beyond it they are in report.md and one_down_one_up_rollup.
HEADLINE_LINES = 100


def _report_headline(db: Path, report_md: Path | None = None) -> None:
    from pipelines import report

    rows = run.headline(db)
    if rows.height == 0:
        out.print("没有可比较的上一届班子，尚无一降一升结果。")
        return
    shown = rows.head(HEADLINE_LINES)
    for row in shown.iter_rows(named=True):
        out.print(report.headline(row), highlight=False)
    if rows.height > shown.height:
        where = f"{report_md}（每个街道一段）和" if report_md else ""
        out.print(f"……其余 {rows.height - shown.height} 句未列出（共 {rows['subdistrict'].n_unique()}"
                  f" 个街道、{rows.height} 句）：全部见{where} one_down_one_up_rollup 表"
                  "（boardshift sql）。", highlight=False, soft_wrap=True)


@app.command("run")
def run_cmd(raw: RawOpt = run.DEFAULT_RAW, db: DbOpt = run.DEFAULT_DB,
            exports: ExportsOpt = run.DEFAULT_EXPORTS, quiet: QuietOpt = False,
            as_of: AsOfOpt = None, suppress_below: SuppressOpt = 0,
            xlsx_max_rows: XlsxRowsOpt = defaults.XLSX_MAX_ROWS) -> None:
    """读取、校验、建模、导出：一条命令完成全部步骤 (everything)."""
    try:
        outcome = run.run_all(raw, db, exports, Progress(err, quiet),
                              as_of.date() if as_of else None, suppress_below, xlsx_max_rows)
        assert outcome.ingest is not None and outcome.dbt is not None
        _report_files(outcome.ingest)
        out.print(f"dbt build：{outcome.dbt.passed} 项通过，{outcome.dbt.warned} 项警告。")
        out.print(f"数据库 (database)：{db}\n导出 (exports)：{exports}")
        from pipelines.exports import REPORT

        _report_headline(db, exports / REPORT)
    except BoardshiftError as exc:
        _fail(exc)


@app.command("ingest")
def ingest_cmd(raw: RawOpt = run.DEFAULT_RAW, db: DbOpt = run.DEFAULT_DB,
               quiet: QuietOpt = False) -> None:
    """只读取、校验并入库原始文件 (load raw files; run `build` next for the marts)."""
    try:
        result = run.run_ingest(raw, db, Progress(err, quiet))
        _report_files(result)
        out.print(f"已入库到 {db}；运行 boardshift build 生成指标表。")
    except BoardshiftError as exc:
        _fail(exc)


@app.command("build")
def build_cmd(db: DbOpt = run.DEFAULT_DB, quiet: QuietOpt = False,
              as_of: AsOfOpt = None) -> None:
    """用 dbt 重建指标表并运行 dbt 测试 (dbt build on the loaded database)."""
    try:
        result = run.run_build(db, Progress(err, quiet), as_of.date() if as_of else None)
        out.print(f"dbt build：{result.passed} 项通过，{result.warned} 项警告。")
        _report_headline(db)
    except BoardshiftError as exc:
        _fail(exc)


@app.command("export")
def export_cmd(db: DbOpt = run.DEFAULT_DB, exports: ExportsOpt = run.DEFAULT_EXPORTS,
               quiet: QuietOpt = False, suppress_below: SuppressOpt = 0,
               xlsx_max_rows: XlsxRowsOpt = defaults.XLSX_MAX_ROWS) -> None:
    """导出汇总表：CSV、Parquet、summary.xlsx、weekly_progress.xlsx、report.md (write the exports)."""
    try:
        files = run.run_export(db, exports, Progress(err, quiet), suppress_below, xlsx_max_rows)
        out.print(f"已导出 {len(files)} 个文件到 {exports}")
    except BoardshiftError as exc:
        _fail(exc)


@app.command("sql")
def sql_cmd(
    query: Annotated[str, typer.Argument(help="只读 SQL，如 \"select * from one_down_one_up\"")],
    db: DbOpt = run.DEFAULT_DB,
    csv: Annotated[Path | None, typer.Option("--csv", help="把结果写入 CSV 文件")] = None,
    max_rows: Annotated[int, typer.Option("--max-rows", help="最多返回的行数")] = defaults.SQL_MAX_ROWS,
    timeout: Annotated[float, typer.Option("--timeout", help="超时秒数")] = defaults.SQL_TIMEOUT_S,
) -> None:
    """在指标表上运行只读 SQL (read-only SQL on the marts)."""
    from pipelines import sql

    try:
        frame, truncated = sql.query(db, query, timeout_s=timeout, max_rows=max_rows)
    except BoardshiftError as exc:
        _fail(exc)
        return
    if csv is not None:
        frame.write_csv(csv, include_bom=True)
        out.print(f"已写入 {frame.height} 行到 {csv}")
    else:
        _print_frame(frame)
    if truncated:
        err.print(f"[yellow]结果超过 {max_rows} 行，只显示前 {max_rows} 行。[/]")


def _print_frame(frame: pl.DataFrame) -> None:
    table = Table(show_lines=False)
    for col in frame.columns:
        table.add_column(col, overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*["" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))
                        for v in row])
    out.print(table)
    out.print(f"({frame.height} 行)")


@app.command("demo-data")
def demo_data_cmd(
    out_dir: Annotated[Path, typer.Option("--out", help="写入的文件夹")] = run.DEFAULT_RAW,
    seed: Annotated[int, typer.Option("--seed")] = 2021,
    scale: Annotated[str | None, typer.Option(
        "--scale", help="合成数据规模：subdistrict, district, city, nation（不给则为长风新村演示）")] = None,
    fmt: Annotated[str, typer.Option("--format", help="parquet 或 csv（仅 --scale）")] = "parquet",
) -> None:
    """重新生成演示数据，或按规模生成合成数据 (the demo folder, or synthetic data at a scale)."""
    if scale is None:
        from pipelines import demo_data

        demo_data.write_demo(out_dir, seed)
        out.print(f"演示数据已写入 {out_dir}")
        return
    from pipelines import scale_data

    if scale not in scale_data.SCALES or fmt not in ("parquet", "csv"):
        _fail(BoardshiftError(f"--scale 应为 {', '.join(scale_data.SCALES)}；--format 应为 parquet 或 csv"))
    scale_data.write_scale(out_dir, scale, seed, fmt)
    out.print(f"{scale} 规模的合成数据已写入 {out_dir}")


@app.command("dashboard")
def dashboard_cmd(
    db: DbOpt = run.DEFAULT_DB,
    port: Annotated[int, typer.Option("--port", help="端口 (port)")] = 8501,
    address: Annotated[str, typer.Option(
        "--address", help="监听地址；默认只在本机 (listen address; localhost only by default)")
    ] = "127.0.0.1",
) -> None:
    """打开领导看板（Streamlit）；数据库不存在时先用 raw/ 的演示数据构建 (the dashboard)."""
    if not db.exists():
        out.print(f"数据库 {db} 不存在，先用 {run.DEFAULT_RAW} 构建 (building the demo data first)…",
                  highlight=False)
        run_cmd(raw=run.DEFAULT_RAW, db=db, exports=run.DEFAULT_EXPORTS, quiet=False)
    command = [
        sys.executable, "-m", "streamlit", "run", str(run.ROOT / "dashboard" / "app.py"),
        "--server.address", address, "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal",
    ]
    env = {**os.environ, "BOARDSHIFT_DB": str(db.resolve())}
    out.print(f"看板地址 (dashboard)：http://{address}:{port}  数据库：{db}", highlight=False)
    server = subprocess.Popen(command, env=env)
    try:
        # short waits: a Ctrl-C delivered to another thread is noticed between two of them
        while (code := _wait(server, 0.5)) is None:
            pass
    except KeyboardInterrupt:  # pass Ctrl-C on (harmless if the terminal already did)
        server.send_signal(signal.SIGINT)
        if (code := _wait(server, 15)) is None:
            server.kill()
            code = server.wait()
    raise typer.Exit(code=code)


def _wait(process: subprocess.Popen[bytes], seconds: float) -> int | None:
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


def main() -> None:
    """Console entry: a bug still ends in one clear line (set BOARDSHIFT_DEBUG=1 for the traceback)."""
    try:
        app()
    except Exception as exc:  # anything not already turned into a BoardshiftError is a bug
        if os.environ.get("BOARDSHIFT_DEBUG"):
            raise
        err.print(f"[bold red]内部错误 (internal error):[/] {type(exc).__name__}: {exc}\n"
                  "请把这条信息和所用的文件发给维护者；设置 BOARDSHIFT_DEBUG=1 可看到详细的调用栈。",
                  highlight=False)
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    main()
