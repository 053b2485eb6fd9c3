"""Pieces every page shares: the sidebar (language, filters kept in st.session_state across
pages), labels for codes, and the empty-state messages."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import data
from dashboard.i18n import LANG_KEY, LANG_NAMES, LANGS, lang, t

ALL = "__all__"
BODIES = ("party", "residents")
TERM_KEY, BODY_KEY, SUB_KEY = "f_term", "f_body", "f_sub"


# ------------------------------------------------------------------ sidebar
def language_switch() -> None:
    st.session_state.setdefault(LANG_KEY, "zh")
    st.sidebar.radio(t("language"), LANGS, key=LANG_KEY, format_func=LANG_NAMES.__getitem__,
                     horizontal=True)


def filter_sidebar() -> None:
    """Term, body and subdistrict. Their values live in st.session_state under fixed keys and
    this runs on every page, so a choice made on one page holds on the others."""
    terms = data.terms()
    if not terms:
        raise data.DataUnavailable("no_marts")
    subs = [ALL, *data.subdistricts()]
    _keep_valid(TERM_KEY, terms, terms[-1])
    _keep_valid(BODY_KEY, [ALL, *BODIES], ALL)
    _keep_valid(SUB_KEY, subs, ALL)
    # labels as dicts made now, not functions calling t() later: the format function must give
    # the same text whenever Streamlit calls it again
    body_names = {ALL: t("all_bodies"), **{b: body_label(b) for b in BODIES}}
    sub_names = {s: subdistrict_label(s) for s in subs}
    with st.sidebar:
        st.subheader(t("filters"))
        st.selectbox(t("f_term"), terms, key=TERM_KEY)
        st.selectbox(t("f_body"), list(body_names), key=BODY_KEY,
                     format_func=body_names.__getitem__)
        st.selectbox(t("f_subdistrict"), subs, key=SUB_KEY, format_func=sub_names.__getitem__)
        st.caption(t("db_caption", path=data.db_path()))


def _keep_valid(key: str, options: list[Any], default: Any) -> None:
    """Keep a selector's value if it is one of its options, else `default` — written back on
    every run, so the browser is told the value every time (Streamlit sends a value set through
    st.session_state only on the run that sets it: a page link clicked before the first run's
    sidebar arrived left the term selector showing its first option while pages used the last)."""
    value = st.session_state.get(key)
    st.session_state[key] = value if value in options else default


PAGE_SIZE = 10  # subdistricts per page where a page shows a block per subdistrict
MAX_CHOICES = 500  # districts one selector lists at most (a city has ~6,000)


def page_of(subdistricts: list[str], key: str, size: int = PAGE_SIZE) -> list[str]:
    """The subdistricts to show in detail: all of them when they fit on one page, else the page
    chosen in a selector (kept in st.session_state[key]) — a city has hundreds of subdistricts,
    and a block of cards per subdistrict for all of them is thousands of elements per run."""
    if len(subdistricts) <= size:
        return subdistricts
    starts = list(range(0, len(subdistricts), size))
    _keep_valid(key, starts, 0)
    labels = {start: t("page_range", first=start + 1,
                       last=min(start + size, len(subdistricts)),
                       first_name=subdistrict_label(subdistricts[start]),
                       last_name=subdistrict_label(subdistricts[min(start + size,
                                                                    len(subdistricts)) - 1]))
              for start in starts}
    start = st.selectbox(t("page_pick", n=len(subdistricts), size=size), starts, key=key,
                         format_func=labels.__getitem__)
    return subdistricts[start:start + size]


def filters() -> data.Filters:
    body = st.session_state.get(BODY_KEY, ALL)
    sub = st.session_state.get(SUB_KEY, ALL)
    return data.Filters(term=st.session_state[TERM_KEY], body=None if body == ALL else body,
                        subdistrict=None if sub == ALL else sub)


def bodies(f: data.Filters) -> tuple[str, ...]:
    return BODIES if f.body is None else (f.body,)


# ------------------------------------------------------------------ labels
def body_label(body: str) -> str:
    return t(f"body_{body}")


def status_label(status: str) -> str:
    return t(f"status_{status}")


def side_label(side: str) -> str:
    return t(f"side_{side}")


def edu_label(level: int | None) -> str:
    return t(f"edu_{level}") if level else t("edu_unknown")


def subdistrict_label(sub: str) -> str:
    if sub == ALL:
        return t("all_subdistricts")
    return sub or t("no_subdistrict")


def yes_no(value: bool | None) -> str:
    return "" if value is None else t("yes" if value else "no")


def yes_no_expr(column: str) -> pl.Expr:
    """yes_no() of a boolean column, as a polars expression (tables of thousands of rows)."""
    flag = pl.col(column)
    return (pl.when(flag).then(pl.lit(t("yes"))).when(flag.not_()).then(pl.lit(t("no")))
            .otherwise(pl.lit("")).alias(column))


def formatted(column: str, text: Any) -> pl.Expr:
    """`text(value)` of every value of a column, calling `text` once per distinct value (the
    dashboard's own number formats — report.percent, report.one — on thousands of rows)."""
    return pl.col(column).map_batches(
        lambda values: values.replace_strict(
            {v: text(v) for v in values.unique().to_list()}, return_dtype=pl.String),
        return_dtype=pl.String)


def with_labels(frame: pl.DataFrame) -> pl.DataFrame:
    """Add body_label / status_label / side_label / education_label for the codes present."""
    labels = {
        "body": ("body_label", body_label), "status": ("status_label", status_label),
        "side": ("side_label", side_label), "education_level": ("education_label", edu_label),
    }
    for col, (name, label) in labels.items():
        if col in frame.columns:
            mapping = {v: label(v) for v in frame[col].drop_nulls().unique().to_list()}
            frame = frame.with_columns(pl.col(col).replace_strict(
                mapping, default=label(None) if col == "education_level" else None,
                return_dtype=pl.String).alias(name))
    return frame


# ------------------------------------------------------------------ progress cells
def stage_label(code: str, label_zh: str) -> str:
    """A stage's name: stage_label_zh in Chinese, the contract's English name in English."""
    return label_zh if lang() == "zh" else data.stage_names_en().get(code, code)


def progress_labels(cells: pl.DataFrame) -> pl.DataFrame:
    """Add stage_label (Chinese, or the English stage name), status_label and cell_text (the
    status, with the days late, or done late) to progress cells, for the wall chart and its HTML.
    Column expressions over labels looked up once: a city's wall chart has ≈ 30,000 cells."""
    statuses = {s: t(f"prog_{s}") for s in data.PROGRESS_STATUSES}
    stages = {code: stage_label(code, zh)
              for code, zh in cells.select("stage", "stage_label_zh").unique().iter_rows()}
    status_label = pl.col("status").replace_strict(statuses, default=pl.col("status"),
                                                   return_dtype=pl.String)
    cell_text = (
        pl.when((pl.col("status") == "late") & pl.col("days_late").is_not_null())
        .then(pl.format(t("cell_late", days="{}"), "days_late"))
        .when((pl.col("status") == "done") & (pl.col("days_done_late").fill_null(0) > 0))
        .then(pl.format(t("cell_done_late", days="{}"), "days_done_late"))
        .otherwise(status_label))
    return cells.with_columns(
        pl.col("stage").replace_strict(stages, default=pl.col("stage"), return_dtype=pl.String)
        .alias("stage_label"),
        status_label.alias("status_label"), cell_text.alias("cell_text"))


# ------------------------------------------------------------------ empty states
def unavailable(exc: data.DataUnavailable) -> None:
    """No database, or no marts in it: a message in place of the page."""
    st.info(t(exc.key, **exc.fields))


def explain_empty(f: data.Filters, body: str | None = None) -> None:
    """Nothing to compare: either the filters select no boards at all, or the boards they select
    have no previous term."""
    counts = data.board_counts(f)
    chosen = [body] if body else list(bodies(f))
    if not any(counts.get(b, 0) for b in chosen):
        st.info(t("no_rows"))
        return
    for b in chosen:
        if counts.get(b, 0):
            st.info(t("no_prev", body=t(f"body_{b}_long"), term=f.term))
