"""Turning an outlet's HTML page into an Article, driven by the data an outlet plugin declares
(selectors for body, headline, byline, dates, furniture) with JSON-LD, OpenGraph and <meta> as
fallbacks, and the densest run of paragraphs when no selector matches.

The body is read by walking the story's container in document order: paragraphs, list items
and block quotations become Paragraphs; furniture (captions, related links, ads, share
buttons, newsletter prompts) is skipped; embedded social posts are kept apart as kind "embed".
"""
from __future__ import annotations

from functools import lru_cache

import re
from dataclasses import dataclass
from typing import Optional

from lxml import etree

from .htmltools import (canonical_url, clean_text, element_text, json_ld_article, meta_content,
                        names_of, parse_date)
from .model import Article, Document, Paragraph


@dataclass(frozen=True)
class Selectors:
    """What an outlet plugin says about its pages. XPath expressions are tried in order and the
    first that finds something wins; *_text fields are regular expressions on text."""

    body: tuple = ()            # the story's paragraphs, or the containers holding them
    headline: tuple = ()
    byline: tuple = ()          # elements (or strings) whose text names the authors
    published: tuple = ()       # elements/attributes giving the publication date
    remove: tuple = ()          # furniture inside the body: captions, related links, ads
    embeds: tuple = ()          # embedded social posts inside the body
    modified: tuple = ()        # elements/attributes giving the last-modified date
    section: tuple = ()
    keep: tuple = ()            # body elements never taken for furniture (a BBC pull-out quote)
    headings: tuple = ()        # headings inside the body that belong to the story text
    dateline: tuple = ()        # an element in the first paragraph holding the dateline
    dateline_text: str = ""     # a regular expression for a dateline opening the first paragraph
    furniture_text: tuple = ()  # regular expressions for whole paragraphs that are furniture
    not_authors: tuple = ()     # names in a byline that are not authors ("TODAY", "BBC News")
    furniture_headings: tuple = ()  # regular expressions for headings whose section is furniture


GENERIC_REMOVE = (
    "//figure", "//figcaption", "//aside", "//nav", "//footer", "//header//nav",
    "//*[contains(@class,'related')]", "//*[contains(@class,'newsletter')]",
    "//*[contains(@class,'share')]", "//*[contains(@class,'advert')]",
    "//*[contains(@class,'caption')]", "//*[contains(@class,'read-more')]",
    "//*[contains(@class,'comments')]",
    # Text for screen readers only (", opens new tab"), never shown as story text.
    "//*[contains(@style,'clip:rect(0')]", "//*[contains(@class,'visually-hidden')]", "//*[contains(@class,'sr-only')]",
)
EMBED_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "social-embed")
# Paragraphs that are furniture on any outlet's page.
# Only short paragraphs are tested against these: a long one is story text that happens to
# mention a newsletter.
GENERIC_FURNITURE_TEXT = (
    r"\b(?:sign up|subscribe) (?:to|for) (?:our|the)\b.{0,40}\bnewsletters?\b",
    r"\bfollow (?:us|[A-Z]\w+(?: \w+)?) on (?:twitter|facebook|instagram|x)\b.{0,160}$",
    r"^(?:read|see|watch) (?:more|also|next)\s*:",
    r"^(?:click|tap) here\b",
    r"^download the .{0,30}app\b",
    r"^advertisement$",
    r"^\d+\s+comments?$",
    r"^\d+\s*min(?:ute)?s?\s+read$",
    r"^\d+\s*/\s*\d+$",                   # a gallery's "1 / 28"
)

_BY = re.compile(r"^\s*(?:by|written by|words by|reporting by)\s+", re.I)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\|)\s*")
_ROLE_TAIL = re.compile(r"\s*(?:[,|\-–—]\s*)?(?:(?:Senior|Chief|Political|Business|Health|Sports?|Technology|Tech|"
                        r"Entertainment|Security|Economics|Staff|Special)\s+)*(?:correspondent|reporter|editor|writer|"
                        r"journalist|analyst)\b.*$", re.I)
# "5 Min Read", "Updated 3 hours ago" glued to a name by the page's layout
_BYLINE_NOISE = re.compile(r"\s*\d+\s*min(?:ute)?s?\s+read\b.*$|\s*\b(?:updated|published)\b.*$", re.I)

BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4",
              "h5", "h6", "figure", "aside", "table", "header", "footer", "nav", "main", "form", "dl",
              "pre", "hr", "center"}
PARAGRAPH_TAGS = {"p", "li", "dd", "pre"}
# Children that make a paragraph-like element a container of paragraphs.
_PARAGRAPH_HOLDERS = PARAGRAPH_TAGS | {"div", "ul", "ol"}
LOOSE_TEXT_MIN_WORDS = 6
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Never story text, whatever the outlet.
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "button", "form", "select",
             "figure", "figcaption", "nav", "footer", "table", "img", "video", "audio", "input", "label",
             "header", "hr", "picture", "source"}


def first_xpath(tree, exprs) -> list:
    for expr in exprs:
        compiled = _compiled_xpath(expr)
        if compiled is None:
            continue
        try:
            found = compiled(tree)
        except etree.XPathError:
            continue
        if found:
            return found
    return []


def split_authors(text: str) -> list[str]:
    text = _BY.sub("", clean_text(text))
    text = _ROLE_TAIL.sub("", text)
    names = [_BYLINE_NOISE.sub("", n).strip(" .") for n in _BYLINE_SPLIT.split(text)]
    # Tabloid bylines shout ("By MARTIN BLACKBURN"); a name is kept in its ordinary case.
    names = [n.title() if n.isupper() and len(n) > 3 else n for n in names]
    return [n for n in names if n and len(n) < 60 and not n.lower().startswith(("updated", "published"))]


def _dedupe(names: list[str]) -> list[str]:
    return [n for n in dict.fromkeys(names) if n]


def densest_paragraphs(tree) -> list:
    """The container holding the most paragraph text: the story body when nothing else says."""
    best, best_score = None, 0
    for container in tree.iter("div", "article", "section", "main", "span", "td"):
        ps = [p for p in container if isinstance(p.tag, str) and p.tag in ("p", "blockquote", "h2")]
        score = sum(len(element_text(p)) for p in ps if p.tag == "p")
        if score > best_score:
            best, best_score = container, score
    if best is None:
        return []
    return [p for p in best if isinstance(p.tag, str) and p.tag in ("p", "blockquote")]


def _is_embed(el, ancestors_clear: bool = False) -> bool:
    """el or an ancestor carries an embed's class; ancestors_clear: none of el's ancestors does
    (known while walking down from a checked parent), so only el's own class is read."""
    cls = el.get("class") or "" if ancestors_clear else " ".join(
        filter(None, (el.get("class"), *(a.get("class") for a in el.iterancestors()))))
    return any(c in cls for c in EMBED_CLASSES)


def paragraphs_from(elements, remove_exprs) -> list[Paragraph]:
    """Paragraphs from body elements: each is a paragraph, or a container walked for them."""
    reader = BodyReader(remove=tuple(remove_exprs))
    return reader.read(elements)


@lru_cache(maxsize=4096)
def _compiled_xpath(expr: str):
    """A selector compiled once per process, not once per page (None when it does not compile):
    a page is checked against some thirty of them."""
    for form in (_cheaper_form(expr), expr):
        try:
            return etree.XPath(form)
        except etree.XPathError:
            continue
    return None


def _cheaper_form(expr: str) -> str:
    """expr, or an XPath selecting the same nodes in the same order that libxml2 evaluates faster."""
    return _from_last_step(expr) or _through_attribute(expr)


# "//tag[test]" is, to libxml2, a search of the children of every node of the page; written as
# "/descendant::tag[test]" it is one walk testing each <tag>, three times faster. When the test
# reads attributes only (not its position among the matches), the two select the same elements.
# A path "//a[x]//b[y]" is written "/descendant::b[y][ancestor::a[x]]" the same way when a page
# has few <b> (a headline, a <time>): each asks about its own ancestors instead of every <a>
# searching below. (Asked for each of a page's hundreds of links, the ancestors cost far more.)
_FEW_TO_A_PAGE = {"h1", "time"}
_DESCENDANT_STEP = re.compile(r"(\*|[A-Za-z][\w-]*)((?:\[[^\[\]]*\])*)")
_PREDICATE = re.compile(r"\[([^\[\]]*)\]")
_ATTRIBUTE_TAIL = re.compile(r"(?P<path>.*)(?P<attribute>/@[A-Za-z_][\w-]*)", re.S)


def _from_last_step(expr: str) -> Optional[str]:
    """For "//s1//s2...//tag" (each step's predicates attribute tests only, the last step a named
    tag), maybe ending "/@attr" or wrapped as "(...)[1]": the same selector as a walk over <tag>
    testing its ancestors. None for any other expression."""
    path = expr.strip()
    first_only = path.startswith("(") and path.endswith(")[1]")
    if first_only:
        path = path[1:-4]
    m = _ATTRIBUTE_TAIL.fullmatch(path)
    path, attribute = (m.group("path"), m.group("attribute")) if m else (path, "")
    if not path.startswith("//"):
        return None
    steps = []
    for step in path[2:].split("//"):
        m = _DESCENDANT_STEP.fullmatch(step)
        if not m or any(_predicate_terms(p) is None for p in _PREDICATE.findall(m.group(2))):
            return None
        steps.append(m.groups())
    tag, tests = steps[-1]
    if tag == "*" or (len(steps) > 1 and tag not in _FEW_TO_A_PAGE):
        return None
    ancestry = ""
    for outer_tag, outer_tests in steps[:-1]:
        ancestry = f"[ancestor::{outer_tag}{outer_tests}{ancestry}]"
    form = f"/descendant::{tag}{tests}{ancestry}{attribute}"
    return f"({form})[1]" if first_only else form


# "//*[contains(@class,'x')]..." makes libxml2 evaluate the test on every element; reached
# through the attribute, "//@class[contains(.,'x')]/..", it is tested only where the attribute
# is, a third faster. The two select the same elements (an element has one such attribute).
_ANY_WITH_ONE_TEST = re.compile(
    r"//\*\[\s*(?:(?P<fn>contains|starts-with)\(\s*@(?P<a1>[A-Za-z_][\w-]*)\s*,\s*(?P<l1>'[^']+'|\"[^\"]+\")\s*\)"
    r"|@(?P<a2>[A-Za-z_][\w-]*)\s*=\s*(?P<l2>'[^']+'|\"[^\"]+\"))\s*\](?P<rest>(?:/.*)?)", re.S)


def _through_attribute(expr: str) -> str:
    """expr, or the same selector reached through its attribute when that is cheaper."""
    m = _ANY_WITH_ONE_TEST.fullmatch(expr.strip())
    if not m:
        return expr
    if m.group("fn"):
        test = f"{m.group('fn')}(., {m.group('l1')})"
        attr = m.group("a1")
    else:
        test, attr = f". = {m.group('l2')}", m.group("a2")
    return f"//@{attr}[{test}]/..{m.group('rest')}"


# -- selectors matched in one walk of the tree -------------------------------------------------
# Each XPath scan of a whole page costs about as much as parsing it, and a body reader resolves
# some thirty of them a page. Most selectors are one step, "//tag[predicates]", testing
# attributes only: those are matched together in one walk over the elements; any other (a
# descendant path, a position) stays XPath. The two agree on what they select (tests prove it).

_SIMPLE_STEP = re.compile(r"^//(\*|[A-Za-z][\w-]*)((?:\[[^\[\]]*\])*)$")
_PRED_TOKEN = re.compile(r"\s*(?:(?P<lit>'[^']*'|\"[^\"]*\")|(?P<attr>@[A-Za-z_][\w-]*)|"
                         r"(?P<word>contains|starts-with|and|or)\b|(?P<op>[(),=]))")


def _predicate_terms(text: str) -> Optional[list]:
    """A predicate as alternatives, each a tuple of attribute tests that must all hold:
    ("contains", attr, s), ("starts", attr, s), ("eq", attr, s), ("has", attr). None when the
    predicate uses anything else (a function, a number, a path, a position)."""
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _PRED_TOKEN.match(text, pos)
        if not m or m.end() == pos:
            return None
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    at = 0

    def peek(k=0):
        return tokens[at + k] if at + k < len(tokens) else (None, None)

    def take(kind, value=None):
        nonlocal at
        tk = peek()
        if tk[0] != kind or (value is not None and tk[1] != value):
            raise ValueError
        at += 1
        return tk[1]

    def alternatives():                 # or
        terms = conjunction()
        while peek() == ("word", "or"):
            take("word", "or")
            terms = terms + conjunction()
        return terms

    def conjunction():                  # and: the product of each side's alternatives
        terms = atom()
        while peek() == ("word", "and"):
            take("word", "and")
            right = atom()
            terms = [a + b for a in terms for b in right]
            if len(terms) > 32:
                raise ValueError
        return terms

    def atom():
        kind, value = peek()
        if kind == "word" and value in ("contains", "starts-with"):
            take("word")
            take("op", "(")
            attr = take("attr")[1:]
            take("op", ",")
            lit = take("lit")[1:-1]
            take("op", ")")
            return [(("contains" if value == "contains" else "starts", attr, lit),)]
        if kind == "attr":
            take("attr")
            if peek() == ("op", "="):
                take("op", "=")
                return [(("eq", value[1:], take("lit")[1:-1]),)]
            return [(("has", value[1:]),)]
        if (kind, value) == ("op", "("):
            take("op", "(")
            terms = alternatives()
            take("op", ")")
            return terms
        raise ValueError

    try:
        terms = alternatives()
    except ValueError:
        return None
    return terms if at == len(tokens) else None


@lru_cache(maxsize=4096)
def simple_selector(expr: str) -> Optional[tuple]:
    """(tag or "*", alternatives) for a one-step selector matched by attribute tests alone,
    None for anything XPath must evaluate."""
    m = _SIMPLE_STEP.match(expr.strip())
    if not m:
        return None
    tag, preds = m.group(1), m.group(2)
    terms: list = [()]
    for pred in re.findall(r"\[([^\[\]]*)\]", preds):
        alternatives = _predicate_terms(pred)
        if not alternatives:
            return None
        terms = [a + b for a in terms for b in alternatives]
        if len(terms) > 32:
            return None
    return tag, tuple(terms)


def _holds(el, test) -> bool:
    value = el.get(test[1])
    kind = test[0]
    if kind == "has":
        return value is not None
    if kind == "eq":
        return value == test[2]
    # An absent attribute reads as "" in XPath string functions.
    value = value or ""
    return test[2] in value if kind == "contains" else value.startswith(test[2])


def _attribute_check(has: bool, equals: set, contains: set, starts: set):
    """One test of an attribute's value for every one-test selector on that attribute: a single
    pattern (the value whole, at its start, or anywhere), searched in C."""
    if has:
        return lambda value: True
    pattern = "|".join([r"\A" + re.escape(s) + r"\Z" for s in sorted(equals)]
                       + [r"\A" + re.escape(s) for s in sorted(starts)]
                       + [re.escape(s) for s in sorted(contains)])
    search = re.compile(pattern).search
    # Pages repeat their class names (a template's, on every paragraph): each is tested once.
    known: dict = {}

    def check(value: str) -> bool:
        hit = known.get(value)
        if hit is None:
            if len(known) >= 50_000:
                known.clear()
            hit = known[value] = search(value) is not None
        return hit

    return check


class SelectorSet:
    """Elements matching any of a set of selectors, found in one walk for the simple ones."""

    def __init__(self, exprs: tuple):
        self.xpaths: list = []              # compiled, for selectors the walk cannot match
        self.tags: set = set()              # //tag
        self.general: dict = {}             # tag or "*" -> [tests that must all hold]
        self.everything = False
        # One attribute test on an element of any tag ("*") or one tag: (tag, attr) -> the values
        # sought whole, at the start, anywhere, or just the attribute being there.
        equals: dict = {}                   # //tag[@attr='s']
        starts: dict = {}                   # //tag[starts-with(@attr,'s')]
        needles: dict = {}                  # //tag[contains(@attr,'s')]
        has: set = set()                    # //tag[@attr]
        for expr in exprs:
            simple = simple_selector(expr)
            if simple is None:
                compiled = _compiled_xpath(expr)
                if compiled is not None:
                    self.xpaths.append(compiled)
                continue
            tag, terms = simple
            for term in terms:
                if not term:
                    if tag == "*":
                        self.everything = True
                    else:
                        self.tags.add(tag)
                elif len(term) == 1 and term[0][0] == "has":
                    has.add((tag, term[0][1]))
                elif len(term) == 1 and term[0][2]:
                    kind, attr, s = term[0]
                    store = needles if kind == "contains" else equals if kind == "eq" else starts
                    store.setdefault((tag, attr), set()).add(s)
                else:
                    self.general.setdefault(tag, []).append(term)
        # tag -> attribute name -> a test of its value (one pattern for all the strings sought in it)
        self.by_tag_attribute: dict = {}
        for tag, attr in set(needles) | set(equals) | set(starts) | has:
            key = (tag, attr)
            self.by_tag_attribute.setdefault(tag, {})[attr] = _attribute_check(
                key in has, equals.get(key, set()), needles.get(key, set()), starts.get(key, set()))
        self.by_attribute = self.by_tag_attribute.pop("*", {})
        self.walks = bool(self.tags or self.by_attribute or self.by_tag_attribute or self.general or self.everything)
        # Tags for which matches_general has something to test (None: every tag).
        self.general_tags = None if "*" in self.general else frozenset(self.general)

    def matches_general(self, el, tag) -> bool:
        """Whether el matches a selector with a tag and attribute tests, or several tests."""
        for term in self.general.get("*", ()):
            if all(_holds(el, t) for t in term):
                return True
        for term in self.general.get(tag, ()):
            if all(_holds(el, t) for t in term):
                return True
        return False

    def select_by_xpath(self, root, found: set) -> None:
        """Add the elements the selectors the walk cannot match select to found."""
        for compiled in self.xpaths:
            try:
                found.update(e for e in compiled(root) if isinstance(e, etree._Element))
            except etree.XPathError:
                continue

    def select_into(self, root, found: set) -> None:
        """Add every element of root's document matching a selector to found, as the selectors
        would each from the document's root."""
        select_all(root, [(self, found)])


def select_all(root, wanted: list, scope: Optional[list] = None) -> None:
    """For each (SelectorSet, found) in wanted, add the elements of root's document matching
    one of its selectors to found: the XPath ones each by itself, the simple ones of every set
    together in one walk (of the subtrees of scope's elements only, when given)."""
    walking = []
    for selectors, found in wanted:
        selectors.select_by_xpath(root, found)
        if selectors.walks:
            walking.append((selectors.everything, selectors.tags, selectors.by_attribute,
                            selectors.by_tag_attribute, selectors.matches_general if selectors.general else None,
                            selectors.general_tags, found))
    if not walking:
        return
    if scope is None:
        elements = root.iter(etree.Element)
    else:
        tops = set(scope)       # the subtrees of the outermost, each once
        elements = (el for top in tops if not any(a in tops for a in top.iterancestors())
                    for el in top.iter(etree.Element))
    # The hot loop of a page's selectors: plain locals, no call per element unless a test needs one.
    for el in elements:
        tag = el.tag
        items = None
        for everything, tags, by_attribute, by_tag_attribute, general, general_tags, found in walking:
            if everything or tag in tags:
                found.add(el)
                continue
            for_tag = by_tag_attribute.get(tag) if by_tag_attribute else None
            if by_attribute or for_tag:
                if items is None:
                    items = el.items()
                hit = False
                for attr, value in items:
                    check = by_attribute.get(attr)
                    if check is not None and check(value):
                        hit = True
                        break
                    check = for_tag.get(attr) if for_tag else None
                    if check is not None and check(value):
                        hit = True
                        break
                if hit:
                    found.add(el)
                    continue
            if general is not None and (general_tags is None or tag in general_tags) and general(el, tag):
                found.add(el)


@lru_cache(maxsize=256)
def selector_set(exprs: tuple) -> SelectorSet:
    return SelectorSet(exprs)


@lru_cache(maxsize=256)
def _compiled_patterns(patterns: tuple) -> list:
    """A plugin's furniture patterns compiled once per process, not once a page (a reader is
    made for each page). Shared: read it, never change it."""
    return [re.compile(p, re.I) for p in patterns]


class BodyReader:
    """Walks the story's elements in document order and keeps only story text."""

    def __init__(self, remove: tuple = (), keep: tuple = (), headings: tuple = (), embeds: tuple = (),
                 furniture_text: tuple = (), furniture_headings: tuple = ()):
        self.remove, self.keep, self.headings, self.embeds = remove, keep, headings, embeds
        self.furniture = _compiled_patterns(tuple(furniture_text))
        self.generic_furniture = _compiled_patterns(GENERIC_FURNITURE_TEXT)
        self.furniture_headings = _compiled_patterns(tuple(furniture_headings))
        self._in_furniture_section = False
        self._skip: set = set()
        self._kept: set = set()
        self._headings: set = set()
        self._embeds: set = set()
        self._left_out: set = set()     # _skip - _kept, what a paragraph's text leaves out

    def _mark(self, root, scope: Optional[list] = None) -> None:
        """Resolve the selectors once per page, relative to the page's root. The reader only
        ever asks about elements inside the ones it walks: given them as scope, one-step
        selectors are matched inside them alone (XPath ones still over the page)."""
        select_all(root, [(selector_set(tuple(exprs)), marked)
                          for exprs, marked in ((self.remove, self._skip), (self.keep, self._kept),
                                                (self.headings, self._headings), (self.embeds, self._embeds))
                          if exprs], scope)
        self._left_out = self._skip - self._kept

    def read(self, elements) -> list[Paragraph]:
        elements = [e for e in elements if isinstance(e, etree._Element)]
        if not elements:
            return []
        root = elements[0].getroottree().getroot()
        self._mark(root, [e for e in elements if e.getroottree().getroot() is root])
        out: list[Paragraph] = []
        seen: set = set()
        for el in elements:
            if any(a in seen for a in el.iterancestors()):
                continue        # a container already walked
            seen.add(el)
            self._walk(el, out, inside_quote=False)
        return out

    def _is_furniture_element(self, el) -> bool:
        if el in self._kept:
            return False
        return el in self._skip or (el.tag in SKIP_TAGS and el not in self._embeds)

    def _walk(self, el, out: list, inside_quote: bool, ancestors_clear: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or self._is_furniture_element(el):
            return
        if el in self._embeds or _is_embed(el, ancestors_clear):
            text = element_text(el)
            if text:
                out.append(Paragraph(text, "embed"))
            return
        if tag in HEADING_TAGS:
            # A heading such as "Meet our expert" opens a section of furniture; the next heading ends it.
            heading = element_text(el)
            self._in_furniture_section = any(p.search(heading) for p in self.furniture_headings)
            if el in self._headings:
                self._emit(el, out, "text")
            return
        if tag == "blockquote":
            inside_quote = True
        if tag in PARAGRAPH_TAGS and not any(isinstance(c.tag, str) and c.tag in _PARAGRAPH_HOLDERS for c in el):
            self._emit(el, out, "blockquote" if inside_quote else "text")
        elif any(_is_block(c) for c in el):
            self._walk_mixed(el, out, inside_quote)
        else:
            self._emit(el, out, "blockquote" if inside_quote else "text")

    def _walk_mixed(self, el, out: list, inside_quote: bool) -> None:
        """A container: its blocks in order; loose text between them (old pages put story text
        straight into the container, split by <br>) becomes paragraphs of its own."""
        loose = [el.text or ""]
        for child in el:
            if _is_block(child):
                self._emit_loose(" ".join(loose), out, "blockquote" if inside_quote else "text")
                loose = []
                self._walk(child, out, inside_quote, ancestors_clear=True)
            elif isinstance(child.tag, str) and child.tag == "br":
                loose.append("\n")
            elif isinstance(child.tag, str) and not self._is_furniture_element(child):
                loose.append(element_text(child))
            loose.append(child.tail or "")
        self._emit_loose(" ".join(loose), out, "blockquote" if inside_quote else "text")

    def _emit_loose(self, text: str, out: list, kind: str) -> None:
        """Loose text between blocks is story text only when it reads like prose; short runs are
        labels, dates and crossheads set in inline elements."""
        if len(text.split()) >= LOOSE_TEXT_MIN_WORDS:
            self._emit_text(text, out, kind)

    def _emit_text(self, text: str, out: list, kind: str) -> None:
        if self._in_furniture_section:
            return
        for chunk in _BLANK_LINE.split(text):
            chunk = clean_text(chunk)
            if chunk and not self.is_furniture_text(chunk):
                out.append(Paragraph(chunk, kind))

    def _emit(self, el, out: list, kind: str) -> None:
        if self._in_furniture_section:
            return
        text = element_text(el, self._left_out)
        if not text or self.is_furniture_text(text) or _only_links(el, text):
            return
        out.append(Paragraph(text, kind))

    def is_furniture_text(self, text: str) -> bool:
        if is_crosshead(text) or any(p.search(text) for p in self.furniture):
            return True
        return len(text) < 250 and any(p.search(text) for p in self.generic_furniture)


# Compiled here, not looked up in re's cache: these run on every paragraph.
_CAPITAL = re.compile(r"[A-Z]")
_SMALL_LETTER = re.compile(r"[a-z]")
_WORD_CHARACTER = re.compile(r"\w")
_BLANK_LINE = re.compile(r"\n\s*\n")


def _is_block(el) -> bool:
    """A block, or an inline element wrapping one (NBC wraps section headings in <a>)."""
    if not isinstance(el.tag, str):
        return False
    if el.tag in BLOCK_TAGS:
        return True
    return any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in el.iterdescendants())


def is_crosshead(text: str) -> bool:
    """A short line in capitals ("COULD PLANE HAVE STALLED?") heads a section; it is not story
    text. Capitalised leads ("LINDA Nolan has vowed") have lower case and are kept."""
    return bool(_CAPITAL.search(text)) and not _SMALL_LETTER.search(text) and len(text.split()) <= 12


def _only_links(el, text: str) -> bool:
    """A paragraph that is nothing but links, or a label and a link ("Related: ...",
    "A SIMPLE GUIDE: How do I protect myself?"), points elsewhere: it is not story text."""
    links = clean_text(" ".join(element_text(a) for a in el.iter("a")))
    if not links or len(text) >= 200:
        return False
    rest = clean_text(text.replace(links, " ", 1)) if links in text else clean_text(
        " ".join(filter(None, [el.text] + [c.tail for c in el.iter() if c is not el and c.tail])))
    if not _WORD_CHARACTER.search(rest):
        return True
    return len(rest.split()) <= 4 and rest.endswith(":") and text.startswith(rest.rstrip(":").strip())


def iso_date(value: Optional[str]) -> Optional[str]:
    """ISO 8601 as pages give it; anything else is dropped rather than guessed."""
    return parse_date(value)


def _date_of(found) -> Optional[str]:
    for el in found:
        if isinstance(el, str):
            value = parse_date(el)
        else:
            value = None
            for attr in ("datetime", "content", "value", "data-timestamp", "data-seconds"):
                value = value or parse_date(el.get(attr))
            value = value or parse_date(element_text(el))
        if value:
            return value
    return None


PUBLISHED_FALLBACK = ("//meta[@itemprop='datePublished']/@content", "//meta[@itemprop='datePublished']/@value",
                      "//time[@itemprop='datePublished']/@datetime", "//time[@itemprop='datePublished']")
MODIFIED_FALLBACK = ("//meta[@itemprop='dateModified']/@content", "//meta[@itemprop='dateModified']/@value",
                     "//time[@itemprop='dateModified']/@datetime")


def _authors(tree, ld: dict, selectors: Selectors) -> list[str]:
    authors: list[str] = []
    for el in first_xpath(tree, selectors.byline):
        authors.extend(split_authors(el if isinstance(el, str) else element_text(el)))
    if not authors:
        people = ld.get("author")
        people = people if isinstance(people, list) else [people]
        # An organisation credited as author ("BBC News") is not a byline.
        people = [p for p in people if not (isinstance(p, dict) and "Organization" in str(p.get("@type", "")))]
        authors = [a for n in names_of(people) for a in split_authors(n)]
    if not authors:
        author = meta_content(tree, "author", "article:author")
        if author and not author.startswith("http"):
            authors = split_authors(author)
    dropped = {n.lower() for n in selectors.not_authors}
    return [a for a in _dedupe(authors) if a.lower() not in dropped]


def _cut_dateline(tree, paragraphs: list[Paragraph], selectors: Selectors) -> Optional[str]:
    """The dateline opening the story ("BEIRUT, March 7 (Reuters) -"), cut from its paragraph."""
    first = next((p for p in paragraphs if p.kind == "text"), None)
    if first is None:
        return None
    dateline = None
    for el in first_xpath(tree, selectors.dateline):
        place = el if isinstance(el, str) else element_text(el)
        place = clean_text(place)
        if place and first.text.startswith(place):
            dateline, first.text = place, first.text[len(place):].lstrip()
            break
    if selectors.dateline_text:
        m = re.match(selectors.dateline_text, first.text)
        if m and m.end() < len(first.text):
            dateline = clean_text(((dateline or "") + " " + m.group(0)).strip())
            first.text = first.text[m.end():].lstrip()
    return dateline


def document_ld_article(document: Document) -> dict:
    """The page's JSON-LD article object (json_ld_article), parsed once a document: outlet
    detection reads its publisher, the page's reader the rest. Shared: read it, never change it."""
    memo = document.__dict__.setdefault("_detect_signals", {})
    if "ld_article" not in memo:
        memo["ld_article"] = json_ld_article(document.tree())
    return memo["ld_article"]


def parse_html_article(document: Document, selectors: Selectors, outlet_name: Optional[str] = None) -> Article:
    tree = document.tree()
    ld = document_ld_article(document)
    article = Article(outlet=outlet_name)

    heads = first_xpath(tree, selectors.headline + ("//h1",))
    headline = clean_text(ld.get("headline")) if isinstance(ld.get("headline"), str) else ""
    if heads:
        headline = element_text(heads[0]) if not isinstance(heads[0], str) else clean_text(heads[0])
    article.headline = headline or meta_content(tree, "og:title") or clean_text(tree.findtext(".//title")) or None
    article.byline = _authors(tree, ld, selectors)

    article.published = (_date_of(first_xpath(tree, selectors.published)) or parse_date(ld.get("datePublished"))
                         or parse_date(meta_content(tree, "article:published_time", "og:article:published_time",
                                                    "datePublished", "pubdate", "date"))
                         or _date_of(first_xpath(tree, PUBLISHED_FALLBACK)))
    article.modified = (_date_of(first_xpath(tree, selectors.modified)) or parse_date(ld.get("dateModified"))
                        or parse_date(meta_content(tree, "article:modified_time", "og:article:modified_time",
                                                   "dateModified"))
                        or _date_of(first_xpath(tree, MODIFIED_FALLBACK)))
    article.url = canonical_url(tree) or document.url
    section = first_xpath(tree, selectors.section)
    article.section = (clean_text(section[0] if isinstance(section[0], str) else element_text(section[0])) if section else None) \
        or meta_content(tree, "article:section") \
        or (clean_text(ld.get("articleSection")) if isinstance(ld.get("articleSection"), str) else None) or None

    reader = BodyReader(remove=selectors.remove + GENERIC_REMOVE, keep=selectors.keep, headings=selectors.headings,
                        embeds=selectors.embeds, furniture_text=selectors.furniture_text,
                        furniture_headings=selectors.furniture_headings)
    # The reader chain (core/readers.py): the plugin's selectors, the generic finder, JSON-LD
    # articleBody, the densest paragraphs read by the plugin's rules. (A page its selectors do not
    # fit is often not the outlet's own: one that only links to the outlet, claimed weakly.)
    from . import readers
    from .boilerplate import story_paragraphs
    chosen = first_xpath(tree, selectors.body)
    chain = [(readers.SELECTORS, lambda: reader.read(chosen))] if chosen else []
    chain += [(readers.GENERIC, lambda: story_paragraphs(tree)), (readers.JSON_LD, lambda: readers.json_ld_paragraphs(ld)),
              (readers.PARAGRAPH_RUN, lambda: reader.read(densest_paragraphs(tree)))]
    readers.read_story(article, chain)
    article.dateline = _cut_dateline(tree, article.paragraphs, selectors)
    return article
