"""The dashboard's 结构, 选举 and 进度 pages and the sign-in for names (issue 5), under AppTest.

Two databases: the hand-checked fixture of test_pipeline.py (conftest `fixture_db`: structure
checks and roster differences with names) and the demo data in raw/ (built here by
`boardshift run`, then the progress models again with the as-of date 2026-11-25, as
test_elections_progress.py does). Numbers are read independently from the raw demo files where
they can be (elections.csv, 候选人_2021.csv, 进度_2026.xlsx)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, charts, data, ui
from pipelines import report, scale_data
from tests.conftest import build_database
from tests.test_dashboard_pages import (
    APP,
    chart_data,
    configure_password,
    metric,
    sign_in,
    texts,
)
from tests.test_elections_progress import dbt

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
AS_OF = dt.date(2026, 11, 25)
SUB = "长风新村街道"
OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                 "cookie_secret": "test-cookie-secret", "client_id": "boardshift",
                 "client_secret": "x",
                 "server_metadata_url": "https://sso.example.invalid/.well-known/openid-configuration"}}


@pytest.fixture(autouse=True)
def _no_sign_in_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(auth.HASH_ENV, raising=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`boardshift run` on raw/, then the progress models as of 2026-11-25."""
    root = tmp_path_factory.mktemp("demo")
    db = root / "data" / "demo.duckdb"
    proc = build_database(RAW, db, root / "exports")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = dbt("build", db, root / "dbt", "--select", "int_progress_weeks+",
               "--vars", f'{{as_of_date: "{AS_OF}"}}')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db


def start(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, *, lang: str = "zh",
          secrets: dict[str, Any] | None = None, user: dict[str, Any] | None = None,
          **state: object) -> AppTest:
    monkeypatch.setenv(data.DB_ENV, str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    if secrets is not None:
        at.secrets = secrets
    if user is not None:
        at.user = user
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_names(at: AppTest) -> set[str]:
    names: set[str] = set()
    for frame in (d.value for d in at.dataframe):
        for column in ("姓名", "Name"):
            if column in frame.columns:
                names |= set(frame[column])
    return names


# ------------------------------------------------------------------ every new page
@pytest.mark.parametrize("page", ["structure", "elections", "progress"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_new_pages_render(demo_db: Path, monkeypatch: pytest.MonkeyPatch, page: str,
                          lang: str) -> None:
    at = start(demo_db, monkeypatch, page, lang=lang)
    titles = {"structure": ("结构", "Structure"), "elections": ("选举", "Elections"),
              "progress": ("进度", "Progress")}[page]
    assert at.title[0].value == titles[lang == "en"]


@pytest.mark.parametrize("page", ["structure", "elections", "progress"])
def test_new_pages_empty_states(fixture_db: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = start(tmp_path / "missing.duckdb", monkeypatch, page)
    assert "还没有数据库" in at.info[0].value
    # the fixture has no residents' committee in 2018 and no milestones at all
    at = start(fixture_db, monkeypatch, page, f_term=2018, f_body="residents")
    expected = {"structure": "没有违反结构规则的班子", "elections": "没有选举数据",
                "progress": "还没有换届进度数据"}[page]
    assert expected in texts(at)


# ------------------------------------------------------------------ 结构 Structure
def test_structure_page_demo_numbers(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(demo_db, monkeypatch, "structure", f_term=2021)
    # 14 of the 19 districts with both boards have 一肩挑 (5 of 19 in 2018): 73.7%, +47.4 pp
    assert metric(at, "书记、主任“一肩挑”比例") == ("73.7%", "+47.4 个百分点")
    shown = texts(at)
    assert "两委俱全的 19 个居民区中 14 个" in shown
    assert "两委成员 215 人中 51 人" in shown  # 交叉任职 51 people
    assert metric(at, "交叉任职比例")[0] == f"{51 / 215 * 100:.1f}%"
    assert metric(at, "书记平均年龄") == ("44.8 岁", "-6.0 岁")
    # per body: women, 连任/新进 (party 2021: 123 members, 51 new)
    assert metric(at, "新进", 0) == ("51 人", "41.5%")
    measure_tables = [d.value for d in at.dataframe if "指标" in d.value.columns]
    assert len(measure_tables) == 2
    party, residents = measure_tables
    assert "党员（居委会）" not in set(party["指标"]) and "党员（居委会）" in set(residents["指标"])
    assert {"35岁及以下", "本科及以上", "高中(中专)及以上"} <= set(party["指标"])
    (district_table,) = [d.value for d in at.dataframe if "一肩挑" in d.value.columns]
    assert len(district_table) == 19 and (district_table["一肩挑"] == "是").sum() == 14
    # the paragraph is pipelines.report's, word for word
    with closing(duckdb.connect(str(demo_db), read_only=True)) as con:
        paragraph = report.subdistrict_report(con, SUB, 2021)
    assert [c.value for c in at.code] == [paragraph]
    assert "书记、主任“一肩挑”比例达73.7%，比上届提高47.4个百分点" in paragraph

    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert metric(at, "Secretary also director (一肩挑)") == ("73.7%", "+47.4 pp")


def test_structure_checks_table(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(fixture_db, monkeypatch, "structure", f_term=2021)
    (checks,) = [d.value for d in at.dataframe if "规则" in d.value.columns]
    got = {(r["居民区"], r["规则"], r["依据"], r["实际"]) for _, r in checks.iterrows()}
    assert got == {
        ("甲居民区", "委员候选人的差额不少于应选人数的20%", "《中国共产党基层组织选举工作条例》第十三条", 2),
        ("甲居民区", "居民委员会由主任、副主任和委员共五至九人组成", "《城市居民委员会组织法》第七条", 1),
    }


# ------------------------------------------------------------------ 选举 Elections
def _raw_elections(body: str, term: int) -> dict[str, float]:
    """Pooled figures from the raw demo files, without the pipeline."""
    with (RAW / "elections.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["body"] == body and int(r["term"]) == term]
    body_zh = {"party": "居民区党组织", "residents": "居民委员会"}[body]
    with (RAW / f"候选人_{term}.csv").open(encoding="utf-8-sig", newline="") as fh:
        candidates = [r for r in csv.DictReader(fh)
                      if r["组织类型"] == body_zh and int(r["换届年份"]) == term]
    seats = sum(int(r["seats"]) for r in rows)
    return {"seats": seats, "candidates": len(candidates),
            "margin": (len(candidates) - seats) / seats,
            "turnout": sum(int(r["ballots_cast"]) for r in rows)
            / sum(int(r["registered_voters"]) for r in rows),
            "elections": len(rows)}


def test_elections_page_demo_numbers(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _raw_elections("party", 2021)
    at = start(demo_db, monkeypatch, "elections", f_term=2021, f_body="party")
    assert metric(at, "差额比例") == (
        f"{expected['margin'] * 100:.1f}%",
        f"应选 {expected['seats']} 人，候选 {expected['candidates']} 人")
    assert metric(at, "参选率")[0] == f"{expected['turnout'] * 100:.1f}%"
    n = expected["elections"]
    assert metric(at, "符合20%差额规定的选举")[0] == f"{n} / {n}"
    (table,) = [d.value for d in at.dataframe]
    assert len(table) == n
    assert {"margin", "rule", "turnout", "min_vote", "mean_vote", "unanimous"} <= set(table.columns)
    assert (table["rule"] == "是").all()
    assert "当选名单与班子名单一致" in texts(at)


def test_elections_roster_names_need_sign_in(fixture_db: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # fixture: 0001 party 2021 has 2 candidates for 4 seats; 孙六 周七 吴八 were never candidates
    at = start(fixture_db, monkeypatch, "elections", f_term=2021, f_body="party")
    assert "班子成员中未作为候选人的 3 人" in texts(at)
    assert "成员姓名需要登录后查看" in texts(at) and not shown_names(at)
    (table,) = [d.value for d in at.dataframe]  # the per-district table still shows
    assert table.loc[table["margin"].notna(), "margin"].tolist() == [-50.0]
    assert table["rule"].tolist().count("否") == 1
    with pytest.raises(PermissionError):
        data.roster_differences(data.Filters(term=2021))

    configure_password(monkeypatch)
    at = sign_in(start(fixture_db, monkeypatch, "elections", f_term=2021, f_body="party"))
    assert shown_names(at) == {"孙六", "周七", "吴八"}


# ------------------------------------------------------------------ 进度 Progress
def _raw_milestones() -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(RAW / "进度_2026.xlsx", read_only=True)
    rows = list(book.active.values)
    head = list(rows[1])
    out = [dict(zip(head, r, strict=True)) for r in rows[2:] if r[0]]
    for r in out:
        r["计划日期"] = r["计划日期"].date() if r["计划日期"] else None
        r["完成日期"] = r["完成日期"].date() if r["完成日期"] else None
    return out


def _late(status_date: dt.date, body_zh: str) -> dict[str, int]:
    """(district, stage) → days late as of status_date, from the raw file."""
    return {(r["居民区代码"], r["阶段"]): (status_date - r["计划日期"]).days
            for r in _raw_milestones()
            if r["组织类型"] == body_zh and r["计划日期"] and r["计划日期"] < status_date
            and (r["完成日期"] is None or r["完成日期"] > status_date)}


def test_progress_wall_chart_as_of(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    late = _late(AS_OF, "居民委员会")
    assert late and {stage for _, stage in late} == {"提名初步候选人"}
    # the global term filter lists board terms only (2018, 2021); the page offers 2026
    at = start(demo_db, monkeypatch, "progress", progress_body="residents")
    assert at.sidebar.selectbox(key="f_term").options == ["2018", "2021"]
    assert at.selectbox(key="progress_term").value == 2026
    assert at.selectbox(key="progress_week").value == dt.date(2026, 11, 29)  # the latest
    assert metric(at, "逾期")[0] == str(len(late))
    assert at.get("vega_lite_chart") and at.download_button
    (summary,) = [d.value for d in at.dataframe]
    row = summary[summary["阶段"] == "提名初步候选人"].iloc[0]
    assert (row["逾期"], row["最多逾期(天)"]) == (len(late), max(late.values()))
    assert "打印" in texts(at)

    # the downloadable HTML: one vermillion cell per late stage, with its days late
    cells = ui.progress_labels(data.progress_cells(2026, "residents", None, None))
    html = charts.wall_chart_html(cells, "挂图")
    assert html.count('class="late"') == len(late)
    assert sorted(int(d) for d in re.findall(r"逾期(\d+)天", html)) == sorted(late.values())
    assert charts.PROGRESS_COLORS["late"] in html


def test_progress_earlier_week_and_english(demo_db: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(demo_db, monkeypatch, "progress", progress_body="residents")
    weeks = at.selectbox(key="progress_week").options
    assert len(weeks) == 10  # 2026-09-27 … 2026-11-29
    week = dt.date(2026, 11, 15)
    at.selectbox(key="progress_week").set_value(week).run()
    assert not at.exception
    assert metric(at, "逾期")[0] == str(len(_late(week, "居民委员会")))
    done = sum(1 for r in _raw_milestones() if r["组织类型"] == "居民委员会"
               and r["完成日期"] is not None and r["完成日期"] <= week)
    assert metric(at, "已完成")[0] == str(done)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert metric(at, "Late")[0] == str(len(_late(week, "居民委员会")))
    (summary,) = [d.value for d in at.dataframe]
    assert summary["Stage"].tolist() == ["election committee", "voter registration",
                                         "preliminary candidates", "formal candidates", "voting"]


@pytest.fixture(scope="module")
def district_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic district office (pipelines.scale_data: 300 districts in 16 subdistricts, its
    coming round in progress) built as of the generator's progress date."""
    root = tmp_path_factory.mktemp("district")
    scale_data.write_scale(root / "raw", "district", seed=7)
    db = root / "data" / "district.duckdb"
    proc = build_database(root / "raw", db, root / "exports", as_of=scale_data.PROGRESS_AS_OF)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db


def _charted_districts(at: AppTest) -> set[str]:
    (chart,) = at.get("vega_lite_chart")
    return {name for frame in chart_data(chart) for name in frame["district_name"]}


def test_progress_chart_pages_a_district_office(district_db: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """300 districts: the counts and the printable wall chart hold them all, the chart a page of
    ten subdistricts at a time; or only the districts with a late stage."""
    with closing(duckdb.connect(str(district_db), read_only=True)) as con:
        wall = con.sql("select district_code, district_name, subdistrict, status "
                       "from progress_wall_chart where body = 'party'").pl()
    subdistricts = wall["subdistrict"].unique(maintain_order=True).to_list()
    assert wall["district_code"].n_unique() == 300 and len(subdistricts) > ui.PAGE_SIZE
    at = start(district_db, monkeypatch, "progress", progress_body="party")
    assert metric(at, "逾期")[0] == str((wall["status"] == "late").sum())
    first_page = set(wall.filter(pl.col("subdistrict").is_in(subdistricts[:ui.PAGE_SIZE]))
                     ["district_name"])
    assert _charted_districts(at) == first_page
    assert "共 300 个" in texts(at)
    pages = at.selectbox(key="progress_page")
    pages.set_value(pages.options[1]).run()  # the next ten subdistricts
    assert not at.exception
    second = set(wall.filter(pl.col("subdistrict").is_in(subdistricts[ui.PAGE_SIZE:2 * ui.PAGE_SIZE]))
                 ["district_name"])
    assert _charted_districts(at) == second
    at.checkbox(key="progress_late_only").check().run()
    assert not at.exception
    late = wall.filter(pl.col("district_code").is_in(
        wall.filter(pl.col("status") == "late")["district_code"].implode()))
    assert 0 < late["district_code"].n_unique() <= 100  # one chart, no pages
    assert _charted_districts(at) == set(late["district_name"])
    assert "progress_page" not in {box.key for box in at.selectbox}


def test_wall_chart_keeps_districts_that_share_a_name() -> None:
    """Two 新村 of different subdistricts: a row each (with its code), in the chart and the HTML."""
    day = dt.date(2026, 11, 1)
    cells = pl.DataFrame({
        "district_code": ["0101", "0207", "0300"], "district_name": ["新村", "新村", "东苑"],
        "stage_label": ["准备"] * 3, "stage_order": [1] * 3, "status": ["done", "late", "done"],
        "status_label": ["已完成", "逾期", "已完成"], "cell_text": ["已完成", "逾期3天", "已完成"],
        "planned_date": [day] * 3, "actual_date": [day, None, day]})
    html = charts.wall_chart_html(cells, "挂图")
    assert "新村（0101）" in html and "新村（0207）" in html and "逾期3天" in html
    assert "东苑（" not in html and html.count("<tr>") == 4  # the header row and one per district
    spec = charts.wall_chart(cells, "挂图").to_dict()
    rows = [r for rows in spec["datasets"].values() for r in rows]
    assert {r["row_label"] for r in rows} == {"新村（0101）", "新村（0207）", "东苑"}


# ------------------------------------------------------------------ sign-in
def test_names_refused_without_configuration(fixture_db: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(fixture_db, monkeypatch, "district_detail", detail_district="0001")
    assert not at.dataframe
    shown = texts(at)
    assert "尚未配置登录" in shown and auth.HASH_ENV in shown
    assert "python -m dashboard.auth hash" in shown
    assert metric(at, "人数")[0] == "3"  # the rest of the page still works (party 2018: 3)


def test_password_sign_in(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure_password(monkeypatch, "right-一")
    at = start(fixture_db, monkeypatch, "district_detail", detail_district="0001")
    assert not at.dataframe and "请在左侧输入看板密码登录" in texts(at)
    sign_in(at, "wrong")
    assert not at.dataframe and "密码不正确" in texts(at)
    sign_in(at, "right-一")
    assert "张一" in shown_names(at) and "密码不正确" not in texts(at)
    at.switch_page("views/elections.py").run()  # signed in for the session, on every page
    assert shown_names(at) == {"孙六", "周七", "吴八"}
    at.sidebar.button(key="auth_logout").click().run()
    assert not shown_names(at)


def test_password_hash_in_secrets(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {"boardshift": {"password_hash": auth.make_hash("s3cret", iterations=1_000)}}
    at = start(fixture_db, monkeypatch, "district_detail", secrets=secrets,
               detail_district="0001")
    assert not at.dataframe
    sign_in(at, "s3cret")
    assert "张一" in shown_names(at)


def test_oidc_sign_in(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure_password(monkeypatch)  # an [auth] section wins over the password
    at = start(fixture_db, monkeypatch, "district_detail", secrets=OIDC,
               user={"is_logged_in": False}, detail_district="0001")
    assert not at.dataframe and "请点击左侧的“登录”按钮" in texts(at)
    assert at.sidebar.button(key="auth_login").label == "登录"  # never clicked: no real OIDC
    assert not at.sidebar.text_input  # no password field
    at = start(fixture_db, monkeypatch, "district_detail", secrets=OIDC,
               user={"is_logged_in": True, "name": "王审核", "email": "w@example.gov.cn"},
               detail_district="0001")
    assert "张一" in shown_names(at)
    assert "已登录：王审核" in texts(at)


def test_hash_format_and_cli(monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    encoded = auth.make_hash("pw", iterations=1_000, salt=b"\x01" * 16)
    scheme, iterations, salt, digest = encoded.split("$")
    assert (scheme, iterations, salt, len(digest)) == ("pbkdf2_sha256", "1000", "01" * 16, 64)
    assert auth.verify("pw", encoded) and not auth.verify("pW", encoded)
    for bad in ("", "pw", "md5$1$00$00", "pbkdf2_sha256$x$00$00", "pbkdf2_sha256$1000$zz$00"):
        assert not auth.verify("pw", bad)
    assert auth.make_hash("pw") != auth.make_hash("pw")  # salted
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": "口令")
    assert auth.main(["hash"]) == 0
    assert auth.verify("口令", capsys.readouterr().out.strip())
    assert auth.main([]) == 2
    proc = subprocess.run([sys.executable, "-m", "dashboard.auth"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "python -m dashboard.auth hash" in proc.stderr
