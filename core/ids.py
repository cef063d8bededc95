"""Stable, content-derived ids: the same content gives the same id on every machine."""
import hashlib
import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)


def digest(*parts: str) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return h.hexdigest()[:16]


def normalise_words(text: str) -> str:
    """Case, accents, punctuation and apostrophe style do not make a different quotation."""
    # (U+2019 neither decomposes nor combines, so it can be folded first)
    text = (text or "").replace("\u2019", "'")
    if text.isascii():
        folded = text.lower()        # nothing to decompose: skip the per-character pass
    else:
        folded = unicodedata.normalize("NFKD", text)
        folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return " ".join(_WORD.findall(folded))


def quote_id(text: str) -> str:
    return quote_id_of_words(normalise_words(text))


def quote_id_of_words(words: str) -> str:
    """quote_id, given the text's normalise_words already."""
    return "q_" + digest("quote", words)


def article_id(headline: str | None, url: str | None, fingerprint: str) -> str:
    """Same headline is the same story, however often it was scraped; else the URL; else the text."""
    key = normalise_words(headline or "")
    if len(key.split()) >= 3:
        return "a_" + digest("headline", key)
    if url:
        return "a_" + digest("url", url.split("#")[0].rstrip("/"))
    return "a_" + digest("text", fingerprint)


def text_fingerprint(text: str) -> str:
    return digest("story", text)


def sighting_id(qid: str, fingerprint: str, start: int, end: int) -> str:
    return "s_" + digest("sighting", qid, fingerprint, str(start), str(end))
