"""Encodings: pages decoded right where that is knowable, otherwise reported naming the file;
never mojibake passed on silently as quotations. Fixtures are generated here from known text."""
from __future__ import annotations

import codecs

import pytest

from quoteledger.pipeline import extract_path
from quoteledger.reading import decode

QUOTE = "Nous ne céderons pas, c’est «\u00a0fini\u00a0» – £5m"
PAGE = (f"Bridge talks resume\n\n“We will not give up on Zoë’s café,” said Renée Dubois, the mayor.\n\n"
        f"“{QUOTE},” she added.\n")


def expected_texts():
    return ["We will not give up on Zoë’s café,", f"{QUOTE},"]


def html_page(charset: str) -> str:
    body = "".join(f"<p>{para}</p>" for para in PAGE.split("\n\n")[1:])
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>Bridge talks resume</title></head>'
            f'<body><article><h1>Bridge talks resume</h1>{body}</article></body></html>')


@pytest.mark.parametrize("name,data", [
    ("utf8", PAGE.encode("utf-8")),
    ("utf8-bom", codecs.BOM_UTF8 + PAGE.encode("utf-8")),
    ("utf16-bom", PAGE.encode("utf-16")),
    ("utf16-be-bom", codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be")),
])
def test_unicode_pages_decode_silently(name, data):
    decoded = decode(data, False, name)
    assert decoded.text.lstrip("\ufeff") == PAGE
    assert decoded.warnings == []


def test_utf16_without_bom_is_found_and_reported():
    decoded = decode(PAGE.encode("utf-16-le"), False, "page.txt")
    assert decoded.text == PAGE
    assert decoded.warnings and "page.txt" in decoded.warnings[0] and "UTF-16" in decoded.warnings[0]


def cp1252_page() -> str:
    # Latin-1 cannot hold ’ “ ” – ; cp1252 can. A cp1252 page must not come out with C1 controls.
    return PAGE


@pytest.mark.parametrize("label", ["windows-1252", "iso-8859-1", "latin1", None])
def test_cp1252_and_latin1_labelled_pages(label):
    text = html_page(label) if label else PAGE
    decoded = decode(text.encode("cp1252"), bool(label), "page")
    assert decoded.text == text
    assert not any("\u0080" <= c <= "\u009f" for c in decoded.text)


def test_true_latin1_page():
    text = "Le café de Zoë\n\n\"Très bien,\" a dit Renée."
    assert decode(text.encode("latin-1"), False, "p").text == text


def test_meta_charset_that_lies_about_utf8_bytes():
    # Says latin-1, is UTF-8: valid UTF-8 wins, or "café" would become "cafÃ©".
    text = html_page("iso-8859-1")
    decoded = decode(text.encode("utf-8"), True, "liar.html")
    assert decoded.text == text and decoded.warnings == []


def test_meta_charset_utf8_over_cp1252_bytes_is_reported():
    text = html_page("utf-8")
    decoded = decode(text.encode("cp1252"), True, "liar.html")
    assert decoded.text == text
    assert any("liar.html" in w and "utf-8" in w for w in decoded.warnings)


def test_meta_charset_multibyte_lie_over_western_text():
    # A Western page claiming Shift_JIS would decode into nonsense; its bytes say cp1252.
    text = html_page("shift_jis")
    decoded = decode(text.encode("cp1252"), True, "liar.html")
    assert decoded.text == text


def test_mixed_encodings_decoded_per_part_and_reported():
    data = "“Good,” said Zoë.\n\n".encode("utf-8") + "“Bad,” said Renée.\n".encode("cp1252")
    decoded = decode(data, False, "mixed.txt")
    assert decoded.text == "“Good,” said Zoë.\n\n“Bad,” said Renée.\n"
    assert any("mixed.txt" in w and "mixed encodings" in w and "line 3" in w for w in decoded.warnings)


def whatwg_1252(raw: bytes) -> str:
    # How a browser reads windows-1252: its five undefined bytes become C1 controls.
    return "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in raw)


def test_mojibake_from_upstream_is_repaired_and_reported():
    garbled = whatwg_1252(PAGE.encode("utf-8"))   # what a scraper that misread UTF-8 saved
    decoded = decode(garbled.encode("utf-8"), False, "scraped.txt")
    assert decoded.text == PAGE
    assert any("scraped.txt" in w and "mojibake" in w for w in decoded.warnings)


def test_mojibake_that_lost_bytes_is_reported_not_hidden():
    # A scraper that replaced the undefined byte of ” (E2 80 9D) left "â€\ufffd": not repairable.
    garbled = PAGE.encode("utf-8").decode("cp1252", errors="replace")
    decoded = decode(garbled.encode("utf-8"), False, "scraped.txt")
    assert "Zoë’s café" in decoded.text
    assert any("scraped.txt" in w and "U+FFFD" in w for w in decoded.warnings)


def test_c1_controls_from_latin1_misreading_become_marks():
    decoded = decode("\u0093Yes,\u0094 he said.".encode("utf-8"), False, "c1.txt")
    assert decoded.text == "“Yes,” he said."
    assert any("c1.txt" in w for w in decoded.warnings)


def test_replacement_characters_are_reported():
    decoded = decode("“We lost \ufffd words,” she said.".encode("utf-8"), False, "lost.txt")
    assert any("lost.txt" in w and "U+FFFD" in w for w in decoded.warnings)


def test_ordinary_accents_are_not_taken_for_mojibake():
    text = "São Paulo, Ångström, Ñandú, Ærø, Øresund, naïve, “Ça va,” dit-il. Â la carte? ÃO"
    decoded = decode(text.encode("utf-8"), False, "fine.txt")
    assert decoded.text == text and decoded.warnings == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_quotations_come_out_right_whatever_the_encoding(tmp_path, encoding):
    path = tmp_path / f"page-{encoding}.txt"
    path.write_bytes(PAGE.encode(encoding))
    result = extract_path(str(path))
    assert not result.failed, result.errors
    assert [r["text"] for r in result.records] == expected_texts()
    assert result.records[0]["speaker"]["name"] == "Renée Dubois"


def test_mixed_page_quotations_right_and_warned(tmp_path):
    path = tmp_path / "mixed.txt"
    head, tail = PAGE.split("\n\n", 2)[:2], PAGE.split("\n\n", 2)[2]
    path.write_bytes("\n\n".join(head).encode("utf-8") + b"\n\n" + tail.encode("cp1252"))
    result = extract_path(str(path))
    assert [r["text"] for r in result.records] == expected_texts()
    assert result.warnings and str(path) in result.warnings[0]


# EBCDIC: no web page is written in it, but a story exported from a mainframe is text all the
# same; read as cp1252 it would give a page of symbols, no quotation, and a clean exit.
EBCDIC_STORY = ('Harbour reopens\n\n"We are back on the water, and the caf\u00e9 too," said harbour master '
                'Ren\u00e9e Kale.\n')


@pytest.mark.parametrize("codec", ["cp037", "cp500"])
def test_ebcdic_text_is_read_as_ebcdic_and_said(codec):
    decoded = decode(EBCDIC_STORY.encode(codec), False, "wire.txt")
    assert decoded.text == EBCDIC_STORY
    assert len(decoded.warnings) == 1 and "wire.txt" in decoded.warnings[0] and "EBCDIC" in decoded.warnings[0]


def test_an_ebcdic_page_is_read_as_markup_by_the_code_page_it_declares(tmp_path):
    # cp500 and cp037 differ on brackets and "!": the page's own declaration, read in EBCDIC, decides.
    page = ('<html><head><meta charset="cp500"><title>Harbour reopens</title></head><body><article>'
            '<h1>Harbour reopens</h1><p>"We are back [on the water] at last!" said harbour master Ren\u00e9e Kale, '
            'who has run the port since the storm closed it in the spring.</p></article></body></html>')
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp500"))
    result = extract_path(str(path))
    assert [r["text"] for r in result.records] == ["We are back [on the water] at last!"]
    assert result.records[0]["speaker"]["name"] == "Renée Kale"
    assert result.records[0]["article"]["headline"] == "Harbour reopens"


@pytest.mark.parametrize("codec,text", [
    ("shift_jis", "港が再開した。「水の上に戻った」と港長は語った。" * 20),
    ("gbk", "港口重新开放。“我们回到了水上，”港务长说。" * 20),
    ("big5", "港口重新開放。我們回到了水上，港務長說。" * 20),
    ("euc_kr", "항구가 다시 열렸다. 우리는 물 위로 돌아왔다고 항만장이 말했다." * 20),
    ("cp1251", "Порт снова открыт. Мы вернулись на воду, сказал начальник порта." * 20),
])
def test_pages_in_legacy_encodings_are_not_taken_for_ebcdic(codec, text):
    decoded = decode(text.encode(codec), False, "page.txt")
    assert not any("EBCDIC" in warning for warning in decoded.warnings)
