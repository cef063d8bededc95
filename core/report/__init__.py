"""quoteledger report: the ledger as one self-contained HTML page that opens offline (inline CSS and
JavaScript, no network): totals, the most quoted speakers and outlets, who quotes whom, and every
quotation with its journey from outlet to outlet, filtered as you type.

Everything shown comes from pages, which are hostile input: the tables written here go through
html.escape, and the quotations travel as one JSON block (with <, >, & escaped inside its strings,
so no text can close the block) that the page's script renders with textContent alone. A
Content-Security-Policy allows that one script by its hash and nothing else: no other script, no
fetch, no image from anywhere.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from importlib import resources
from itertools import groupby
from typing import Optional

from .. import __version__
from ..ledger_queries import speakers, top_outlets, totals, who_quotes_whom, word_changes
from ..ledger_tables import journey_order

TOP = 20                  # rows in the most-quoted tables
MATRIX_OUTLETS = 15       # who quotes whom: the most quoting outlets ...
MATRIX_SPEAKERS = 10      # ... and the most quoted speakers


def _asset(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text("utf-8")


def _e(value) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def json_for_script(value) -> str:
    """JSON that can sit inside <script type="application/json">: no '<' (so no '</script>' or
    '<!--'), '>' or '&' outside an escape, and no line separators older parsers choke on."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def quotation_data(con) -> dict:
    """The quotations and their journeys as compact arrays, names kept once in a table:
    quotations[i] = [id, text, speaker index or -1, role, first seen, sightings, outlets, kind, journey],
    journey[j] = [outlet index or -1, published, url or document, cue, via, own words or null,
    word changes from the sighting before or null]. Ordered so quotations seen in most outlets come first."""
    outlet_index: dict = {}
    speaker_index: dict = {}

    def index(table: dict, name):
        if name is None:
            return -1
        return table.setdefault(name, len(table))

    journeys: dict = {}
    rows = con.execute("SELECT quotation, id, outlet, published, url, document, cue, via, text FROM sightings "
                       "ORDER BY quotation")
    texts = dict(con.execute("SELECT id, text FROM quotations"))
    for quote_id, group in groupby(rows, key=lambda r: r[0]):
        sightings = sorted(group, key=lambda r: journey_order(r[3], r[2], r[1]))
        journey, previous = [], texts.get(quote_id, "")
        for n, (_, _, outlet, published, url, document, cue, via, own) in enumerate(sightings):
            words = own if own is not None else texts.get(quote_id, "")
            changes = word_changes(previous, words) if n else []
            journey.append([index(outlet_index, outlet), published, url or document, cue, via, own, changes or None])
            previous = words
        journeys[quote_id] = journey
    quotations = []
    for row in con.execute("SELECT id, text, speaker, speaker_role, first_seen, sightings, outlets, kind FROM quotations "
                           "ORDER BY kind = 'scare', outlets DESC, sightings DESC, first_seen IS NULL, first_seen, id"):
        quote_id, text, speaker, role, first_seen, seen, outlets, kind = row
        quotations.append([quote_id, text, index(speaker_index, speaker), role, first_seen, seen, outlets, kind,
                           journeys.get(quote_id, [])])
    return {"outlets": list(outlet_index), "speakers": list(speaker_index), "quotations": quotations}


def _table(headers: list, rows: list, numeric: set) -> str:
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{_e(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{_e(v)}</td>' for i, v in enumerate(r))
                   + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def summary_html(con) -> str:
    """Totals, the most quoted speakers and outlets, who quotes whom: static HTML, escaped."""
    t = totals(con)
    period = f"{t['first_seen']} to {t['last_seen']}" if t["first_seen"] else "no dates given"
    facts = [("quotations", t["quotations"]), ("sightings", t["sightings"]), ("articles", t["articles"]),
             ("speakers", t["speakers"]), ("outlets", t["outlets"]),
             ("seen more than once", t["seen_more_than_once"]), ("in several outlets", t["in_several_outlets"])]
    parts = ['<section id="totals"><h2>The ledger</h2><dl class="totals">'
             + "".join(f"<div><dt>{_e(k)}</dt><dd>{v:,}</dd></div>" for k, v in facts)
             + f'</dl><p class="period">Publication dates: {_e(period)}.</p></section>']
    top_speakers = speakers(con, limit=TOP)
    parts.append('<section id="speakers"><h2>Most quoted speakers</h2>' + _table(
        ["speaker", "role", "organisation", "quotations", "sightings", "outlets"],
        [(s["name"], s["role"], s["organization"], s["quotations"], s["sightings"], s["outlets"]) for s in top_speakers],
        {3, 4, 5}) + "</section>")
    outlets = top_outlets(con, TOP)
    parts.append('<section id="outlets"><h2>Outlets</h2>' + _table(
        ["outlet", "publisher", "articles", "quotations", "speakers", "first", "last"],
        [(o["name"], o["publisher"], o["articles"], o["quotations"], o["speakers"], o["first_seen"], o["last_seen"])
         for o in outlets], {2, 3, 4}) + "</section>")
    parts.append(_matrix_html(con, outlets[:MATRIX_OUTLETS], top_speakers[:MATRIX_SPEAKERS]))
    return "\n".join(parts)


def _matrix_html(con, outlets: list, top_speakers: list) -> str:
    keys = [k for k, in con.execute(
        "SELECT key FROM speakers ORDER BY quotations DESC, sightings DESC, name LIMIT ?", (len(top_speakers),))]
    counts = who_quotes_whom(con, [o["name"] for o in outlets], keys)
    head = "<th>outlet</th>" + "".join(f'<th class="num">{_e(s["name"])}</th>' for s in top_speakers)
    body = "".join("<tr><th>" + _e(o["name"]) + "</th>" + "".join(
        f'<td class="num">{counts.get((o["name"], k), "") or ""}</td>' for k in keys) + "</tr>" for o in outlets)
    return ('<section id="who-quotes-whom"><h2>Who quotes whom</h2><p class="note">Quotations of each of the '
            'most quoted speakers that each outlet carried.</p><div class="scroll"><table class="matrix"><thead><tr>'
            f"{head}</tr></thead><tbody>{body}</tbody></table></div></section>")


def build(con, ledger_name: str) -> str:
    """The whole page as one string."""
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:; "
              f"base-uri 'none'; form-action 'none'")
    page = _asset("page.html")
    # In this order, so no value put in (all escaped but ours) can carry a marker a later one fills.
    for marker, value in (("POLICY", policy), ("TITLE", _e(f"Quote ledger: {ledger_name}")),
                          ("STYLE", _asset("report.css")), ("VERSION", _e(__version__)),
                          ("LEDGER", _e(ledger_name)), ("SUMMARY", summary_html(con)),
                          ("DATA", json_for_script(quotation_data(con))), ("SCRIPT", script)):
        page = page.replace(f"<!--QL:{marker}-->", value)
    return page


def write(con, out, ledger_name: str) -> Optional[int]:
    text = build(con, ledger_name)
    out.write(text)
    return len(text.encode("utf-8"))
