"""Hostile inputs for the fuzz run, generated from a fixed seed (nothing is stored but this file).

Each input is a page quoteledger may meet on the open web or on a bad disk: unbalanced and
stray quotation marks, floods of apostrophes, control and invisible characters, comments,
scripts and styles full of fake quotations, entity bombs and XXE, deep nesting, giant
paragraphs, every encoding and mixtures of them, truncation, gzip, random bytes and mutations.
Most carry a canary: a well-formed, attributed quotation in a paragraph of its own. A canary
that does not come out of a document that did not fail is a lost record.

    python tests/hostile/generate.py OUTDIR [COUNT] [SEED]   # write the inputs out to look at
"""
from __future__ import annotations

import codecs
import gzip
import os
import random
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

DEFAULT_SEED = 20240806
CANARY_SPEAKER = "Jane Canary"
MARKS = "\"'\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb\u2039\u203a`\u201a\u201b\u201f"
WORDS = ("the council said on Tuesday that plans for a new bridge would go ahead despite objections from "
         "residents who say the cost has doubled since last year and officials warned voters' patience "
         "is thin Russia's ministry told reporters it's unclear who'll pay Mr Smith Dr Jones police").split()
ODD_CHARS = ("\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2028", "\u2029", "\ufeff", "\u00ad",
             "\u0301", "\u0007", "\u001b", "\r", "\t", "\u00a0", "\ufffd", "\U0001f600", "\u0085", "\v", "\f")


@dataclass
class HostileInput:
    name: str
    data: bytes
    canaries: list = field(default_factory=list)     # quotation texts that must come out
    family: str = ""


def canary(rng: random.Random, n: int) -> tuple[str, str]:
    """(paragraph, quoted text) of a quotation the engine must always find."""
    words = " ".join(rng.choice(("bridge", "budget", "river", "spring", "council", "promise")) for _ in range(4))
    text = f"Canary {n} says the {words} will hold,"
    return f"\u201c{text}\u201d said {CANARY_SPEAKER}, the mayor.", text


def noise_words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def mark_soup(rng: random.Random, size: int) -> str:
    """Words, quotation marks and apostrophes in any order: unbalanced, nested, mismatched."""
    out = []
    for _ in range(size):
        r = rng.random()
        if r < 0.35:
            out.append(rng.choice(MARKS))
        elif r < 0.45:
            out.append(rng.choice(MARKS) + rng.choice(WORDS) + rng.choice(MARKS))
        elif r < 0.5:
            out.append(rng.choice(ODD_CHARS))
        else:
            out.append(rng.choice(WORDS))
        out.append(rng.choice((" ", " ", "", ", ", ". ", "\n")))
    return "".join(out)


def text_page(rng: random.Random, n: int, noise: list[str]) -> tuple[str, list[str]]:
    """A plain-text story: headline, noise paragraphs with the canary among them."""
    para, quoted = canary(rng, n)
    paragraphs = list(noise)
    paragraphs.insert(rng.randrange(len(paragraphs) + 1), para)
    return f"Hostile page {n} on the bridge\n\n" + "\n\n".join(paragraphs) + "\n", [quoted]


def html_page(rng: random.Random, n: int, body_extra: str = "", head_extra: str = "",
              before: str = "") -> tuple[str, list[str]]:
    para, quoted = canary(rng, n)
    filler = [f"<p>The council met on Tuesday to discuss the plan for bridge number {n} and its cost, "
              f"which has doubled since last year, officials said.</p>",
              "<p>Work is due to begin in the spring and to finish within two years, the council added.</p>"]
    page = (f"{before}<html><head><title>Bridge {n}</title>{head_extra}</head><body><article>"
            f"<h1>Bridge talks resume for page {n}</h1>{filler[0]}{body_extra}<p>{para}</p>{filler[1]}"
            f"</article></body></html>")
    return page, [quoted]


# -- families -------------------------------------------------------------------------------------

def fam_mark_soup(rng, n):
    noise = [mark_soup(rng, rng.randrange(5, 200)) for _ in range(rng.randrange(1, 6))]
    page, canaries = text_page(rng, n, noise)
    return page.encode("utf-8"), canaries


def fam_apostrophes(rng, n):
    unit = rng.choice(("'", "\u2019", "s' ", " ' ", "''", "it's ", "'n' ", "\u2018"))
    page, canaries = text_page(rng, n, [unit * rng.randrange(100, 3000)])
    return page.encode("utf-8"), canaries


def fam_unclosed_line(rng, n):
    # One long line opening quotation after quotation and closing none.
    opener = rng.choice(("\u201c", "\"", "'", "\u2018", "\u00ab"))
    line = " ".join(opener + rng.choice(WORDS) for _ in range(rng.randrange(50, 600)))
    page, canaries = text_page(rng, n, [line])
    return page.encode("utf-8"), canaries


def fam_giant_paragraph(rng, n):
    sentences = [f"{noise_words(rng, 8).capitalize()}, \u201c{noise_words(rng, 3)}\u201d {noise_words(rng, 4)}."
                 for _ in range(rng.randrange(10, 60))]
    page, canaries = text_page(rng, n, [" ".join(sentences)])
    return page.encode("utf-8"), canaries


def fam_invisible(rng, n):
    noise = ["".join(rng.choice(ODD_CHARS) + rng.choice(WORDS) for _ in range(rng.randrange(5, 80)))
             for _ in range(rng.randrange(1, 4))]
    page, canaries = text_page(rng, n, noise)
    return page.encode("utf-8", errors="surrogatepass"), canaries


def fam_html_hidden(rng, n):
    # Quotations in comments, scripts, styles, templates: never text, never records.
    fake = "\u201cThis is hidden,\u201d said Evil Twin."
    extra = rng.choice((f"<!-- {fake} -->", f"<script>var s = '{fake}';</script>",
                        f"<style>p::after {{ content: '{fake}'; }}</style>", f"<template><p>{fake}</p></template>",
                        f"<noscript><p>{fake}</p></noscript>", f"<?php echo '{fake}'; ?>",
                        f"<script><!-- {fake} </script>", f"<!--[if IE]><p>{fake}</p><![endif]-->"))
    page, canaries = html_page(rng, n, body_extra=extra, head_extra=extra)
    return page.encode("utf-8"), canaries


def fam_entities(rng, n):
    kind = rng.randrange(3)
    if kind == 0:        # billion laughs
        decls = '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        before, body = f'<?xml version="1.0"?><!DOCTYPE html [{decls}]>', "<p>&lol9;</p>"
    elif kind == 1:      # XXE against a local file and a URL
        before = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
                  '<!ENTITY net SYSTEM "http://127.0.0.1:9/x">]>')
        body = "<p>&xxe; &net;</p>"
    else:                # parameter entities and an external DTD
        before = ('<!DOCTYPE html SYSTEM "http://127.0.0.1:9/evil.dtd" [<!ENTITY % p SYSTEM '
                  '"file:///etc/hostname"> %p;]>')
        body = "<p>&amp; &lt; &#x201C; &#0; &#xD800; &#99999999; &bogus;</p>"
    page, canaries = html_page(rng, n, body_extra=body, before=before)
    return page.encode("utf-8"), canaries


def fam_deep(rng, n):
    depth = rng.choice((300, 1000, 5000, 20000))
    tag = rng.choice(("div", "span", "b", "section", "blockquote"))
    closed = rng.choice((depth, 0, depth // 2))
    tower = f"<{tag}>" * depth + "<p>deep words</p>" + f"</{tag}>" * closed
    # A tower left open swallows whatever follows (a canary after it would be inside twenty
    # thousand blockquotes: the page's doing); so only a closed tower goes before the canary.
    before = closed == depth and rng.random() < 0.5
    page, canaries = html_page(rng, n, body_extra=tower if before else "")
    if not before:
        page = page.replace("</article>", tower + "</article>")
    return page.encode("utf-8"), canaries


def fam_broken_html(rng, n):
    page, canaries = html_page(rng, n)
    tags = ["<p>", "</p>", "<div", "</div>", "<", ">", "<!--", "-->", "<![CDATA[", "]]>", "&", "</html>",
            "<script>", "<table><tr><td>"]
    cut = page.index("<article>") + 9
    junk = "".join(rng.choice(tags) + rng.choice(WORDS) for _ in range(rng.randrange(1, 40)))
    # Close what the junk may have opened (a comment, a script, CDATA): hiding the canary inside
    # one would be the page's doing, not a lost record.
    page = page[:cut] + junk + " --> ]]> </script></p></div>" * 3 + page[cut:]
    return page.encode("utf-8"), canaries


def fam_encoding(rng, n):
    page, canaries = text_page(rng, n, [noise_words(rng, 30) + " café Zoë naïve", noise_words(rng, 20)])
    enc = rng.choice(("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "mixed", "mojibake"))
    if enc == "mixed":
        half = len(page) // 2
        half = page.index("\n\n", half) if "\n\n" in page[half:] else half
        data = page[:half].encode("utf-8") + page[half:].encode("cp1252")
    elif enc == "mojibake":
        garbled = "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                          for b in page.encode("utf-8"))
        data = garbled.encode("utf-8")
    elif enc in ("utf-16-le", "utf-16-be") and rng.random() < 0.5:
        data = (codecs.BOM_UTF16_LE if enc.endswith("le") else codecs.BOM_UTF16_BE) + page.encode(enc)
    else:
        data = page.encode(enc)
    return data, canaries


def fam_lying_charset(rng, n):
    declared = rng.choice(("utf-8", "iso-8859-1", "shift_jis", "utf-16", "koi8-r", "bogus-charset", "utf-7"))
    actual = rng.choice(("utf-8", "cp1252"))
    page, canaries = html_page(rng, n, head_extra=f'<meta charset="{declared}">',
                               body_extra="<p>Caf\u00e9 owners in S\u00e3o Paulo were not consulted.</p>")
    # A single-byte page claiming a permissive multi-byte charset is legible only as cp1252 when
    # it looks Western; a UTF-8 one always wins. Canaries hold in every case.
    return page.encode(actual), canaries


def fam_gzip(rng, n):
    page, canaries = text_page(rng, n, [noise_words(rng, 40)])
    data = gzip.compress(page.encode("utf-8"), mtime=0)
    if rng.random() < 0.3:
        return data[: rng.randrange(2, len(data))], []       # truncated: an error, no canary owed
    return data, canaries


def fam_random_bytes(rng, n):
    size = rng.choice((0, 1, 2, 16, 300, 4000))
    return bytes(rng.randrange(256) for _ in range(size)), []


def fam_mutation(rng, n):
    page, _ = (text_page(rng, n, [mark_soup(rng, 50)]) if rng.random() < 0.5 else html_page(rng, n))
    data = bytearray(page.encode("utf-8"))
    for _ in range(rng.randrange(1, 30)):
        op, pos = rng.randrange(4), rng.randrange(len(data) + 1)
        if op == 0 and pos < len(data):
            data[pos] = rng.randrange(256)
        elif op == 1:
            data[pos:pos] = rng.choice(MARKS).encode("utf-8")
        elif op == 2:
            del data[pos:pos + rng.randrange(1, 20)]
        else:
            data[pos:pos] = bytes([rng.choice((0xE2, 0x80, 0x9C, 0xC3, 0xFF, 0xFE, 0x3C, 0x3E, 0x26))])
    return bytes(data), []         # mutated: anything may be broken, only crashes count


FAMILIES: list[tuple[str, Callable, int]] = [
    ("mark-soup", fam_mark_soup, 20), ("apostrophes", fam_apostrophes, 6), ("unclosed-line", fam_unclosed_line, 5),
    ("giant-paragraph", fam_giant_paragraph, 5), ("invisible", fam_invisible, 8), ("html-hidden", fam_html_hidden, 10),
    ("entities", fam_entities, 6), ("deep", fam_deep, 3), ("broken-html", fam_broken_html, 8),
    ("encoding", fam_encoding, 10), ("lying-charset", fam_lying_charset, 6), ("gzip", fam_gzip, 3),
    ("random-bytes", fam_random_bytes, 4), ("mutation", fam_mutation, 12),
]


def generate(count: int, seed: int = DEFAULT_SEED) -> Iterator[HostileInput]:
    """count inputs, the same ones for the same seed, families mixed by their weights."""
    rng = random.Random(seed)
    names = [f for f, _, _ in FAMILIES]
    makers = {f: make for f, make, _ in FAMILIES}
    weights = [w for _, _, w in FAMILIES]
    for n in range(count):
        family = rng.choices(names, weights)[0]
        data, canaries = makers[family](random.Random(rng.getrandbits(64)), n)
        yield HostileInput(f"hostile-{n:05d}-{family}", data, canaries, family)


def write(outdir: str, count: int, seed: int = DEFAULT_SEED) -> None:
    os.makedirs(outdir, exist_ok=True)
    for item in generate(count, seed):
        with open(os.path.join(outdir, item.name), "wb") as fh:
            fh.write(item.data)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    write(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100,
          int(sys.argv[3]) if len(sys.argv) > 3 else DEFAULT_SEED)
