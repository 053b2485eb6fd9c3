"""Every dashboard page under streamlit.testing.v1.AppTest, on a database built by the real
pipeline from the hand-checked fixture (figures worked out in test_pipeline.py)."""

from __future__ import annotations

import io
import json
import re
import shutil
from contextlib import closing
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import auth, data, ui
from pipelines import cli, exports, run

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
PAGES = ("overview", "districts", "composition", "district_detail", "structure", "elections",
         "progress", "data_quality", "sql_console", "exports")
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
PASSWORD = "换届2026-test"


@pytest.fixture(autouse=True)
def _no_sign_in_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with no local password configured (whatever the shell has)."""
    monkeypatch.delenv(auth.HASH_ENV, raising=False)


def configure_password(monkeypatch: pytest.MonkeyPatch, password: str = PASSWORD) -> None:
    """The local-password sign-in, with a hash made here (few iterations: fast)."""
    monkeypatch.setenv(auth.HASH_ENV, auth.make_hash(password, iterations=1_000))


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    """Type the password into the sidebar form and submit it."""
    at.sidebar.text_input(key=auth.PASSWORD_KEY).input(password)
    at.sidebar.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def start(db: Path, monkeypatch: pytest.MonkeyPatch, page: str = "overview",
          **state: object) -> AppTest:
    monkeypatch.setenv(data.DB_ENV, str(db))
    at = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything a reader sees as text: titles, metrics, markdown, messages, code."""
    parts: list[str] = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error",
                 "success", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    return "\n".join(parts)


def metric(at: AppTest, label: str, index: int = 0) -> tuple[str, str]:
    found = [m for m in at.metric if m.label == label]
    return found[index].value, found[index].delta


# ------------------------------------------------------------------ every page renders
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(fixture_db: Path, monkeypatch: pytest.MonkeyPatch,
                                               page: str) -> None:
    at = start(fixture_db, monkeypatch, page)
    assert at.title[0].value
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]


# ------------------------------------------------------------------ overview
def test_overview_headline_numbers(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(fixture_db, monkeypatch)
    assert at.title[0].value == "总览"
    assert metric(at, "实现一降一升的居民区") == ("1 / 2", "")
    assert metric(at, "平均年龄（本届）") == ("43.7 岁", "-2.7 岁")
    assert metric(at, "大专及以上占比（本届）") == ("80.0%", "+20.0 个百分点")
    assert metric(at, "成员人数（本届）") == ("6 人", "上届 5 人")
    (sentence,) = [c.value for c in at.code]
    assert sentence == ("测试街道2021年居民区党组织换届：2个居民区中1个实现“一降一升”。"
                        "新一届居民区党组织成员平均年龄43.7岁，较上届下降2.7岁；"
                        "大专及以上学历占80.0%，提高20.0个百分点。")
    shown = texts(at)
    assert "乙居民区" in shown and "上升13.5岁" in shown and "下降50.0个百分点" in shown
    # the residents' committee exists only in 2021: no previous term, a message, no traceback
    assert "居民委员会 2021 年没有上一届班子可比较" in shown


def test_language_switch_changes_labels(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(fixture_db, monkeypatch)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Overview"
    assert metric(at, "Districts with one down, one up") == ("1 of 2", "")
    assert metric(at, "Mean age (new)") == ("43.7 yrs", "-2.7 yrs")
    assert metric(at, "College or above (new)") == ("80.0%", "+20.0 pp")
    assert "down 2.7 years" in at.code[0].value
    assert "up 20.0 percentage points" in at.code[0].value
    assert at.sidebar.selectbox(key="f_body").label == "Body"
    # the choice holds on other pages, and switching back restores Chinese
    at.switch_page("views/districts.py").run()
    assert at.title[0].value == "Districts"
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == "居民区对比"


def test_filters_are_kept_across_pages(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(fixture_db, monkeypatch)
    at.sidebar.selectbox(key="f_body").set_value("party").run()
    at.sidebar.selectbox(key="f_term").set_value(2018).run()
    at.switch_page("views/composition.py").run()
    assert at.sidebar.selectbox(key="f_body").value == "party"
    assert at.sidebar.selectbox(key="f_term").value == 2018
    at.switch_page("views/overview.py").run()
    assert at.session_state["f_term"] == 2018 and at.session_state["f_body"] == "party"


# ------------------------------------------------------------------ empty states
@pytest.mark.parametrize("page", PAGES)
def test_no_database_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = start(tmp_path / "missing.duckdb", monkeypatch, page)
    assert "还没有数据库" in at.info[0].value
    assert "boardshift run" in at.info[0].value


def test_filter_with_no_rows(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no residents' committee was elected in 2018 in the fixture
    for page in ("overview", "districts", "composition"):
        at = start(fixture_db, monkeypatch, page, f_term=2018, f_body="residents")
        assert "当前筛选条件下没有数据" in texts(at), page


def test_board_with_no_previous_term(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in ("overview", "districts", "composition"):
        at = start(fixture_db, monkeypatch, page, f_term=2021, f_body="residents")
        shown = texts(at)
        assert ("没有上一届" in shown), page
    at = start(fixture_db, monkeypatch, "district_detail", f_body="residents",
               detail_district="0001")
    assert "2021 年是该班子的第一届" in texts(at)


# ------------------------------------------------------------------ the other pages
def test_districts_table_and_chart(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(fixture_db, monkeypatch, "districts")
    (table,) = at.dataframe
    frame = table.value
    assert len(frame) == 2
    assert sorted(frame["district_name"]) == ["乙居民区", "甲居民区"]
    assert sorted(frame["age_shift"]) == [-12.4, 13.5]
    assert sorted(frame["status_badge"].map(tuple)) == [("neither",), ("one_down_one_up",)]
    assert at.get("vega_lite_chart"), "the quadrant chart"


def test_composition_party_2021(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(fixture_db, monkeypatch, "composition", f_body="party")
    # new boards: 李二 孙六 周七 吴八 赵四 郑九; the ID numbers make 李二 and 孙六 the women
    # (郑九 typed 女, but a valid ID decides): 2/6; party 5/6 (吴八 群众); continuing 李二 赵四.
    # previous: 张一 李二 王三 赵四 钱五: women 2/5 (李二 钱五), party 5/5 (钱五 预备党员)
    assert metric(at, "女性占比") == ("33.3%", "-6.7 个百分点")
    assert metric(at, "党员占比") == ("83.3%", "-16.7 个百分点")
    assert metric(at, "连任")[0] == "2 人" and metric(at, "新进")[0] == "4 人"
    assert len(at.get("vega_lite_chart")) == 2


def test_district_detail_members_without_id_numbers(fixture_db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    configure_password(monkeypatch)
    at = sign_in(start(fixture_db, monkeypatch, "district_detail", detail_district="0001"))
    tables = [t.value for t in at.dataframe]
    assert len(tables) == 3  # party 2018, party 2021, residents 2021
    names = [set(t["姓名"]) for t in tables]
    assert names[0] == {"张一", "李二", "王三"} and "周七" in names[1]
    for frame in tables:
        assert not any(ID_NUMBER.search(str(v)) for v in frame.to_numpy().ravel())
    shown = texts(at)
    assert "平均年龄由52.7岁降至40.2岁，下降12.4岁。" in shown
    assert "提高66.7个百分点" in shown and "结果：一降一升。" in shown


def test_member_list_is_behind_can_see_names(fixture_db: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "can_see_names", lambda: False)
    at = start(fixture_db, monkeypatch, "district_detail", detail_district="0001")
    assert not at.dataframe
    assert "成员姓名需要登录后查看" in texts(at)
    with pytest.raises(PermissionError):
        data.member_list("0001|party|2021")


def test_data_quality(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # not signed in: the per-file counts only (the quarantined rows quote names as typed)
    at = start(fixture_db, monkeypatch, "data_quality")
    assert len(at.dataframe) == 1 and "登录" in texts(at)
    configure_password(monkeypatch)
    at = sign_in(start(fixture_db, monkeypatch, "data_quality"))
    report, quarantine, findings = (t.value for t in at.dataframe)
    assert len(report) == 5 and len(quarantine) == 8 and len(findings) >= 1
    assert "missing_term" in set(quarantine["reason_code"])
    assert (report["rows_loaded"] + report["rows_quarantined"] == report["rows_read"]).all()
    assert "最近一次成功构建" in texts(at)


def test_sql_console(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # without sign-in the console refuses: it could read the member-level tables (names)
    at = start(fixture_db, monkeypatch, "sql_console")
    assert not at.text_area and "登录" in texts(at)
    configure_password(monkeypatch)
    at = sign_in(start(fixture_db, monkeypatch, "sql_console"))
    at.text_area(key="sql_text").input(
        "select district_name, status from one_down_one_up order by district_code")
    at.main.button[0].click().run()
    (result,) = at.dataframe
    assert result.value["status"].tolist() == ["one_down_one_up", "neither"]
    assert at.download_button  # the result as CSV
    for refused in ("select * from read_csv('/etc/passwd')",
                    "create table main.x as select 1", "copy (select 1) to '/tmp/x.csv'"):
        at.text_area(key="sql_text").input(refused)
        at.main.button[0].click().run()
        assert at.error and "查询失败" in at.error[0].value, refused
        assert not at.exception


def test_exports_page_and_bytes(fixture_db: Path, monkeypatch: pytest.MonkeyPatch,
                                tmp_path: Path) -> None:
    at = start(fixture_db, monkeypatch, "exports")  # not signed in: the marts only
    marts_only = [s for s, (schema, _) in exports.TABLES.items() if schema == "main"]
    assert len(at.download_button) == len(marts_only) < len(exports.TABLES)
    configure_password(monkeypatch)
    at = sign_in(start(fixture_db, monkeypatch, "exports"))
    assert len(at.download_button) == 1 + len(exports.TABLES)
    written = exports.export(fixture_db, tmp_path)
    for stem in exports.TABLES:  # the download is byte-for-byte the exported file
        assert data.csv_bytes(stem) == (tmp_path / f"{stem}.csv").read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data.workbook_bytes()), read_only=True)
    on_disk = openpyxl.load_workbook(tmp_path / "summary.xlsx", read_only=True)
    assert book.sheetnames == on_disk.sheetnames
    for name in book.sheetnames:
        assert list(book[name].values) == list(on_disk[name].values)
    assert {p.name for p in written} >= {"summary.xlsx", "one_down_one_up.parquet"}
    assert pl.read_csv(io.BytesIO(data.csv_bytes("one_down_one_up"))).height == 2


# ------------------------------------------------------------------ the command
def test_dashboard_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[list[str], dict[str, str]]] = []
    built: list[dict[str, object]] = []

    class Server:
        def __init__(self, command: list[str], env: dict[str, str]) -> None:
            started.append((command, env))

        def wait(self, timeout: float | None = None) -> int:
            return 0

    monkeypatch.setattr(cli.subprocess, "Popen", Server)
    monkeypatch.setattr(cli, "run_cmd", lambda **kw: built.append(kw))
    db = tmp_path / "new.duckdb"
    result = CliRunner().invoke(cli.app, ["dashboard", "--db", str(db), "--port", "8999"])
    assert result.exit_code == 0, result.output
    # no database yet: the same as `boardshift run` on the default raw folder first
    assert built == [{"raw": run.DEFAULT_RAW, "db": db, "exports": run.DEFAULT_EXPORTS,
                      "quiet": False}]
    (command, env), = started
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert command[4].endswith("dashboard/app.py")
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "8999"
    assert env["BOARDSHIFT_DB"] == str(db.resolve())


# ------------------------------------------------------------------ city scale
COPIES, SUBDISTRICTS = 1_440, 24  # the fixture's 2 districts → 2,880 districts


@pytest.fixture(scope="module")
def many_districts_db(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's marts copied COPIES times over SUBDISTRICTS subdistricts: every district
    (and board, and member) i times with its code, name and board_id suffixed and its
    subdistrict numbered i % SUBDISTRICTS; the subdistrict rollups once per subdistrict. Not
    consistent figures — a database of city-like size, in seconds rather than a pipeline run."""
    db = tmp_path_factory.mktemp("scale") / "many.duckdb"
    shutil.copyfile(fixture_db, db)
    with closing(duckdb.connect(str(db))) as con:
        tables = con.sql("select table_name from information_schema.tables where "
                         "table_schema = 'main' and table_type = 'BASE TABLE'").fetchall()
        for (table,) in tables:
            columns = [c for (c,) in con.sql(
                "select column_name from information_schema.columns where table_schema = "
                "'main' and table_name = ? order by ordinal_position",
                params=[table]).fetchall()]
            if "subdistrict" not in columns:
                continue
            copies = COPIES if "district_code" in columns else SUBDISTRICTS
            edits = {"district_code": "district_code || '-' || i",
                     "district_name": "district_name || i",
                     "board_id": "board_id || '-' || i",
                     "subdistrict": f"subdistrict || (i % {SUBDISTRICTS})"}
            select = ", ".join(f"{edits.get(c, c)} as {c}" for c in columns)
            con.execute(f"create or replace table main.{table} as "  # noqa: S608
                        f"select {select} from main.{table}, range({copies}) r(i)")
        con.execute("checkpoint")
    return db


def test_overview_pages_its_subdistricts(many_districts_db: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(many_districts_db, monkeypatch)
    # every subdistrict in one sortable table (party 2021: one row each) …
    (table,) = at.dataframe
    assert sorted(table.value["subdistrict"]) == sorted(f"测试街道{i}" for i in range(24))
    assert (table.value["achieved"] == 1).all()  # the fixture's rollup row, copied
    # … and the blocks of one page of ui.PAGE_SIZE subdistricts at a time
    pager = at.selectbox(key="overview_page")
    assert pager.value == 0 and len(pager.options) == 3  # 24 subdistricts: 10 + 10 + 4
    first = [c.value for c in at.code]
    assert len(first) == ui.PAGE_SIZE
    pager.set_value(20).run()
    assert not at.exception
    last = [c.value for c in at.code]
    assert len(last) == 4 and not set(first) & set(last)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception and at.selectbox(key="overview_page").value == 20
    # one subdistrict chosen: no pager, no table, its block only
    at.sidebar.selectbox(key="f_sub").set_value("测试街道3").run()
    assert not at.exception and not at.dataframe and len(at.code) == 1
    assert not [s for s in at.selectbox if s.key == "overview_page"]


def test_districts_chart_counts_cells_at_scale(many_districts_db: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(many_districts_db, monkeypatch, "districts")
    (table,) = at.dataframe
    assert len(table.value) == 2 * COPIES  # the table keeps every district (sortable)
    (chart,) = at.get("vega_lite_chart")
    coloured = {mark: encoding["color"]["field"] for mark, encoding in marks(chart)
                if "color" in encoding}
    assert coloured == {"rect": "count"}
    cells = [d for d in chart_data(chart) if "count" in d.columns]
    assert len(cells) == 1 and cells[0]["count"].sum() == 2 * COPIES  # each district once
    assert "按格汇总" in texts(at)
    # one subdistrict: a point per district again
    at.sidebar.selectbox(key="f_sub").set_value("测试街道3").run()
    (chart,) = at.get("vega_lite_chart")
    assert {m: e["color"]["field"] for m, e in marks(chart) if "color" in e} == {
        "point": "status_label"}


def chart_data(chart: object) -> list[pl.DataFrame]:
    """The data a Vega-Lite chart element sends to the browser (Arrow, one frame per dataset)."""
    return [pl.read_ipc_stream(io.BytesIO(d.data.data)) for d in chart.proto.datasets]


def marks(chart: object) -> list[tuple[str, dict[str, object]]]:
    """(mark type, encoding) of every layer of a Vega-Lite chart element's spec."""
    def walk(spec: dict[str, object]) -> list[tuple[str, dict[str, object]]]:
        found = []
        for layer in spec.get("layer", []):
            found += walk(layer)
        if "mark" in spec:
            mark = spec["mark"]
            found.append((mark["type"] if isinstance(mark, dict) else mark,
                          spec.get("encoding", {})))
        return found
    return walk(json.loads(chart.proto.spec))


def test_district_detail_picks_the_subdistrict_first(many_districts_db: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(many_districts_db, monkeypatch, "district_detail", detail_district="0001-7")
    sub = at.selectbox(key="detail_subdistrict_widget")
    assert sub.value == "测试街道7" and len(sub.options) == SUBDISTRICTS
    district = at.selectbox(key="detail_district_widget")
    assert district.value == "0001-7"
    assert len(district.options) == 2 * COPIES // SUBDISTRICTS  # one subdistrict's, not 2,880
    sub.set_value("测试街道8").run()
    assert not at.exception
    district = at.selectbox(key="detail_district_widget")
    assert int(district.value.split("-")[1]) % SUBDISTRICTS == 8  # a district of 测试街道8
    assert at.session_state["detail_district"] == district.value
    district.set_value("0002-32").run()  # 32 % 24 = 8
    at.switch_page("views/overview.py").run()
    at.switch_page("views/district_detail.py").run()  # the choice holds across pages
    assert at.selectbox(key="detail_district_widget").value == "0002-32"
    assert at.selectbox(key="detail_subdistrict_widget").value == "测试街道8"


def test_composition_at_scale_sends_aggregates(many_districts_db: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(many_districts_db, monkeypatch, "composition", f_body="party")
    assert not at.multiselect and "在左侧选一个街道后可按居民区挑选" in texts(at)
    assert metric(at, "女性占比") == ("33.3%", "-6.7 个百分点")  # the same shares, all copies
    for chart in at.get("vega_lite_chart"):  # a row per side and body or level, not per member
        assert all(d.height <= 20 for d in chart_data(chart))
    at.sidebar.selectbox(key="f_sub").set_value("测试街道3").run()
    assert len(at.multiselect(key="composition_districts").options) == 2 * COPIES // SUBDISTRICTS


@pytest.mark.parametrize("page", ["structure", "elections"])
def test_card_pages_at_scale_are_paged(many_districts_db: Path, monkeypatch: pytest.MonkeyPatch,
                                       page: str) -> None:
    at = start(many_districts_db, monkeypatch, page)
    pager = at.selectbox(key=f"{page}_page")
    assert len(pager.options) == 3

    def shown() -> set[str]:
        return {m for s in at.subheader for m in re.findall(r"测试街道\d+", s.value)}

    first = shown()
    assert len(first) == ui.PAGE_SIZE
    pager.set_value(10).run()
    assert not at.exception and len(shown()) == ui.PAGE_SIZE and not shown() & first
    tables = [d.value for d in at.dataframe if len(d.value) >= COPIES]
    assert tables, "the per-district table lists every district"
