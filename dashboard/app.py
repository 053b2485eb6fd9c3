"""Entry point: `streamlit run dashboard/app.py` (or `boardshift dashboard`). Sets the page, the
sidebar (language and filters) and the navigation. Each page is one file under views/ (a folder
named pages/ would switch Streamlit to its older pages-directory mode)."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, data, ui
from dashboard.i18n import t

PAGES = (
    ("views/overview.py", "page_overview", ":material/dashboard:"),
    ("views/districts.py", "page_districts", ":material/scatter_plot:"),
    ("views/composition.py", "page_composition", ":material/groups:"),
    ("views/district_detail.py", "page_detail", ":material/location_city:"),
    ("views/structure.py", "page_structure", ":material/account_tree:"),
    ("views/elections.py", "page_elections", ":material/how_to_vote:"),
    ("views/progress.py", "page_progress", ":material/calendar_month:"),
    ("views/data_quality.py", "page_quality", ":material/fact_check:"),
    ("views/sql_console.py", "page_sql", ":material/terminal:"),
    ("views/exports.py", "page_exports", ":material/download:"),
)


def main() -> None:
    st.set_page_config(page_title=t("app_title"), page_icon=":material/groups:", layout="wide")
    ui.language_switch()
    navigation = st.navigation([
        st.Page(path, title=t(title), icon=icon, default=i == 0)
        for i, (path, title, icon) in enumerate(PAGES)
    ])
    try:
        ui.filter_sidebar()
        auth.sidebar()  # before the page: a password entered now shows names on this run
        navigation.run()
    except data.DataUnavailable as exc:
        ui.unavailable(exc)


main()
