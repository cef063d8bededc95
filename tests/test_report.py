"""quoteledger report: one self-contained page, its text escaped (the pages it shows are hostile),
and, opened in headless Chromium as a person would: it renders, logs no error, the search box
narrows the rows as you type, and a quotation's journey lists each outlet it went through."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from quoteledger import cli

from headless_chromium import Browser, find_chromium, ink_share

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "ledger"
OWN_PAGES = [*sorted((REPO / "core" / "demo").glob("*.html")), FIXTURES / "hostile-quotation.html"]
HOSTILE = ("</script><script>alert(1)</script>", "<img src=x onerror=alert(2)>", "</title><script>alert(3)</script>")


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    ledger, page = folder / "own.db", folder / "report.html"
    examples = sorted(p for p in (REPO / "plugins" / "examples").glob("*/*")
                      if not p.name.endswith(".expected.json") and not p.name.startswith(("README", ".")))
    assert cli.main(["ingest", "--ledger", str(ledger), *map(str, examples), *map(str, OWN_PAGES)]) == 0
    assert cli.main(["report", "--ledger", str(ledger), "-o", str(page)]) == 0
    return page


def data_block(text: str) -> dict:
    block = re.search(r'<script type="application/json" id="ledger-data">(.*?)</script>', text, re.S).group(1)
    return json.loads(block)


def test_the_report_is_one_file_that_needs_no_network(report_page):
    text = report_page.read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text.split('id="ledger-data"')[0])
    assert "<link" not in text and "@import" not in text and "url(" not in text
    assert text.count("<script") == 2 and text.count("<style") == 1
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    script = re.search(r"<script>(.*?)</script>", text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_hostile_words_are_text_never_markup(report_page):
    text = report_page.read_text("utf-8")
    for payload in HOSTILE:
        assert payload not in text
    assert "alert(1)" in text and "onerror=alert(2)" in text          # shown, as escaped text
    assert "Quarry Gazette &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in text
    data = data_block(text)
    words = {q[1] for q in data["quotations"]}
    assert any(HOSTILE[0] in w for w in words) and any(HOSTILE[1] in w for w in words)
    assert any(HOSTILE[2] in name for name in data["outlets"])


def test_the_data_holds_every_quotation_and_each_journey_in_date_order(report_page):
    data = data_block(report_page.read_text("utf-8"))
    rail = next(q for q in data["quotations"] if q[1].startswith("This line was taken from Kelby"))
    assert [data["outlets"][s[0]] for s in rail[8]] == ["Tidewater Herald", "Northfield Standard", "Lakeside Wire"]
    assert rail[8][0][6] is None and rail[8][1][6] and rail[8][2][6]
    assert data["quotations"][0] is rail                   # seen in the most outlets: first


# ----------------------------------------------------------------------- in a browser

def chromium_or_skip() -> str:
    executable = find_chromium()
    if executable is None:
        if os.environ.get("QUOTELEDGER_REQUIRE_CHROMIUM") == "1":
            pytest.fail("QUOTELEDGER_REQUIRE_CHROMIUM=1 but no chromium on PATH (nor QUOTELEDGER_CHROMIUM)")
        pytest.skip("no Chromium here (Debian: apt-get install chromium; .ci/run installs it as root)")
    return executable


@pytest.fixture(scope="module")
def browser():
    with Browser(chromium_or_skip()) as opened:
        yield opened


def rows_shown(page) -> list:
    return page.evaluate("Array.from(document.querySelectorAll('#rows tr.quotation td.words'))"
                         ".map(function (td) { return td.textContent; })")


def test_the_report_renders_in_chromium_with_no_error_and_the_box_narrows_the_rows(browser, report_page):
    page = browser.new_page()
    page.goto(report_page.as_uri())
    share, colours = ink_share(page.screenshot())
    assert share > 0.02 and colours > 8, f"the page looks blank ({share:.3f} of pixels inked, {colours} colours)"
    assert page.evaluate("document.querySelectorAll('#totals dd').length") == 7
    assert page.evaluate("document.querySelectorAll('#who-quotes-whom tbody tr').length") >= 10
    everything = rows_shown(page)
    total = len(data_block(report_page.read_text("utf-8"))["quotations"])
    assert len(everything) == min(total, 100) and total > 40
    page.evaluate("document.getElementById('filter').focus()")
    page.type("kelb")
    narrowed = rows_shown(page)
    assert 0 < len(narrowed) < len(everything)
    assert all("Kelby" in words or "best news" in words for words in narrowed)      # the outlets' stories
    page.type("y once")
    assert [w[:35] for w in rows_shown(page)] == ["This line was taken from Kelby once"]
    assert page.evaluate("document.getElementById('count').textContent").startswith("1 of ")
    browser.pump(0.3)
    assert page.problems() == []


def test_a_journey_lists_each_outlet_in_order_with_the_changed_words_marked(browser, report_page):
    page = browser.new_page()
    page.goto(report_page.as_uri())
    page.evaluate("document.getElementById('filter').focus()")
    page.type("taken from Kelby")
    assert page.evaluate("document.querySelectorAll('#rows tr.quotation').length") == 1
    page.wait_for("document.querySelector('.journey')")      # the one quotation left opens its journey
    outlets = page.evaluate("Array.from(document.querySelectorAll('.journey li .outlet')).map(function (n) { return n.textContent; })")
    assert outlets == ["Tidewater Herald", "Northfield Standard", "Lakeside Wire"]
    labels = page.evaluate("Array.from(document.querySelectorAll('.timeline .label')).map(function (n) { return n.textContent; })")
    assert labels == ["Tidewater Herald 2024-03-04", "Northfield Standard 2024-03-05", "Lakeside Wire 2024-03-06"]
    assert page.evaluate("Array.from(document.querySelectorAll('.journey ins')).map(function (n) { return n.textContent; })") \
        == ["once. And", "once, and", "NOT"]
    assert page.evaluate("document.querySelectorAll('.journey del').length") == 3
    links = page.evaluate("Array.from(document.querySelectorAll('.journey a')).map(function (a) { return a.href; })")
    assert len(links) == 3 and all(link.startswith("https://") for link in links)
    page.click("#rows tr.quotation")                     # a click folds it away, another opens it again
    assert page.evaluate("document.querySelectorAll('.journey').length") == 0
    page.click("#rows tr.quotation")
    assert page.evaluate("document.querySelectorAll('.journey li .outlet').length") == 3
    browser.pump(0.3)
    assert page.problems() == []


def test_hostile_quotations_stay_text_in_the_browser(browser, report_page):
    page = browser.new_page()
    page.goto(report_page.as_uri() + "#filter=Ostrander")
    page.wait_for("document.querySelectorAll('#rows tr.quotation').length === 2")
    page.click("#rows tr.quotation:nth-of-type(1)")
    shown = " ".join(rows_shown(page))
    assert HOSTILE[0] in shown and HOSTILE[1] in shown
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("document.scripts.length") == 2
    browser.pump(0.5)
    assert page.problems() == []                         # no alert() dialog, no CSP violation, no error


def test_the_problem_detector_sees_a_console_error(browser, tmp_path):
    """The check the tests above lean on can fail: a page that logs an error is caught."""
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><body><p>x</p><script>console.error('boom'); document.body.dataset.ready = '1';"
                      "</script></body>", "utf-8")
    page = browser.new_page()
    page.goto(broken.as_uri())
    browser.pump(0.3)
    assert any("boom" in problem for problem in page.problems())
