"""导出 Exports: every summary table as CSV and the whole summary.xlsx, built from the current
database by pipelines.exports (the same code that writes the exports folder)."""

from __future__ import annotations

import functools

import streamlit as st

from dashboard import auth, data
from dashboard.i18n import t, t_or

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    st.title(t("page_exports"))
    st.caption(t("exports_intro"))
    st.subheader(t("workbook"))
    if data.can_see_names():  # the workbook's 隔离行 / 数据问题 sheets quote rows as typed
        # data= a callable: the file is built only when someone clicks
        st.download_button(t("download_xlsx"), data.workbook_bytes, file_name="summary.xlsx",
                           mime=XLSX, on_click="ignore", icon=":material/table_view:",
                           type="primary", key="download_summary")
    else:
        auth.refuse()
    st.subheader(t("csv_tables"))
    for stem in data.export_names():
        st.download_button(f"{t_or('export_' + stem, stem)} · {stem}.csv",
                           functools.partial(data.csv_bytes, stem), file_name=f"{stem}.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:",
                           key=f"download_{stem}")


render()
