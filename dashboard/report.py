"""Numbers as people read them: one decimal, shares as %, share differences in 个百分点, and the
report sentences and reasons generated from a mart row (in the current language)."""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboard.i18n import t, texts


def one(value: float | None) -> str:
    """One decimal ("—" when unknown), rounded as the CLI's headline sentences round."""
    if value is None:
        return "—"
    text = f"{_round1(value):.1f}"
    return "0.0" if text == "-0.0" else text


def signed(value: float | None) -> str:
    """One decimal with a sign: +20.0, -2.7, 0.0."""
    if value is None:
        return "—"
    rounded = _round1(value)
    return one(value) if rounded <= 0 else f"+{rounded:.1f}"


def percent(share: float | None) -> str:
    """A fraction 0–1 as a percentage with one decimal: 0.8 → 80.0%."""
    return "—" if share is None else f"{one(share * 100)}%"


def _round1(value: float) -> float:
    return float(f"{value:.1f}")


def age_change(shift: float | None) -> str:
    if shift is None:
        return t("s_unknown")
    rounded = _round1(shift)
    if rounded < 0:
        return t("s_age_down", value=one(-shift))
    return t("s_age_up", value=one(shift)) if rounded > 0 else t("s_age_same")


def edu_change(shift_pp: float | None) -> str:
    if shift_pp is None:
        return t("s_unknown")
    rounded = _round1(shift_pp)
    if rounded > 0:
        return t("s_edu_up", value=one(shift_pp))
    return t("s_edu_down", value=one(-shift_pp)) if rounded < 0 else t("s_edu_same")


def sentence(row: dict[str, Any]) -> str:
    """The report sentence for one one_down_one_up_rollup row, e.g. "…新一届居民区党组织成员平均
    年龄46.7岁，较上届下降2.8岁；大专及以上学历占75.8%，提高8.8个百分点。"."""
    age = row["mean_age_new"]
    return t(
        "sentence",
        subdistrict=t("s_subdistrict", name=row["subdistrict"]) if row["subdistrict"] else "",
        term=row["term"], body=t(f"body_{row['body']}_long"),
        n=row["districts"], k=row["districts_one_down_one_up"],
        age=t("s_unknown") if age is None else t("s_age", value=one(age)),
        age_change=age_change(row["age_shift"]),
        college=percent(row["college_share_new"]), edu_change=edu_change(row["college_share_shift_pp"]),
    )


def shortfall(row: dict[str, Any]) -> str:
    """Why a one_down_one_up row is not 一降一升 ("" when it is)."""
    return _shortfall(texts(), row["age_down"], row["edu_up"], row["age_shift"],
                      row["college_share_shift_pp"])


def shortfalls(rows: pl.DataFrame) -> pl.Series:
    """shortfall() of every row of a one_down_one_up frame, looking the language up once (a
    city has ~12,000 rows)."""
    words = texts()
    columns = (rows[c].to_list() for c in ("age_down", "edu_up", "age_shift",
                                            "college_share_shift_pp"))
    return pl.Series("why", [_shortfall(words, *values) for values in zip(*columns, strict=True)],
                     dtype=pl.String)


def _shortfall(words: dict[str, str], age_down: bool | None, edu_up: bool | None,
               shift: float | None, pp: float | None) -> str:
    parts = []
    if not age_down:
        parts.append(words["why_age_unknown"] if shift is None else
                     words["why_age_up"].format(value=one(shift)) if _round1(shift) > 0
                     else words["why_age_same"])
    if not edu_up:
        parts.append(words["why_edu_unknown"] if pp is None else
                     words["why_edu_down"].format(value=one(-pp)) if _round1(pp) < 0
                     else words["why_edu_same"])
    return words["why_sep"].join(parts)


def findings(row: dict[str, Any]) -> list[str]:
    """The district detail's findings for one one_down_one_up row: age, education, result."""
    return [_age_finding(row), _edu_finding(row),
            t("finding_status", status=t(f"status_{row['status']}"))]


def _age_finding(row: dict[str, Any]) -> str:
    prev, new, shift = row["mean_age_prev"], row["mean_age_new"], row["age_shift"]
    if shift is None:
        return t("finding_unknown")
    key = "finding_age_down" if _round1(shift) < 0 else (
        "finding_age_up" if _round1(shift) > 0 else "finding_age_same")
    return t(key, prev=one(prev), new=one(new), value=one(abs(shift)))


def _edu_finding(row: dict[str, Any]) -> str:
    prev, new, pp = row["college_share_prev"], row["college_share_new"], row["college_share_shift_pp"]
    if pp is None:
        return t("finding_unknown")
    key = "finding_edu_up" if _round1(pp) > 0 else (
        "finding_edu_down" if _round1(pp) < 0 else "finding_edu_same")
    return t(key, prev=percent(prev), new=percent(new), value=one(abs(pp)))
