"""居民区详情 District detail: one district's boards for each term side by side (member lists
behind data.can_see_names()), and per body its 一降一升 metric row and findings."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import auth, data, report, ui
from dashboard.i18n import lang, t

DISTRICT_KEY = "detail_district"  # kept across pages (not a widget key)
WIDGET_KEY = "detail_district_widget"
SUB_WIDGET_KEY = "detail_subdistrict_widget"


def pick_district(f: data.Filters) -> str | None:
    """The district shown. With all subdistricts and more districts than one selector can
    usefully list (a city has ~6,000, and names repeat across subdistricts), its subdistrict is
    picked first, on this page."""
    sub = f.subdistrict
    if sub is None and data.districts(None).height > ui.MAX_CHOICES:
        sub = pick_subdistrict()
    choices = data.districts(sub)
    if choices.is_empty():
        return None
    names = dict(zip(choices["district_code"].to_list(), choices["district_name"].to_list(),
                     strict=True))
    if st.session_state.get(DISTRICT_KEY) not in names:
        st.session_state[DISTRICT_KEY] = next(iter(names))
    st.session_state[WIDGET_KEY] = st.session_state[DISTRICT_KEY]
    return st.selectbox(t("pick_district"), list(names), key=WIDGET_KEY,
                        format_func=names.__getitem__, on_change=_remember)


def _remember() -> None:
    st.session_state[DISTRICT_KEY] = st.session_state[WIDGET_KEY]


def pick_subdistrict() -> str:
    """The subdistrict whose districts the district selector lists: the remembered district's
    (so the choice holds across pages), changed here."""
    subs = data.subdistricts()
    index = data.district_subdistricts()
    where = dict(zip(index["district_code"].to_list(), index["subdistrict"].to_list(),
                     strict=True))
    current = where.get(st.session_state.get(DISTRICT_KEY))
    st.session_state[SUB_WIDGET_KEY] = current if current in subs else subs[0]
    labels = {s: ui.subdistrict_label(s) for s in subs}
    return st.selectbox(t("pick_subdistrict_first"), subs, key=SUB_WIDGET_KEY,
                        format_func=labels.__getitem__, on_change=_remember_subdistrict)


def _remember_subdistrict() -> None:
    """A new subdistrict: remember its first district (the district decides the subdistrict)."""
    codes = data.districts(st.session_state[SUB_WIDGET_KEY])["district_code"]
    if codes.len():
        st.session_state[DISTRICT_KEY] = codes[0]


def board_card(board: dict[str, Any]) -> None:
    st.markdown(f"**{t('board_heading', body=ui.body_label(board['body']), term=board['term'])}**")
    members, age, college = st.columns(3)
    members.metric(t("members"), board["members"])
    age.metric(t("mean_age"), report.one(board["mean_age"]))
    college.metric(t("college_share"), report.percent(board["college_share"]))
    st.markdown(f"##### {t('members_heading')}")
    if not data.can_see_names():
        auth.refuse()
        return
    st.dataframe(member_table(data.member_list(board["board_id"])), hide_index=True)


def member_table(members: pl.DataFrame) -> pl.DataFrame:
    rows = [{
        t("col_name"): r["name"],
        t("col_gender"): t(f"gender_{r['gender']}") if r["gender"] else "",
        t("col_age"): r["age"],
        t("col_education"): ui.edu_label(r["education_level"]),
        t("col_role"): r["role"] if lang() == "zh" or not r["role_code"] else t(f"role_{r['role_code']}"),
        t("col_party"): ui.yes_no(r["is_party_member"]),
        t("col_continuing"): ui.yes_no(r["is_continuing"]),
    } for r in members.iter_rows(named=True)]
    return pl.DataFrame(rows, infer_schema_length=None)


def shift_row(row: dict[str, Any]) -> None:
    st.markdown(f"**{t('metric_row')} · {row['prev_term']} → {row['term']}**")
    age, college, level, status = st.columns(4)
    age.metric(t("mean_age"), report.one(row["mean_age_new"]),
               delta=report.signed(row["age_shift"]), delta_color="inverse", border=True)
    college.metric(t("college_share"), report.percent(row["college_share_new"]),
                   delta=t("pp_shift", value=report.signed(row["college_share_shift_pp"])),
                   border=True)
    level.metric(t("mean_edu_level"), report.one(row["mean_edu_level_new"]),
                 delta=report.signed(row["edu_level_shift"]), border=True)
    status.metric(t("col_status"), ui.status_label(row["status"]), border=True)
    st.markdown(f"**{t('findings')}**\n\n" + "\n".join(f"- {x}" for x in report.findings(row)))


def body_section(body: str, boards: pl.DataFrame, shifts: pl.DataFrame) -> None:
    st.subheader(t(f"body_{body}_heading"))
    mine = boards.filter(pl.col("body") == body)
    if mine.is_empty():
        st.info(t("no_rows"))
        return
    for column, board in zip(st.columns(mine.height), mine.iter_rows(named=True), strict=True):
        with column:
            board_card(board)
    rows = shifts.filter(pl.col("body") == body)
    if rows.is_empty():
        st.info(t("no_prev_board", term=mine["term"].max()))
    for row in rows.iter_rows(named=True):
        shift_row(row)


def render() -> None:
    st.title(t("page_detail"))
    f = ui.filters()
    code = pick_district(f)
    if code is None:
        st.info(t("no_rows"))
        return
    boards, shifts = data.district_boards(code), data.district_board_shifts(code)
    for body in ui.bodies(f):
        body_section(body, boards, shifts)


render()
