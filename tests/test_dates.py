"""Dates the tool writes are dates its own validator accepts (issue 15 item 10): a published or
modified value that is not a real date or time, or a modified date before the published one, is
dropped with a warning at the border (whatever plugin or reader gave it), never written."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quoteledger import cli
from quoteledger.model import Article
from quoteledger.records import drop_unreal_dates
from quoteledger.validation.checks import check_dates

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Council approves the new budget plan after a long debate</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Council approves the new budget plan after a long debate",
 "datePublished": "{published}", "dateModified": "{modified}",
 "author": {{"@type": "Person", "name": "Jane Reporter"}}}}</script></head>
<body><article><h1>Council approves the new budget plan after a long debate</h1>
<p>The city council voted on Tuesday to approve a budget that keeps local taxes where they are for
another year, after a debate that ran late into the evening.</p>
<p>"We will not raise taxes this year, and we will keep every library open," Mayor Ann Lee said
after the vote.</p>
<p>Opponents said the plan relied on optimistic forecasts for the coming years and would leave
the city short of money for repairs to roads and schools.</p>
<p>"The numbers simply do not add up," said council member Tom Baker, who voted against it.</p>
</article></body></html>
"""

DEFS = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "defs.schema.json").read_text("utf-8"))
SCHEMA_DATE = re.compile(DEFS["$defs"]["datetime"]["pattern"])
UNREAL = ["2024-02-30", "2024-13-01", "2024-01-01T25:61", "2024-02-29T10:00:00+25:00", "0000-01-01",
          "2023-02-29T10:00:00Z"]


def extract(tmp_path, capsys, published, modified):
    page = tmp_path / "page.html"
    page.write_text(PAGE.format(published=published, modified=modified), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", str(page), "--format", "jsonl", "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert records, "the page must give quotations for the test to mean anything"
    return records, out, capsys.readouterr().err


@pytest.mark.parametrize("unreal", UNREAL)
def test_an_unreal_date_is_dropped_with_a_warning_and_the_output_validates(tmp_path, capsys, unreal):
    records, out, err = extract(tmp_path, capsys, unreal, "2024-03-01T09:00:00Z")
    article = records[0]["article"]
    assert article["published"] is None and article["modified"] == "2024-03-01T09:00:00Z"
    assert "published" in err and "dropped" in err and "page.html" in err
    assert cli.main(["validate", str(out)]) == 0


def test_a_modified_date_before_the_published_one_is_dropped(tmp_path, capsys):
    records, out, err = extract(tmp_path, capsys, "2024-03-01T09:00:00Z", "2024-02-01T09:00:00Z")
    article = records[0]["article"]
    assert (article["published"], article["modified"]) == ("2024-03-01T09:00:00Z", None)
    assert "modified" in err and "before" in err
    assert cli.main(["validate", str(out)]) == 0


def test_real_dates_pass_untouched_and_quietly(tmp_path, capsys):
    records, out, err = extract(tmp_path, capsys, "2024-02-29T10:00:00Z", "2024-02-29T11:30:00+01:00")
    article = records[0]["article"]
    assert (article["published"], article["modified"]) == ("2024-02-29T10:00:00Z", "2024-02-29T11:30:00+01:00")
    assert "dropped" not in err


def test_a_text_story_with_an_unreal_date_line_keeps_its_quotations(tmp_path, capsys):
    story = tmp_path / "story.txt"
    story.write_text("Council approves the new budget plan\n\nCity Gazette 31-02-2016\n\n"
                     '"We will not raise taxes this year," Mayor Ann Lee said after the vote.\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", str(story), "--format", "jsonl", "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert records and all(r["article"]["published"] is None for r in records)
    assert "published date" in capsys.readouterr().err
    assert cli.main(["validate", str(out)]) == 0


dates = st.one_of(
    st.none(), st.text(max_size=30), st.integers(), st.datetimes().map(lambda d: d.isoformat()),
    st.builds(lambda y, m, d, h, mi, z: f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}{z}",
              st.integers(0, 9999), st.integers(0, 14), st.integers(0, 33), st.integers(0, 26),
              st.integers(0, 62), st.sampled_from(["", "Z", "+01:00", "-0500", "+25:00", "+23:59"])))


@settings(max_examples=400, deadline=None)
@given(published=dates, modified=dates)
def test_whatever_a_plugin_sets_the_dates_left_pass_validate(published, modified):
    article = Article(published=published, modified=modified)
    dropped = drop_unreal_dates(article)
    strings = {key: value for key, value in (("published", article.published), ("modified", article.modified))
               if isinstance(value, str)}
    assert check_dates("$", strings) == []
    for key, value in (("published", published), ("modified", modified)):
        kept = getattr(article, key)
        if not isinstance(value, str):
            # A wrong type is a plugin's bug, left for the record's schema check to refuse.
            assert kept is value and not any(message.startswith(key) for message in dropped)
            continue
        assert kept is None or (kept == value and SCHEMA_DATE.search(kept))
        assert (kept is None) == any(message.startswith(key) for message in dropped)
