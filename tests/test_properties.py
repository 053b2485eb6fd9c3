"""Property-based: random rows (any text, any encoding we accept) through the readers and
validation never raise an unhandled exception, and every row is loaded or quarantined."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import ingest
from pipelines.errors import BoardshiftError
from tests import corpus

TODAY = dt.date(2026, 11, 25)

# text people type: digits, dates, Chinese words of the contract, punctuation, full-width forms
typed = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "0001", "0002", "1", "2021", "2021年", "党组织", "居委会", "party",
                     "1975.03", "1975-13-40", "19750312", "27465", "大专", "本科", "初中", "博士后",
                     "男", "女", "F", "是", "否", "3.10107E+17", "11010519491231002X",
                     "110105194912310021", "310107750312123", "　", "１９７５", "NaN", "null"]),
    st.from_regex(r"\d{15,18}[Xx]?", fullmatch=True),
)
row = st.lists(typed, min_size=len(corpus.MEMBER_HEAD), max_size=len(corpus.MEMBER_HEAD))


def write_members(raw: Path, rows: list[list[str]], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([corpus.MEMBER_HEAD, *rows])
    (raw / corpus.MEMBERS).write_bytes(buffer.getvalue().encode(encoding, errors="replace"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=25), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_every_row_is_loaded_or_quarantined(rows: list[list[str]], encoding: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp)
        corpus.write_base(raw, skip=(corpus.MEMBERS,))
        write_members(raw, rows, encoding)
        try:
            frames, result = ingest.read_and_validate(raw, TODAY)
        except BoardshiftError:
            # a clear refusal of the whole file (e.g. random text that hides the header) is a
            # handled outcome; anything else would be an unhandled exception and fail the test
            return
        report = result.report.filter(pl.col("source_file") == corpus.MEMBERS).row(0, named=True)
        assert report["rows_loaded"] + report["rows_quarantined"] == report["rows_read"]
        members = frames["board_members"].filter(pl.col("source_file") == corpus.MEMBERS)
        quarantined = result.quarantine.filter(pl.col("source_file") == corpus.MEMBERS)
        assert members.height == report["rows_loaded"]
        assert quarantined.height == report["rows_quarantined"]
        # no row is in both places, and none is in neither
        seen = members["source_row"].to_list() + quarantined["source_row"].to_list()
        assert len(seen) == len(set(seen)) == report["rows_read"]
        assert quarantined["reason"].null_count() == 0
