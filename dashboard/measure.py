"""How fast each dashboard page renders, warm (after a first visit) and cold (first visit).

    .venv/bin/python -m dashboard.measure [--db FILE] [--runs N] [--browser]

Server side: the page script run under streamlit.testing.v1.AppTest (queries, charts, tables;
everything Python does for a page view). With --browser also end to end in headless Chromium:
from the click on the page's link in the sidebar until the page's content is drawn. Prints
figures only; no thresholds are asserted.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from pipelines import run

APP = Path(__file__).resolve().parent / "app.py"
CHART = '[data-testid="stVegaLiteChart"] :is(svg.marks, canvas)'  # vega-embed, SVG or canvas
PAGES = {  # file → (English title, what shows that the page is drawn)
    "overview": ("Overview", '[data-testid="stCode"]'),
    "districts": ("Districts", CHART),
    "composition": ("Composition", CHART),
    "district_detail": ("District detail", '[data-testid="stMetric"]'),  # names need sign-in
    "structure": ("Structure", '[data-testid="stCode"]'),
    "elections": ("Elections", '[data-testid="stDataFrame"]'),
    "progress": ("Progress", f'{CHART}, [data-testid="stAlert"]'),  # or: no milestones yet
    "data_quality": ("Data quality", '[data-testid="stDataFrame"]'),
    "sql_console": ("SQL query", 'textarea, [data-testid="stAlert"]'),  # or: sign in first
    "exports": ("Exports", '[data-testid="stDownloadButton"]'),
}


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def server_side(db: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Per page: (first visit, median of `runs` later visits) in seconds, under AppTest."""
    from streamlit.testing.v1 import AppTest

    os.environ["BOARDSHIFT_DB"] = str(db)
    at = AppTest.from_file(str(APP), default_timeout=120)
    first = timed(at.run)  # the app opens on the overview
    figures = {}
    for page in PAGES:
        at.switch_page(f"views/{page}.py")
        cold = first if page == "overview" else timed(at.run)
        if at.exception:
            raise SystemExit(f"{page}: {at.exception[0].value}")
        warm = [timed(at.run) for _ in range(runs)]
        figures[page] = (cold, statistics.median(warm))
    return figures


def in_browser(db: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Per page: (first visit, median of later visits) in seconds, click → content drawn."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        env={**os.environ, "BOARDSHIFT_DB": str(db)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}")
            page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
            page.locator("h1").filter(has_text="Overview").wait_for()
            figures = {}
            visits: dict[str, list[float]] = {name: [] for name in PAGES}
            for _ in range(runs + 1):
                for name, (title, marker) in PAGES.items():
                    try:
                        visits[name].append(_visit(page, title, marker))
                    except Exception as exc:  # noqa: BLE001 - say which page, then stop
                        raise SystemExit(f"{name}: {exc}") from exc
            for name, seconds in visits.items():
                figures[name] = (seconds[0], statistics.median(seconds[1:]))
            browser.close()
        return figures
    finally:
        server.terminate()
        server.wait(timeout=15)


def _wait_healthy(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {seconds:g} s")


def _visit(page: object, title: str, marker: str) -> float:
    start = time.perf_counter()
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.locator("h1").filter(has_text=title).wait_for()
    page.locator(marker).first.wait_for()
    page.wait_for_function("document.querySelectorAll('[data-stale=\"true\"]').length === 0")
    return time.perf_counter() - start


def report(title: str, figures: dict[str, tuple[float, float]]) -> None:
    print(f"\n{title}\n{'page':<16}{'first visit':>12}{'warm':>10}")
    for page, (cold, warm) in figures.items():
        print(f"{page:<16}{cold * 1000:>10.0f}ms{warm * 1000:>8.0f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=run.DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also in headless Chromium")
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db} does not exist: run `boardshift run` first")
    report("server side (AppTest, page script run)", server_side(args.db, args.runs))
    if args.browser:
        report("browser (click → page drawn, headless Chromium)", in_browser(args.db, args.runs))


if __name__ == "__main__":
    main()
