"""SQL 查询: ad-hoc read-only SQL over the marts in pipelines.sql's sandbox, the result as a table
with a CSV download. Behind sign-in: the member-level tables it can read hold names."""

from __future__ import annotations

import io

import polars as pl
import streamlit as st

from dashboard import auth, data
from dashboard.i18n import t
from pipelines.errors import BoardshiftError

TEXT_KEY, RESULT_KEY = "sql_text", "sql_result"


def run_query() -> None:
    text = st.session_state.get(TEXT_KEY, "").strip()
    if not text:
        st.session_state[RESULT_KEY] = ("warning", t("sql_empty"))
        return
    try:
        frame, truncated = data.sql_query(text)
    except BoardshiftError as exc:
        st.session_state[RESULT_KEY] = ("error", str(exc))
        return
    st.session_state[RESULT_KEY] = ("rows", (frame, truncated))


def csv_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_bom=True)
    return buffer.getvalue()


def show_result() -> None:
    kind, payload = st.session_state.get(RESULT_KEY, (None, None))
    if kind == "warning":
        st.warning(payload)
    elif kind == "error":
        st.error(payload)
    elif kind == "rows":
        frame, truncated = payload
        if truncated:
            st.warning(t("sql_truncated", rows=data.SQL_MAX_ROWS))
        st.caption(t("sql_rows", rows=frame.height))
        st.dataframe(frame, hide_index=True)
        st.download_button(t("download_csv"), csv_bytes(frame), file_name="query.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:")


def render() -> None:
    st.title(t("page_sql"))
    if not data.can_see_names():  # SQL can read the member-level tables, which hold names
        auth.refuse()
        return
    st.caption(t("sql_intro", rows=f"{data.SQL_MAX_ROWS:,}", seconds=f"{data.SQL_TIMEOUT_S:g}"))
    st.session_state.setdefault(TEXT_KEY, data.SQL_EXAMPLE)
    with st.form("sql_form"):
        st.text_area(t("sql_box"), key=TEXT_KEY, height=180)
        st.form_submit_button(t("sql_run"), on_click=run_query, icon=":material/play_arrow:")
    show_result()


render()
