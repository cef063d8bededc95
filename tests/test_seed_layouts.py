"""Plain-text pages as aggregators and scrapers republish them: the three seed layouts (written
here as our own fixtures), a single plain-text story, and the publisher chain on each record."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from quoteledger.pipeline import extract_path

FIXTURES = Path(__file__).parent / "fixtures" / "text"
LAYOUTS = ["aggregator_bullets.txt", "aggregator_dashes.txt", "aggregator_hours.txt"]


def by_outlet(records):
    out = {}
    for r in records:
        out.setdefault(r["article"]["publisher"]["outlet"], []).append(r)
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_splits_into_the_main_story_and_its_cards(layout):
    result = extract_path(str(FIXTURES / layout))
    assert result.errors == []
    speakers = {r["text"]: r["speaker"]["name"] for r in result.records}
    assert speakers["The money should have gone to the schools,"] == "Tomas Weir"
    for r in result.records:
        chain = r["source_chain"]
        assert chain[-1]["name"] in ("Daily8", "Related Articles")
        assert any(h["role"] == "republisher" and h["name"] == "Daily8" for h in chain)


def test_cards_are_attributed_to_the_outlet_they_name_with_editions():
    records = extract_path(str(FIXTURES / "aggregator_bullets.txt")).records
    outlets = by_outlet(records)
    assert outlets["BBC News"][0]["speaker"]["name"] == "Carla Dunn"
    sun = outlets["The Sun"][0]
    assert sun["article"]["publisher"] == {"outlet": "The Sun", "edition": "Scottish Sun",
                                          "organization": "News Group Newspapers", "plugin": "thesun"}
    assert sun["speaker"]["name"] == "gang leaders"
    card = [h for h in sun["source_chain"] if h["role"] == "card"]
    assert card and "Scottish Sun" in card[0]["detail"]


def test_site_furniture_is_never_story_text():
    records = extract_path(str(FIXTURES / "aggregator_bullets.txt")).records
    texts = " ".join(r["text"] for r in records)
    for furniture in ("Click to share", "Sign up", "Credit: PA", "DOWNLOAD", "Try Our AI"):
        assert furniture not in texts
    sun = by_outlet(records)["The Sun"][0]
    assert "Download our app" not in json.dumps(sun)


def test_main_story_outlet_and_date_from_the_scrape_line():
    records = extract_path(str(FIXTURES / "aggregator_bullets.txt")).records
    main = [r for r in records if r["text"].startswith("This market")][0]
    assert main["article"]["publisher"]["outlet"] == "Coastline Times"
    assert main["article"]["published"] == "2025-03-12"
    assert main["article"]["dateline"] == "PORTVALE \u2014"
    assert main["secondary_source"]["description"].startswith("a statement published by the council")


def test_flattened_card_paragraphs_and_anonymous_sources():
    records = extract_path(str(FIXTURES / "aggregator_dashes.txt")).records
    outlets = by_outlet(records)
    independent = [(r["text"], r["speaker"]["name"], r["kind"]) for r in outlets["The Independent"]]
    assert independent[0] == ("We're ready to send it home this year.", "Paul Grant", "full")
    assert independent[1] == ("It is right that it goes back.", "Paul Grant", "continuation")
    reuters = outlets["Reuters"]
    assert reuters[0]["article"]["dateline"] == "OSLO, May 3 (Reuters) -"
    assert {r["speaker"]["name"] for r in reuters} == {"an executive with a trading company that imports grain"}
    assert {r["speaker"]["kind"] for r in reuters} == {"anonymous"}


def test_single_plain_text_story_takes_its_outlet_from_the_dateline():
    records = extract_path(str(FIXTURES / "single_story_reuters.txt")).records
    assert {r["article"]["publisher"]["outlet"] for r in records} == {"Reuters"}
    assert records[0]["article"]["headline"] == "Canola exporters seek new buyers as tariffs bite"
    assert records[1]["kind"] == "continuation"


def test_cli_extract_writes_json_lines_with_text_and_speaker_name():
    out = subprocess.run([sys.executable, "-m", "quoteledger.cli", "extract", str(FIXTURES)],
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(isinstance(r["text"], str) and "name" in r["speaker"] for r in rows)


def test_html_and_text_are_told_apart_by_content_not_name(tmp_path):
    page = tmp_path / "story.txt"
    page.write_text("<html><head><title>T</title></head><body><article><h1>Bridge opens</h1>"
                    "<p>\u201cIt is done,\u201d said Mayor Ana Ruiz.</p><p>More text here for the body.</p>"
                    "<p>And more.</p></article></body></html>", encoding="utf-8")
    records = extract_path(str(page)).records
    assert [(r["text"], r["speaker"]["name"]) for r in records] == [("It is done,", "Ana Ruiz")]
