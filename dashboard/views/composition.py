"""班子结构 Composition: for the chosen boards, previous vs new term — age distribution,
education mix, women's and party members' shares, continuing and new members."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import charts, data, report, ui
from dashboard.i18n import t

DISTRICTS_KEY = "composition_districts"


def pick_districts(f: data.Filters) -> tuple[str, ...]:
    """The districts picked (empty = all). With more districts than a selector can usefully list
    (all subdistricts of a city), none: the page covers them all and says how to pick."""
    choices = data.districts(f.subdistrict)
    if choices.height > ui.MAX_CHOICES:
        st.caption(t("too_many_to_pick", n=choices.height))
        return ()
    names = dict(zip(choices["district_code"].to_list(), choices["district_name"].to_list(),
                     strict=True))
    kept = [c for c in st.session_state.get(DISTRICTS_KEY, []) if c in names]
    st.session_state[DISTRICTS_KEY] = kept
    return tuple(st.multiselect(t("pick_districts"), list(names), key=DISTRICTS_KEY,
                                format_func=names.__getitem__, placeholder=t("all_districts")))


def share_metric(column: Any, label: str, summary: dict[str, dict[str, Any]], key: str) -> None:
    new, prev = summary["new"][key], summary["prev"][key]
    delta = None
    if new is not None and prev is not None and summary["prev"]["members"]:
        delta = t("pp_shift", value=report.signed((new - prev) * 100))
    column.metric(label, report.percent(new), delta=delta, delta_color="off", border=True)


def count_metric(column: Any, label: str, count: int | None, members: int) -> None:
    value = "—" if count is None else t("persons", value=count)
    share = None if count is None or not members else report.percent(count / members)
    column.metric(label, value, delta=share, delta_color="off", delta_arrow="off", border=True,
                  help=t("continuing_help"))


def member_metrics(summary: dict[str, dict[str, Any]]) -> None:
    women, party, continuing, new = st.columns(4)
    share_metric(women, t("women_share"), summary, "women_share")
    share_metric(party, t("party_share"), summary, "party_share")
    members = summary["new"]["members"]
    count_metric(continuing, t("continuing"), summary["new"]["continuing"], members)
    count_metric(new, t("new_members"), summary["new"]["new"], members)


def render() -> None:
    st.title(t("page_composition"))
    f = ui.filters()
    codes = pick_districts(f)
    profile = ui.with_labels(data.member_profile(f, codes))
    if profile.filter(pl.col("side") == "new").is_empty():
        ui.explain_empty(f)
        return
    summary = data.side_summary(profile)
    st.caption(t("composition_intro", boards=summary["new"]["boards"]))
    if not summary["prev"]["members"]:
        st.info(t("no_prev_side"))
    member_metrics(summary)
    ages, education = st.columns(2, gap="medium")
    with ages:
        st.altair_chart(charts.age_distribution(profile), width="stretch")
    with education:
        mix = ui.with_labels(data.education_mix(profile))
        st.altair_chart(charts.education_mix(mix), width="stretch")


render()
