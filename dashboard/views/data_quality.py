"""数据质量 Data quality: when the database was last built, rows read / loaded / quarantined per
file, the quarantined rows with their reasons, and the data-quality findings."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import auth, data
from dashboard.i18n import t

LABELS = {
    "table_name": "col_table", "source_file": "col_file", "source_sheet": "col_sheet",
    "source_row": "col_row", "file_format": "col_format", "encoding": "col_encoding",
    "rows_read": "col_read", "rows_loaded": "col_loaded", "rows_quarantined": "col_quarantined",
    "ignored_columns": "col_ignored", "reason_code": "col_reason_code", "reason": "col_reason",
    "column_name": "col_column", "value": "col_value", "finding_code": "col_finding_code",
    "message": "col_message",
}


def table(frame: pl.DataFrame) -> None:
    config = {c: st.column_config.Column(t(LABELS[c])) for c in frame.columns if c in LABELS}
    shown = frame.with_columns(pl.col(pl.String).fill_null(""))  # blank, not "None"
    st.dataframe(shown, column_config=config, hide_index=True)


def when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def build_time() -> None:
    loaded, mtime = data.last_build()
    if loaded is None:
        st.caption(t("last_build_unknown", mtime=when(mtime)))
    else:
        st.caption(t("last_build", loaded=when(loaded), mtime=when(mtime)))


def render() -> None:
    st.title(t("page_quality"))
    build_time()
    report, quarantine, findings = data.load_report(), data.quarantine(), data.findings()
    st.subheader(t("load_report"))
    st.markdown(t("totals", read=report["rows_read"].sum(), loaded=report["rows_loaded"].sum(),
                  quarantined=report["rows_quarantined"].sum(), findings=findings.height))
    table(report)
    if not data.can_see_names():  # the rows below are quoted as typed, names included
        auth.refuse()
        return
    st.subheader(t("quarantine"))
    if quarantine.is_empty():
        st.success(t("none_quarantined"))
    else:
        table(quarantine)
    st.subheader(t("dq_findings"))
    if findings.is_empty():
        st.success(t("no_findings"))
    else:
        table(findings)


render()
