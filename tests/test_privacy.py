"""Privacy: ID numbers never reach the database or the exports; the SQL console is read-only."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines import privacy, sql
from pipelines.errors import BoardshiftError

ROOT = Path(__file__).resolve().parent.parent
ID_PATTERN = re.compile(r"\d{17}[\dXx]|\d{6}\s*\d{8}\s*\d{3}[\dXx]")


def demo_ids() -> set[str]:
    """Every ID number typed in the demo files, read here independently of the pipeline."""
    import polars as pl

    found: set[str] = set()
    for path in (ROOT / "raw").iterdir():
        if path.suffix == ".csv":
            data = path.read_bytes()
            text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else None
            text = text or (data.decode("utf-8") if path.name.isascii() else data.decode("gb18030"))
        elif path.suffix == ".parquet":
            text = pl.read_parquet(path).write_csv()
        elif path.suffix == ".xlsx":
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True)
            text = "\n".join(",".join(str(v) for v in row if v is not None)
                             for ws in book.worksheets for row in ws.iter_rows(values_only=True))
            book.close()
        else:
            continue
        found |= {re.sub(r"\s", "", m).upper() for m in ID_PATTERN.findall(text)}
    return found


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("privacy")
    db, exports = root / "demo.duckdb", root / "exports"
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--db", str(db),
                           "--exports", str(exports), "-q"], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {"db": db, "exports": exports}


def test_no_id_number_is_stored_or_exported(demo_run: dict[str, Path]) -> None:
    ids = demo_ids()
    assert len(ids) > 400  # the demo has ~460 people
    con = duckdb.connect(str(demo_run["db"]), read_only=True)
    try:
        text_columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'").fetchall()
        for schema, table, column in text_columns:
            values = con.execute(f'select distinct "{column}" from "{schema}"."{table}" '
                                 f'where "{column}" is not null').fetchall()
            for (value,) in values:
                assert not (set(ID_PATTERN.findall(value)) & ids), f"{schema}.{table}.{column}"
        columns = {c for _, _, c in text_columns}
        assert "id_number" not in columns and "id_key" in columns
        # marts carry ages, never birth dates
        mart_columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'main'"
        ).fetchall()}
        assert "birth_date" not in mart_columns and "age" in mart_columns
    finally:
        con.close()
    for path in demo_run["exports"].iterdir():
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig")
            assert not (set(ID_PATTERN.findall(text)) & ids), path.name


def test_id_key_is_a_keyed_hash(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import polars as pl

    frame = pl.DataFrame({"name": ["甲", "乙", "丙"],
                          "id_number": ["11010519491231002X", None, "11010519491231002X"]})
    one = privacy.pseudonymise(frame, b"key-one")
    two = privacy.pseudonymise(frame, b"key-two")
    assert one.columns == ["name", "id_key"]
    assert one["id_key"][0] == one["id_key"][2] and one["id_key"][1] is None
    assert one["id_key"][0] != two["id_key"][0]  # another key, another hash
    assert "11010519491231002X" not in one["id_key"][0]
    # a 72-bit MAC in base64: 12 characters, the longest string DuckDB stores inline
    mac = hashlib.blake2b(b"11010519491231002X", key=b"key-one", digest_size=9).digest()
    assert one["id_key"][0] == base64.b64encode(mac).decode() == privacy.keyed_hash(
        "11010519491231002X", b"key-one")
    assert len(one["id_key"][0]) == 12
    # the key file is created once, owner-only, and reused
    monkeypatch.delenv(privacy.KEY_ENV, raising=False)
    key_file = tmp_path / "k" / "id_key"
    first = privacy.load_key(key_file)
    assert privacy.load_key(key_file) == first and len(first) == 64
    assert key_file.stat().st_mode & 0o077 == 0
    monkeypatch.setenv(privacy.KEY_ENV, "from-the-environment")
    assert privacy.load_key(key_file) == b"from-the-environment"



def test_pseudonymise_is_the_keyed_hash_of_each_value() -> None:
    import polars as pl

    key = b"k" * 80  # longer than BLAKE2b's 64-byte key: cut as before
    ids = [f"3101041990{i % 997:04d}{i % 10}X" if i % 13 else None for i in range(5_000)]
    frame = pl.DataFrame({"name": [f"p{i}" for i in range(5_000)], "id_number": ids,
                          "term": [2021] * 5_000})
    out = privacy.pseudonymise(frame, key)
    assert out.columns == ["name", "id_key", "term"]
    assert out["id_key"].to_list() == [privacy.keyed_hash(v, key) if v else None for v in ids]
    assert out.drop("id_key").equals(frame.drop("id_number"))  # rows in their order
    assert privacy.pseudonymise(frame.drop("id_number"), key).equals(frame.drop("id_number"))
    empty = privacy.pseudonymise(frame.head(0), key)
    assert empty.columns == out.columns and empty.schema["id_key"] == pl.String


def test_pseudonymise_all_hashes_once_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import polars as pl

    key = b"key"
    members = pl.DataFrame({"id_number": ["A1", "B2", None, "C3"], "name": list("abcd")})
    candidates = pl.DataFrame({"name": list("xyz"), "id_number": ["B2", "D4", "A1"]})
    districts = pl.DataFrame({"district_code": ["0001"]})
    frames = {"board_members": members, "candidates": candidates, "districts": districts}
    hashed: list[str] = []
    real = privacy.id_keys
    monkeypatch.setattr(privacy, "id_keys", lambda ids, k: hashed.extend(ids.drop_nulls().unique())
                        or real(ids, k))
    together = privacy.pseudonymise_all(frames, key)
    assert sorted(hashed) == ["A1", "B2", "C3", "D4"]  # each distinct ID once, over all tables
    monkeypatch.setattr(privacy, "id_keys", real)
    for name, frame in frames.items():
        assert together[name].equals(privacy.pseudonymise(frame, key)), name
    assert together["candidates"]["id_key"][0] == together["board_members"]["id_key"][1]
    with pytest.raises(ValueError, match="does not cover"):
        privacy.pseudonymise(members, key, privacy.id_keys(candidates["id_number"], key))


REFUSED = {
    "copy to": "copy one_down_one_up to '/tmp/boardshift-leak.csv'",
    "attach": "attach '/tmp/other.duckdb' as other",
    "install": "install httpfs",
    "load": "load httpfs",
    "read a file": "select * from read_csv('/etc/passwd')",
    "read text": "select * from read_text('/etc/passwd')",
    "create table": "create table memory.main.leak as select 1",
    "create in the warehouse": "create table warehouse.main.leak as select 1",
    "insert": "insert into one_down_one_up select * from one_down_one_up",
    "pragma": "pragma threads=1",
    "set": "set enable_external_access = true",
    "reset": "reset lock_configuration",
    "two statements": "select 1; drop table one_down_one_up",
    "drop": "drop table one_down_one_up",
}


@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_sql_refuses(demo_run: dict[str, Path], statement: str) -> None:
    with pytest.raises(BoardshiftError, match="查询失败"):
        sql.query(demo_run["db"], statement)
    assert not Path("/tmp/boardshift-leak.csv").exists()


def test_sql_stops_a_query_that_runs_forever(demo_run: dict[str, Path]) -> None:
    with pytest.raises(BoardshiftError, match="超过 1 秒"):
        sql.query(demo_run["db"], "select count(*) from range(100000000) a, range(100000000) b",
                  timeout_s=1)


def test_sql_bounds_rows_and_answers_selects(demo_run: dict[str, Path]) -> None:
    rows, truncated = sql.query(demo_run["db"], "select * from range(50)", max_rows=10)
    assert rows.height == 10 and truncated
    rows, truncated = sql.query(
        demo_run["db"], "select status, count(*) as n from one_down_one_up group by 1 order by 1")
    assert not truncated and rows["n"].sum() == 38


def test_sql_cli_refuses_with_one_clear_message(demo_run: dict[str, Path]) -> None:
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "sql", "--db", str(demo_run["db"]),
                           "copy one_down_one_up to '/tmp/x.csv'"], capture_output=True, text=True)
    assert proc.returncode == 1 and "只允许只读的 SELECT 查询" in proc.stderr
    assert "Traceback" not in proc.stderr
