"""The dashboard in a real headless browser: `streamlit run dashboard/app.py` on the fixture
database, driven by the playwright package through Debian's Chromium (never `playwright install`).
Screenshots of every page visited go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import auth

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 30_000

if not CHROMIUM.exists():
    message = f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "streamlit exited early"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not become healthy in {seconds} s")


@pytest.fixture(scope="module")
def app_url(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("streamlit") / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.headless", "true", "--global.developmentMode", "false",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        env={**os.environ, "BOARDSHIFT_DB": str(fixture_db),
             auth.HASH_ENV: auth.make_hash(E2E_PASSWORD, iterations=1_000)},
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # let the last element paint
    page.screenshot(path=ARTIFACTS / f"dashboard-{name}.png", full_page=True)


def open_page(page: Page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    expect(page.locator("h1").filter(has_text=title)).to_be_visible()


E2E_PASSWORD = "换届2026"


def test_dashboard_in_a_browser(app_url: str, browser: Browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                            accept_downloads=True)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url)

    # overview: the hand-checked headline numbers
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("43.7 岁", exact=True)).to_be_visible()
    expect(main.get_by_text("1 / 2", exact=True)).to_be_visible()
    expect(main.get_by_text("80.0%", exact=True)).to_be_visible()
    expect(main.get_by_text("+20.0 个百分点")).to_be_visible()
    expect(main).to_contain_text("较上届下降2.7岁；大专及以上学历占80.0%，提高20.0个百分点")
    shot(page, "overview")

    # language switch
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    expect(page.locator("h1").filter(has_text="Overview")).to_be_visible()
    expect(main.get_by_text("Districts with one down, one up")).to_be_visible()
    expect(main.get_by_text("43.7 yrs", exact=True)).to_be_visible()
    shot(page, "overview-en")

    # districts: the quadrant chart is drawn by vega-embed
    open_page(page, "Districts")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart.locator("svg.marks, canvas").first).to_be_visible()  # SVG or canvas
    shot(page, "districts")

    open_page(page, "Composition")
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2)
    shot(page, "composition")

    open_page(page, "District detail")
    expect(main.get_by_text("Findings", exact=True).first).to_be_visible()
    shot(page, "district-detail")

    # SQL and the quarantined rows: refused until signed in (they can show names)
    open_page(page, "SQL query")
    expect(main.get_by_text("Sign in to see members' names.", exact=False)).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('input[type="password"]').fill(E2E_PASSWORD)
    sidebar.get_by_role("button", name="Sign in").click()

    open_page(page, "Data quality")
    expect(main.get_by_text("Quarantined rows and reasons")).to_be_visible()
    shot(page, "data-quality")

    open_page(page, "SQL query")
    page.locator("textarea").fill(
        "select district_name, status from one_down_one_up order by district_code")
    page.get_by_role("button", name="Run query").click()
    expect(main.get_by_text("2 rows", exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    shot(page, "sql")

    # exports: download one CSV and check it
    open_page(page, "Exports")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="one_down_one_up.csv").first.click()
    download = download_info.value
    assert download.suggested_filename == "one_down_one_up.csv"
    target = tmp_path / "one_down_one_up.csv"
    download.save_as(target)
    content = target.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as the exports folder has it
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert sorted(r["district_name"] for r in rows) == ["乙居民区", "甲居民区"]
    shot(page, "exports")
    page.close()
