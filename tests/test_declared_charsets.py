"""A page's declared charset is believed only when it names an encoding web pages are written in and
reads the page sensibly (issue 15, item 12): utf16 on a Western page, a codec that is not a text
encoding of the web (utf-7, unicode_escape, rot13, base64), or one Python does not know gives the
page read as cp1252 with a warning naming the file and the label, never garbage in silence."""
from __future__ import annotations

import pytest

from quoteledger.pipeline import extract_path
from quoteledger.reading import decode

QUOTE = "\u201cWe will hold the line on the caf\u00e9 tax,\u201d said Zo\u00eb Smith, the mayor."


def page(charset: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>Caf\u00e9 tax</title></head><body>'
            f"<article><h1>Caf\u00e9 tax vote</h1><p>The council met on Tuesday to vote on the tax.</p>"
            f"<p>{QUOTE}</p></article></body></html>")


# Labels that must never decode a Western page: wide encodings an ASCII-readable declaration
# cannot be in, codecs that are not web encodings, and names no codec has.
LYING = ["utf16", "UTF-16", "utf-16le", "utf_16_be", "utf-32", "ucs-2", "utf-7", "unicode_escape",
         "raw_unicode_escape", "rot13", "base64", "x-user-defined", "no-such-charset"]


@pytest.mark.parametrize("label", LYING)
def test_a_lying_or_foreign_label_is_read_as_cp1252_and_reported(label):
    text = page(label)
    decoded = decode(text.encode("cp1252"), True, "liar.html")
    assert decoded.text == text and decoded.encoding == "cp1252"
    assert len(decoded.warnings) == 1
    assert decoded.warnings[0].startswith("liar.html: declares charset ") and label.lower() in decoded.warnings[0]


@pytest.mark.parametrize("label", ["utf16", "utf-7"])
def test_the_quotation_comes_out_right_under_a_lying_label(tmp_path, label):
    path = tmp_path / "page.html"
    path.write_bytes(page(label).encode("cp1252"))
    result = extract_path(str(path))
    assert [r["text"] for r in result.records] == ["We will hold the line on the caf\u00e9 tax,"]
    assert any("declares charset" in w for w in result.warnings)


# A line of each script, repeated as a story's paragraphs would: "Сё" in cp1251 and most of
# Shift_JIS happen to be valid UTF-8 sequences, which must not make the page "mixed UTF-8".
SCRIPTS = {"koi8-r": "\u0426\u0435\u043d\u044b \u0440\u0430\u0441\u0442\u0443\u0442, \u0441\u043a\u0430\u0437\u0430\u043b \u043c\u044d\u0440.",
           "windows-1251": "\u0412\u0441\u0451 \u0440\u0430\u0441\u0442\u0451\u0442, \u0421\u0451\u043c\u0430 \u0441\u043a\u0430\u0437\u0430\u043b.",
           "windows-874": "\u0e23\u0e32\u0e04\u0e32\u0e2a\u0e39\u0e07\u0e02\u0e36\u0e49\u0e19 \u0e19\u0e32\u0e22\u0e01\u0e01\u0e25\u0e48\u0e32\u0e27",
           "shift_jis": "\u4fa1\u683c\u304c\u4e0a\u304c\u308b\u3068\u5e02\u9577\u306f\u8a00\u3063\u305f\u3002",
           "iso-8859-7": "\u039f\u03b9 \u03c4\u03b9\u03bc\u03ad\u03c2 \u03b1\u03bd\u03b5\u03b2\u03b1\u03af\u03bd\u03bf\u03c5\u03bd."}


@pytest.mark.parametrize("label", sorted(SCRIPTS))
def test_a_true_label_of_a_web_encoding_still_reads_its_page(label):
    text = "</p><p>".join([SCRIPTS[label]] * 20)
    html = f'<html><head><meta charset="{label}"></head><body><p>{text}</p></body></html>'
    codec = {"windows-874": "cp874"}.get(label, label)
    decoded = decode(html.encode(codec), True, "true.html")
    assert decoded.text == html and decoded.warnings == []
