"""Finding the story in a page no plugin knows: the densest run of paragraphs, with site furniture
(captions, related links, newsletter prompts, ads, share buttons, "most read" lists) left out, live-blog
entries kept in page order, block quotations and embedded social posts told apart from story text.

Works on any lxml tree; outlet plugins that know their selectors do not need it."""
from __future__ import annotations

import itertools
import re
from typing import Iterator, Optional

from .htmltools import clean_text, element_text
from .model import Paragraph

# Elements that never hold story text.
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "button", "form", "select",
             "figure", "figcaption", "aside", "nav", "footer", "header", "input", "textarea", "label",
             "video", "audio", "picture", "img", "dialog", "menu", "object", "embed", "link", "meta",
             "title", "head", "amp-ad", "amp-embed", "amp-sidebar", "amp-img", "amp-analytics"}

# Class, id and data-component words that mark furniture. Matched against hyphen/underscore-separated
# pieces of each token, so "article-related__links" and "RelatedLinks" both hit "related"; any case.
FURNITURE_WORD_SET = frozenset("""
    related relatedlinks newsletter newsletters signup sign-up subscribe subscription share sharing
    shares sharebar social socials advert adverts advertisement advertising ad ads adslot adunit dfp gpt
    sponsored promo promotion promoted outbrain taboola caption captions credit credits readmore
    breadcrumb breadcrumbs comment comments commentcount disqus mostread mostpopular mostviewed popular
    trending recommended recommendations recirc recirculation onward teaser teasers sidebar byline
    bylines author authors tags keywords toolbar cookie consent paywall banner modal overlay skip
    visually sr offscreen meta metadata timestamp dateline kicker eyebrow headline standfirst strapline
    subtitle subheadline dek podcast playlist gallery slideshow carousel lightbox pullquote player vjs
    jwplayer brightcove""".split())
# The same as a pattern, for a piece with letters beyond ASCII (re.I folds some of them, the
# Kelvin sign among them, onto ASCII letters; str.lower() does not always).
FURNITURE_WORDS = re.compile(r"^(?:" + "|".join(sorted(FURNITURE_WORD_SET)) + r")$", re.I)
# Words that only mark furniture when whole: "read-more", "more-on", "see-also".
FURNITURE_PHRASES = re.compile(
    r"read[-_]?more|more[-_]?on[-_]|see[-_]?also|also[-_]?read|most[-_]?(?:read|popular|viewed)|"
    r"further[-_]?reading|editor'?s[-_]?picks?|top[-_]?stories|you[-_]?may[-_]?like|"
    r"in[-_]?case[-_]?you[-_]?missed|sub[-_]title|liveblog[-_]?key[-_]?events|key[-_]?events|"
    r"el__(?:embedded|gallery|video|storyelement)|zn-body__footer|submeta|"
    r"(?:^|[-_])(?:ad|ads)(?:[-_]|$)", re.I)
EMBED_MARKS = re.compile(
    r"twitter-tweet|twitter-timeline|instagram-media|tiktok-embed|fb-post|fb-video|"
    r"(?:^|[-_\s])(?:tweet|x-post|social-embed|embed-twitter|embed-instagram|embed-facebook|"
    r"embed-tiktok|bluesky|threads-post)(?:$|[-_\s])|"
    r"element-tweet|element-instagram|TweetBlockElement|InstagramBlockElement|SocialEmbed", re.I)
# What every match of FURNITURE_PHRASES, or of EMBED_MARKS, holds (in lower case): a class name
# holding none of these is judged without the pattern's search, which tries each of its branches
# at each letter (tests/test_reader_shapes.py checks them against the patterns).
PHRASE_NEEDLES = ("ad", "more", "also", "most", "pick", "stories", "like", "missed", "title", "events",
                  "el__", "footer", "submeta")
EMBED_NEEDLES = ("tweet", "twitter", "instagram", "tiktok", "fb-", "x-post", "social", "facebook",
                 "bluesky", "threads")

# Paragraph texts that are furniture whatever their markup.
FURNITURE_TEXT = re.compile(
    r"^(?:read more|more:|related:|related (?:articles?|stories|story|video|content|topics)\b|see also|also read|"
    r"most read|most popular|most viewed|advertisement|sponsored|click here|sign up|subscribe|follow us|"
    r"follow (?:the|our) |follow [\w\u2019']+ coverage|share this|share on|"
    r"join (?:our|the) .{0,40}(?:whatsapp|community|newsletter|channel)|"
    r"get (?:our|the) .{0,40}(?:newsletter|email|bulletin)|"
    r"want (?:more|to get|the latest)|download (?:the|our) .{0,20}app|photograph:|photo:|image:|"
    r"\(image:|pictured:|watch:|listen:|view (?:\d+ )?comments|\d+ comments?$|comments?$|"
    r"we use cookies|this article (?:is|was) (?:more than|over) |"
    r"privacy notice:|newsletter promotion|after newsletter promotion|skip past newsletter|"
    r"support (?:the guardian|our journalism)|do you have a story|got a story|"
    r"(?:copyright|\u00a9) |all contents (?:\u00a9|copyright)|all rights reserved|this material may not be published|"
    r"story highlights|key events|other news|your video will play|powered by|advertising$|play video|"
    r"loading(?: [\w ]{1,20})?(?:\.\.\.|\u2026)$|share:?$|"
    r"(?:written|posted|reviewed|fact[- ]checked|medically reviewed|edited) by ?[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}$|"
    r"(?:are|is) .{0,60}\? get in touch|get in touch (?:with|at)|email .{0,30}@|"
    r"(?:\w+ )?(?:writer|correspondent|reporter|editor)s? .{0,60} contributed to this report|"
    r"[\w ]{0,60}contributed (?:reporting|to this report|from )|"
    r".{0,80}(?:receives|receive) (?:financial )?support from .{0,200}(?:solely responsible|responsible for all content)|"
    r".{0,60}is solely responsible for all content)", re.I)
# Inline lead-ins that make a paragraph a link to another story ("READ MORE: ...").
READ_MORE = re.compile(r"^(?:READ MORE|MORE|RELATED|READ|WATCH|LISTEN|LIVE|LATEST|UPDATE|PICTURED)\b[^a-z]{0,3}:",
                       re.U)

BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "ul", "ol", "li", "table", "h1", "h2",
              "h3", "h4", "h5", "h6", "figure", "header", "footer", "aside", "nav", "form", "dl", "pre", "hr",
              "center", "amp-live-list", "details", "summary"}
MIN_BLOCK_CHARS = 25


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


# In this order, the attributes whose words _marks joins.
_MARK_ATTRIBUTES = ("class", "id", "role", "data-component", "data-gu-name", "data-testid", "itemprop",
                    "data-spacefinder-role", "aria-label")
_MARK_ORDER = {name: i for i, name in enumerate(_MARK_ATTRIBUTES)}


def _marks(el) -> str:
    """The words an element's markup says about it: class, id, role and component names."""
    return _marks_of(el.items())


def _marks_of(items: list) -> str:
    """_marks from an element's (attribute, value) pairs: one call into lxml for all of them,
    rather than one for each of nine names, most of which an element does not have."""
    if not items:
        return ""
    found = [(_MARK_ORDER[name], value) for name, value in items if value and name in _MARK_ORDER]
    if len(found) > 1:
        found.sort()        # names are unique: sorted by their place in _MARK_ATTRIBUTES alone
    return " ".join([value for _, value in found])


EMBED_TAGS = {"amp-twitter", "amp-instagram", "amp-facebook", "amp-tiktok", "amp-bluesky", "amp-reddit"}


def is_embed(el) -> bool:
    """An embedded social post: not the outlet's words, kept apart from the story text."""
    return _is_embed(el, _tag(el), _marks(el))


def _is_embed(el, tag: str, marks: str) -> bool:
    return tag in EMBED_TAGS or (bool(marks) and _marks_embed(marks)) or (
        tag == "blockquote" and bool(el.get("data-tweet-id") or el.get("data-instgrm-permalink")))


def is_furniture(el) -> bool:
    return _is_furniture(el, _tag(el), _marks(el) if isinstance(el.tag, str) else "")


# The page's frame: its class list describes the whole page (a CMS writes "has-sidebar
# cookie-banner-active" on <body>), and a script may hide it until it has loaded; never furniture.
PAGE_FRAME = {"html", "body", "main"}
# Class, id or itemprop words naming the story's own box ("post-body", "entry-content",
# itemprop="articleBody"): whatever other words the box carries ("hs_cos_wrapper_meta_field",
# "share-btns-container"), it is no furniture.
CONTENT_HINT = re.compile(r"(?:^|[\s_-])(?:article|post|entry|story|blog)[-_]?(?:body|content|text)(?:$|[\s_-])|"
                          r"(?:^|\s)articleBody(?:$|\s)", re.I)
_COMMENT_CLASS = re.compile(r"(?:^|\s)comments?(?:$|[\s_-])", re.I)


# An accordion's or a tab set's panel: hidden until its heading is clicked, yet part of the page's
# text (WAI-ARIA names it a region or tabpanel, labelled by its heading).
_PANEL_ROLES = {"region", "tabpanel"}


def _folded_panel(get) -> bool:
    return get("role") in _PANEL_ROLES or get("aria-labelledby") is not None


def _is_furniture(el, tag: str, marks: str, attributes: Optional[dict] = None) -> bool:
    """attributes: el's attributes as a dict, when the caller has them."""
    return _furniture_reason(el, tag, marks, attributes) is not None


def _furniture_reason(el, tag: str, marks: str, attributes: Optional[dict] = None) -> Optional[str]:
    """Why el is furniture: "tag" (never text), "hidden" (not shown to readers), "marks" (its class
    or id words say so), or None when it is not."""
    if not tag or tag in SKIP_TAGS:
        return "tag"
    if tag in PAGE_FRAME:
        return None
    get = el.get if attributes is None else attributes.get
    if (get("hidden") is not None or get("aria-hidden") == "true"
            or "display:none" in (get("style") or "").replace(" ", "")) and not _folded_panel(get):
        return "hidden"
    if get("role") in ("complementary", "navigation", "banner", "contentinfo", "dialog"):
        return "marks"
    if tag == "article":
        # A post's classes name its category and tags ("category-newsletter", "tag-cookies",
        # "promoted"): only a comment's own words make an <article> furniture.
        return "marks" if _COMMENT_CLASS.search(marks) else None
    if not marks or CONTENT_HINT.search(marks):
        return None
    return "marks" if _marks_furniture(marks) else None


# A page repeats its markup words (a template's, on every block): each set is judged once.
_JUDGED_EMBED: dict = {}
_JUDGED_FURNITURE: dict = {}


def _marks_embed(marks: str) -> bool:
    judged = _JUDGED_EMBED.get(marks)
    if judged is None:
        if len(_JUDGED_EMBED) >= 50_000:
            _JUDGED_EMBED.clear()
        judged = _JUDGED_EMBED[marks] = any(_token_embed(token) for token in marks.split())
    return judged


_EMBED_TOKENS: dict = {}


def _token_embed(token: str) -> bool:
    """One class/id word marks an embedded post (as for furniture, no pattern spans a space)."""
    judged = _EMBED_TOKENS.get(token)
    if judged is None:
        if len(_EMBED_TOKENS) >= 50_000:
            _EMBED_TOKENS.clear()
        judged = _EMBED_TOKENS[token] = _may_hold(token, EMBED_NEEDLES) and bool(EMBED_MARKS.search(token))
    return judged


def _marks_furniture(marks: str) -> bool:
    judged = _JUDGED_FURNITURE.get(marks)
    if judged is None:
        if len(_JUDGED_FURNITURE) >= 50_000:
            _JUDGED_FURNITURE.clear()
        judged = _JUDGED_FURNITURE[marks] = any(_token_furniture(token) for token in marks.split())
    return judged


# Whole mark strings rarely repeat (ids, state classes), their words do: each word judged once.
_JUDGED_TOKENS: dict = {}


def _token_furniture(token: str) -> bool:
    """One class/id word marks furniture (no pattern spans a space, so a mark string is
    furniture exactly when one of its words is)."""
    judged = _JUDGED_TOKENS.get(token)
    if judged is None:
        if len(_JUDGED_TOKENS) >= 50_000:
            _JUDGED_TOKENS.clear()
        name = _unmodified(token)
        judged = _JUDGED_TOKENS[token] = (_may_hold(name, PHRASE_NEEDLES) and bool(FURNITURE_PHRASES.search(name))) \
            or any(_furniture_word(p) for p in _own_pieces(name))
    return judged


def _may_hold(token: str, needles: tuple) -> bool:
    """Whether token may match a pattern every match of which holds one of needles: False only
    when it surely does not. (Beyond ASCII, re.I's case folding is the pattern's own to judge.)"""
    if not token.isascii():
        return True
    low = token.lower()
    for needle in needles:
        if needle in low:
            return True
    return False


def _furniture_word(piece: str) -> bool:
    return piece.lower() in FURNITURE_WORD_SET if piece.isascii() else bool(FURNITURE_WORDS.match(piece))


def _unmodified(token: str) -> str:
    """A class name without its modifier: in "block--modifier" (BEM, and Drupal's
    "field--name-field-x") the words after "--" say how the element is laid out or which field
    it shows ("m-article--sidebar-right"), not what it is."""
    head, _, _ = token.partition("--")
    return head or token


_COMPOSED = re.compile(r"^(?:with|has|have|no|without|for|and)$", re.I)
_PIECE_BREAK = re.compile(r"[-_]+|(?<=[a-z])(?=[A-Z])")


def _own_pieces(token: str) -> list[str]:
    """The words of a class name that describe the element itself: "ContainerWithSidebarWrapper",
    "zn-has-multiple-containers" and "map-and-related" say what the element holds beside the
    story, not what it is."""
    pieces = [p for p in _PIECE_BREAK.split(token) if p]
    for i, piece in enumerate(pieces):
        if _COMPOSED.match(piece):
            return pieces[:i]
    return pieces


def link_density(el, text: str) -> float:
    """The share of a block's text that is link text; a block inside a link is all link."""
    # ("a", "A"): the tags _tag reads as "a", found by lxml's own filtered walk up the tree.
    if not text or next(el.iterancestors("a", "A"), None) is not None:
        return 1.0
    linked = sum(len(element_text(a)) for a in el.iter("a"))
    return min(1.0, linked / len(text))


# Inline elements that carry a block's text when it has none of its own: <pre><code>..</code></pre>
# is a code block, <p><font>..</font></p> an old page's paragraph.
_TEXT_INLINE = {"a", "b", "strong", "em", "i", "u", "span", "font", "small", "mark", "abbr", "cite", "q", "code",
                "kbd", "samp", "tt", "var", "dfn", "big", "s", "del", "ins", "sub", "sup"}


def _is_leaf_block(el) -> bool:
    """A div or span written as a paragraph: text of its own and no block-level children."""
    if not (el.text or "").strip() and not any((c.tail or "").strip() for c in el):
        if not any(_tag(c) in _TEXT_INLINE for c in el):
            return False
    # (lxml's walk filtered by thirty names is slower than this loop: it sets up a matcher per call.)
    for d in el.iterdescendants():
        tag = d.tag
        if isinstance(tag, str) and tag.lower() in BLOCK_TAGS:
            return False
    return True


# Markup that is furniture however much text it holds (reader comments, ad networks).
HARD_FURNITURE = re.compile(r"comment|outbrain|taboola|disqus|most-?(?:read|popular|viewed)|newsletter|"
                            r"onetrust|cookie|consent|gdpr|privacy|paywall", re.I)


# A box set beside the story (<aside>) may hold part of it, an eyewitness account say; a page's
# header, a button, a figure or a form may hold all of it when the page is misnested (an unclosed
# <header>, <button> or a figure's unclosed <div>) or wraps everything in one <form> (ASP.NET).
# No other element skipped by its tag does.
MISNESTED = {"aside", "header", "button", "form", "figure"}
# Read again, relaxed, a page may have its story in its <nav> too: a menu left open swallows it.
RELAXED_MISNESTED = MISNESTED | {"nav"}


# Hard furniture that is never the story however much prose it holds: what readers write.
READERS_TALK = re.compile(r"comment|disqus|outbrain|taboola|most-?(?:read|popular|viewed)", re.I)
MOST_OF_PAGE = 0.6


def _holds_most_of_page(el) -> bool:
    """el holds most of its page's paragraph text: a newsletter's archived issue in a box named
    after the newsletter, a consent wrapper round the whole page."""
    def prose(root) -> int:
        return sum(len(t) for p in root.iter("p") for t in p.itertext())
    page = prose(el.getroottree().getroot())
    return page > 0 and prose(el) >= MOST_OF_PAGE * page


def _holds_story_box(el) -> bool:
    """A box inside el is named as the story's body (CONTENT_HINT): el is a wrapper round the story
    ("commentOnSelection", a feature letting readers comment on a passage), not a comment box."""
    for d in el.iterdescendants():
        if isinstance(d.tag, str):
            marks = _marks(d)
            if marks and CONTENT_HINT.search(marks) and not _COMMENT_CLASS.search(marks):
                return True
    return False


def _holds_story(el, marks: Optional[str] = None) -> bool:
    """A subtree marked as furniture that still holds a run of real paragraphs: wrappers named
    after a share widget or an ad slot that happen to enclose the story. marks: _marks(el), when
    the caller has it."""
    if not isinstance(el.tag, str):
        return False
    tag = _tag(el)
    if tag in SKIP_TAGS and tag not in MISNESTED:
        return False
    marks = _marks(el) if marks is None else marks
    if not _holds_paragraph_run(el):
        return False
    if HARD_FURNITURE.search(marks):
        # Comments, a newsletter or a consent box may hold paragraphs too: only a wrapper round the
        # story's own box, or one holding most of the page's prose that is not readers' talk, is read.
        return _holds_story_box(el) or (not READERS_TALK.search(marks) and _holds_most_of_page(el))
    return True


def _holds_paragraph_run(el) -> bool:
    """A run: three long paragraphs side by side under one parent. Gallery captions and teasers
    come one to an item, so they never make one. Only paragraphs with two sisters can be in one,
    so only theirs are read (the element itself is the key: lxml reuses ids of freed proxies)."""
    by_parent: dict = {}
    for p in el.iter("p"):
        by_parent.setdefault(p.getparent(), []).append(p)
    for sisters in by_parent.values():
        if len(sisters) < 3:
            continue
        run = 0
        for p in sisters:
            text = element_text(p)
            if len(text) >= 80 and link_density(p, text) < 0.3:
                run += 1
                if run >= 3:
                    return True
    return False


def candidate_blocks(root, relaxed: bool = False) -> Iterator[tuple]:
    """(element, kind) for every paragraph-like block under root, in page order; furniture subtrees
    are skipped and a block's own insides are never blocks again. relaxed: a box marked furniture
    by its class words alone is read when it holds most of the page's prose (ProseMass)."""
    out: list = []
    _collect_blocks(root, out, {}, ProseMass(root) if relaxed else None)
    return iter(out)


class ProseMass:
    """How much paragraph text each element holds, against the whole of root's: a box whose class
    words say furniture ("banner", "sidebar" in a page builder's layout classes) yet holds most of
    the page's prose is the story's frame, not a box beside it."""

    MOST = 0.5

    def __init__(self, root):
        self.held: dict = {}
        self.total = 0
        for p in root.iter("p", "P"):
            size = sum(len(t) for t in p.itertext())
            if size < MIN_BLOCK_CHARS:
                continue
            self.total += size
            for anc in p.iterancestors():
                self.held[anc] = self.held.get(anc, 0) + size

    def holds_most(self, el) -> bool:
        return self.total > 0 and self.held.get(el, 0) >= self.MOST * self.total


def _holds_most_prose(el, prose: Optional[ProseMass], marks: str) -> bool:
    return prose is not None and prose.holds_most(el) and not HARD_FURNITURE.search(marks)


# Headings inside the story ("What to pack first"); an <h1> is the page's headline, read apart.
SUBHEADINGS = {"h2", "h3", "h4", "h5", "h6"}
# Story text that is not running prose: list items, definitions, code.
ITEM_TAGS = {"li", "dd", "dt", "pre"}


def _is_data_row(row) -> bool:
    """A table row of data (text in its cells), not a layout table's row holding the page's blocks."""
    for d in row.iterdescendants():
        tag = d.tag
        if isinstance(tag, str) and tag.lower() in BLOCK_TAGS and tag.lower() != "p":
            return False
    return True


def _text_figure(el, tag: str) -> bool:
    """A figure holding text, not a picture: <figure><blockquote>..</blockquote><figcaption>..
    </figcaption></figure>, HTML's markup for a quotation and its source, or a table set in a
    figure (the block editors' way with every table, maybe inside a wrapper). The quotation or
    table is story text, the caption is left out by its tag."""
    return tag == "figure" and (any(_tag(c) == "blockquote" for c in el) or next(el.iter("table"), None) is not None)


LOOSE_TEXT_MIN_WORDS = 6
_INLINE_KEEP = {"a", "b", "strong", "em", "i", "u", "span", "font", "small", "sup", "sub", "mark", "abbr",
                "cite", "q", "code", "time", "br", "del", "ins", "s", "big", "tt", "var", "kbd", "dfn"}


def _wrap_loose_text(root) -> None:
    """Story text set straight into a container between its blocks (old pages, and blogs that
    write "<div>text<br>text<h2>..</h2>text</div>") is made a paragraph of its own: the run of text
    and inline elements between two blocks becomes a <p> in the tree, when it reads like prose."""
    if not ((root.text or "").strip() or any((c.tail or "").strip() for c in root)):
        return
    if not any(isinstance(c.tag, str) and _tag(c) in BLOCK_TAGS for c in root):
        return
    runs, inline, before = [], [], None       # (block before the run, its inline elements)
    for child in root:
        if isinstance(child.tag, str) and (_tag(child) not in _INLINE_KEEP or _holds_block(child)):
            runs.append((before, inline))
            before, inline = child, []
        else:
            inline.append(child)
    runs.append((before, inline))
    for before, inline in runs:
        leading = root.text if before is None else before.tail
        words = len((leading or "").split()) + sum(
            len(" ".join(c.itertext()).split()) + len((c.tail or "").split()) for c in inline if isinstance(c.tag, str))
        if words >= LOOSE_TEXT_MIN_WORDS:
            _make_paragraph(root, before, leading, inline)


def _holds_block(el) -> bool:
    for d in el.iterdescendants():
        tag = d.tag
        if isinstance(tag, str) and tag.lower() in BLOCK_TAGS:
            return True
    return False


def _make_paragraph(root, before, leading: Optional[str], inline: list) -> None:
    """Move a run (the text after `before`, or root's own text, and the inline elements after it)
    into a new <p> at the run's place."""
    p = root.makeelement("p", {})
    p.text = leading
    if before is None:
        root.text, at = None, 0
    else:
        before.tail, at = None, root.index(before) + 1
    for c in inline:
        p.append(c)          # moves c with its tail
    root.insert(at, p)


def _collect_blocks(root, out: list, judged: dict, prose: Optional[ProseMass]) -> None:
    # A list filled by plain recursion: nested generators pass every block up through each level.
    crowded = None      # root has two <p> children or more: none of its blocks is a lone caption
    _wrap_loose_text(root)
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        tag = tag.lower()
        verdict, marks = _judged_markup(child, tag, child.items(), judged)
        if verdict == "embed":
            out.append((child, "embed"))
        elif verdict == "furniture" and not (_holds_story(child, marks) or _text_figure(child, tag)
                                             or (tag in RELAXED_MISNESTED and _holds_most_prose(child, prose, marks))):
            continue
        elif verdict == "marked" and not (_holds_story(child, marks) or _holds_most_prose(child, prose, marks)):
            continue
        elif tag == "blockquote" and not any(_tag(c) in ("p", "div") for c in child):
            out.append((child, "blockquote"))
        elif tag in SUBHEADINGS:
            out.append((child, "heading"))
        elif (tag in ITEM_TAGS and _is_leaf_block(child)) or (tag == "tr" and _is_data_row(child)):
            out.append((child, "item"))
        elif tag == "p" or (tag in ("div", "span") and _is_leaf_block(child)):
            if crowded is None:
                crowded = sum(1 for c in root if _tag(c) == "p") >= 2
            if crowded or not beside_image(child):
                out.append((child, "blockquote" if _in_blockquote(child) else "text"))
        else:
            _collect_blocks(child, out, judged, prose)


def _judged_markup(el, tag: str, items: list, judged: dict) -> tuple:
    """(verdict, marks): whether el is an embed, furniture or neither (None), and its markup
    words. Both read el's tag and attributes alone, and a page repeats its markup (a template's
    classes on every block): judged, a memo for one page, answers for each such set once."""
    key = (tag, *items)
    found = judged.get(key)
    if found is None:
        marks = _marks_of(items)
        if _is_embed(el, tag, marks):
            verdict = "embed"
        else:
            reason = _furniture_reason(el, tag, marks, dict(items))
            verdict = "marked" if reason == "marks" else "furniture" if reason else None
        found = judged[key] = (verdict, marks)
    return found


PICTURES = {"img", "picture", "amp-img", "figure", "video", "amp-video", "iframe", "amp-iframe"}
# A caption says what a picture shows in a sentence or two; a block longer than this beside a
# picture is the story's own paragraph (a review's entry under its cover, an embedded player).
CAPTION_MAX_CHARS = 250


def beside_image(el) -> bool:
    """A caption set as a lone text block in a box with a picture (old CNN, many CMSs)."""
    box = el.getparent()
    if box is None or _tag(box) in ("body", "html"):
        return False
    if len(element_text(el)) > CAPTION_MAX_CHARS:
        return False
    if any(_tag(c) == "p" for c in box if c is not el):
        return False
    text_children = [c for c in box if _tag(c) in ("p", "div", "span") and (c.text or "").strip()]
    if len(text_children) > 2:
        return False
    # The picture sits beside the text, or inside a wrapper beside it.
    return any(c is not el and isinstance(c.tag, str) and _holds_picture(c) for c in box)


def _holds_picture(el) -> bool:
    """el or an element inside it is a picture. (A loop: lxml's walk filtered by eight names
    sets up a matcher per call, which costs more than walking these small subtrees.)"""
    for d in el.iter():
        if d.tag in PICTURES:
            return True
    return False


def _in_blockquote(el) -> bool:
    return next(el.iterancestors("blockquote", "BLOCKQUOTE"), None) is not None


MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A line that is only a time stamp, maybe after an author's name: "Jamie Smith14 August 2023 10:01",
# "July 10, 2012 -- Updated 0027 GMT (0827 HKT)", "First published February 1, 2016: 1:28 AM ET".
TIMESTAMP_WORDS = re.compile(
    MONTHS + r"|\d+(?:st|nd|rd|th)?|updated|published|first|last|posted|modified|on|at|gmt|bst|utc|et|edt|est|"
    r"pt|pdt|hkt|cet|cest|am|pm|a\.m\.|p\.m\.|ago|today|yesterday|mins?|minutes?|hours?|hrs?|days?|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday", re.I)
SENTENCE_END = re.compile(r"[.!?:;\"\u201d\u2019'\u2026]$")


LEAD_INS = {"on", "of", "from", "by", "in", "at", "to", "about", "with", "more"}
# Compiled here, not looked up in re's cache: these run on every block of a page.
_DIGIT = re.compile(r"\d")
_TIMESTAMP_TOKEN = re.compile(r"[A-Za-z.]+|\d+")
_LETTER = re.compile(r"[^\W\d_]")


_NO_TIME = {"on", "at", "first", "last"}
_CLOCK_OR_DATE = re.compile(r"\d:\d\d|\d[/.-]\d{1,2}[/.-]\d")


def is_timestamp_line(text: str) -> bool:
    # The cheap tests first: the word split is the costly part, and most lines are long.
    if len(text) > 90 or not _DIGIT.search(text):
        return False
    words = _TIMESTAMP_TOKEN.findall(text)
    if not words:
        return False
    stamp = [w for w in words if TIMESTAMP_WORDS.fullmatch(w)]
    rest = len(words) - len(stamp)
    if rest > 3 or rest >= len(words) / 2 + 1:
        return False
    # A number alone is no time ("1. Embarque", "Rank 2: Mosalingua"): a month, a day, a clock word
    # or a clock or date written in figures makes one.
    return any(not w.isdigit() and w.lower() not in _NO_TIME for w in stamp) or bool(_CLOCK_OR_DATE.search(text))


def is_furniture_text(text: str) -> bool:
    """Lines that are furniture whatever their markup: prompts, labels, time stamps, rules, and
    short captionless labels ("Key events", "Reuters", a lone author name)."""
    if FURNITURE_TEXT.match(text) or READ_MORE.match(text) or is_timestamp_line(text):
        return True
    if not _LETTER.search(text):          # "___", "* * *", "1/50"
        return True
    # "$" matches at the end or before a final newline: the search starts two characters from it.
    if SENTENCE_END.search(text, max(0, len(text) - 2)):
        return False
    words = text.split()
    # "Key events", "Reuters"; and labels leading into a link: "Part of complete coverage on".
    return len(words) <= 4 or (len(words) <= 8 and words[-1].lower() in LEAD_INS)


# Headings over furniture: what follows them is not the story.
FURNITURE_HEADING = re.compile(
    r"^(?:related|recent|popular|latest|more (?:from|on|in|stories|articles|news)|you (?:may|might) also|"
    r"recommended|trending|leave a (?:reply|comment)|comments?\b|\d+ (?:comments?|responses?|replies)|"
    r"share|follow|subscribe|sign up|newsletter|tags?\b|categories|about the author|"
    r"(?:post|article) navigation|table of contents|contents$|in this (?:article|post)|"
    r"footer|menu|search|what to read next|read (?:next|more|also))", re.I)


def is_furniture_heading(text: str) -> bool:
    """A heading over furniture ("Related posts", "Leave a reply"), or a heading that is a label
    or time stamp; any other heading inside the story is kept, however short."""
    return is_furniture_label(text) or bool(FURNITURE_HEADING.match(text)) or is_timestamp_line(text)


def is_furniture_label(text: str) -> bool:
    """A prompt or label that is furniture whatever its length ("Share this", "Advertisement")."""
    return bool(FURNITURE_TEXT.match(text) or READ_MORE.match(text) or not _LETTER.search(text))


def _good_text(el, text: str) -> int:
    """How much story-like text a block holds: long, sentence-like, not a list of links."""
    if len(text) < MIN_BLOCK_CHARS or is_furniture_text(text):
        return 0
    if link_density(el, text) > 0.5:
        return 0
    return len(text)


def row_text(row) -> str:
    """A table row's cells, apart: "Basic | $3,000", not "Basic$3,000"."""
    cells = [element_text(c) for c in row if _tag(c) in ("td", "th")]
    return " | ".join(c for c in cells if c) or element_text(row)


def _block_weight(el, kind: str, text: str) -> int:
    """What a block adds to its container's claim to be the story: its story-like text, half of
    it for a list item (a list of references or product specs is not the story's prose), nothing
    for a heading."""
    if kind == "heading":
        return 0
    if kind == "blockquote" and next(el.iterancestors("figure", "FIGURE"), None) is not None:
        return 0        # a pull quote or a testimonial set in a figure: no sign of the story's place
    good = _good_text(el, text)
    return good // 2 if kind == "item" else good


def _block_scores(root, relaxed: bool = False) -> list[tuple]:
    """(element, kind, story-like length, text) for each block under root; text is the block's
    element_text (None for an embed), kept so that the story's paragraphs need not read it again."""
    out = []
    for el, kind in candidate_blocks(root, relaxed):
        if kind == "embed":
            out.append((el, kind, 0, None))
        else:
            text = row_text(el) if _tag(el) == "tr" else element_text(el)
            out.append((el, kind, _block_weight(el, kind, text), text))
    return out


MAX_CLIMB = 10
# A container holding less than this share of the page's story-like text, beside boxes holding
# (with it) nearly all the rest (LISTING_WHOLE), is one entry of a listing or a landing page's
# introduction: the whole listing is the page's text, not a teaser box beside a story.
LISTING_SHARE = 0.3
LISTING_WHOLE = 0.8
ENTRY_RUN = 3
ENTRY_CHARS = 250


def _linked_headings(el) -> bool:
    """A heading inside el is a link, or sits in one."""
    for h in el.iter("h2", "h3", "h4", "h5", "h6"):
        if next(h.iter("a"), None) is not None or next(h.iterancestors("a"), None) is not None:
            return True
    return False


def story_container(tree) -> Optional[object]:
    """The element holding the story: the best-scoring parent of paragraphs (a paragraph's parent
    gets its length, the grandparent half), then widened while an ancestor adds story-like text, so
    that the entries of a live blog or a body split over several divs come in whole, but not a box
    of teasers or a "most read" panel beside the story."""
    return _find_story(tree)[0]


def _find_story(tree, relaxed: bool = False) -> tuple:
    """(the story container, every block scored), so the blocks are walked once."""
    scored = _block_scores(tree, relaxed)
    scores: dict = {}
    totals: dict = {}
    per_parent: dict = {}
    held_blocks: dict = {}
    blocks: set = set()
    held_by_parent: dict = {}
    for el, kind, good, _ in scored:
        if not good:
            continue
        totals[el] = good
        blocks.add(el)
        parent = el.getparent()
        # A list's items speak for the element holding the list, not for the list itself: a list
        # of references or specifications beside the story is never taken for it.
        if kind != "item":
            scores[parent] = scores.get(parent, 0) + good
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0) + good / 2
        chars, count = held_by_parent.get(parent, (0, 0))
        held_by_parent[parent] = (chars + good, count + 1)
    # What each element holds, added up the tree once for each parent of blocks, not once a block.
    for parent, (chars, count) in held_by_parent.items():
        per_parent[parent] = count
        totals[parent] = totals.get(parent, 0) + chars
        held_blocks[parent] = held_blocks.get(parent, 0) + count
        for anc in parent.iterancestors():
            totals[anc] = totals.get(anc, 0) + chars
            held_blocks[anc] = held_blocks.get(anc, 0) + count
    if not scores:
        return None, scored
    # Paragraphs, wrappers of a single paragraph, and elements holding paragraphs side by side
    # (stories, live-blog entries); a teaser list holds one block to an item, so it is none of these.
    storylike = blocks | {el for el, count in held_blocks.items() if count == 1}
    for parent, count in per_parent.items():
        if count >= 2:
            storylike.add(parent)
            storylike.update(parent.iterancestors())
    # A guide's entries, each a heading and a long paragraph in a box of its own: a box of them is
    # story-like when its paragraphs run long and its headings are no links (a teaser's title is
    # a link to its story, its blurb a line or two).
    for el, count in held_blocks.items():
        if count >= ENTRY_RUN and totals[el] >= ENTRY_CHARS * count and el not in storylike \
                and not _linked_headings(el):
            storylike.add(el)
    best = max(scores, key=scores.get)
    held, current = totals[best], best
    page = sum(good for _, _, good, _ in scored)
    # Past MAX_CLIMB steps only while the container holds less than half of the page's story-like
    # text: a page builder nests each section of a story in a dozen wrappers of its own.
    for steps in itertools.count():
        if steps >= MAX_CLIMB and 2 * held >= page:
            break
        parent = current.getparent()
        if parent is None or _tag(parent) in ("body", "html"):
            break
        wider = totals.get(parent, 0)
        if wider > held:
            like, unlike = _added_text(parent, current, totals, storylike)
            if like < 2 * unlike and unlike > min(0.15 * held, 400) \
                    and not (held < LISTING_SHARE * page and wider >= LISTING_WHOLE * page):
                break
            best, held = parent, wider
        current = parent
    return best, scored


def _signature(el) -> tuple:
    return _tag(el), re.sub(r"\d+", "", el.get("class") or "")


def _added_text(parent, branch, totals: dict, storylike: set) -> tuple[int, int]:
    """The text parent adds to branch, split into story-like (siblings built like branch, as the
    entries of a live blog are, or holding paragraphs side by side) and the rest."""
    like, unlike = 0, 0
    shape = _signature(branch)
    for sibling in parent:
        if sibling is branch or not isinstance(sibling.tag, str):
            continue
        text = totals.get(sibling, 0)
        if _signature(sibling) == shape or sibling in storylike:
            like += text
        else:
            unlike += text
    return like, unlike


def spaced_text(el) -> str:
    """Text of el with a space after each child element, so that an embedded post's paragraph and
    its sign-off ("— Name (@handle) date") do not run together."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and _tag(child) not in SKIP_TAGS:
            parts.append(element_text(child) + " ")
        parts.append(child.tail or "")
    return clean_text("".join(parts))


# A closing quotation mark followed by its own cue ('," he said'): a paragraph written as ordinary
# reporting, even when the page sets it in a <blockquote>.
OWN_CUE = re.compile(r"[\u201d\"]\s*,?\s*(?:he|she|they|it|we|I|[A-Z][\w.\u2019'-]+(?:\s+[A-Z][\w.\u2019'-]+){0,3})"
                     r"\s+(?:said|says|added|adds|told|explained|continued|wrote|insisted|warned)\b")


def _furniture_item(el, text: str) -> bool:
    """A list item or table row that is a label; a table row of figures alone ("$10.00 | $1.50")
    is data, not a rule or a counter."""
    return is_furniture_label(text) and not (_tag(el) == "tr" and _DIGIT.search(text))


def block_kind(kind: str, text: str) -> str:
    return "text" if kind == "blockquote" and OWN_CUE.search(text) else kind


# Less story text than this from the first reading, and the page is read again, relaxed.
SHORT_STORY_CHARS = 150


def story_paragraphs(tree, container=None) -> list[Paragraph]:
    """The story's paragraphs, in page order, each marked text, blockquote or embed. When little
    or nothing is found, the page is read again with boxes whose class words alone say furniture
    read if they hold most of its prose (page builders give layout boxes names like "banner")."""
    found = _story_paragraphs(tree, container)
    if container is None and sum(len(p.text) for p in found) < SHORT_STORY_CHARS:
        again = _story_paragraphs(tree, None, relaxed=True)
        if sum(len(p.text) for p in again) > sum(len(p.text) for p in found):
            return again
    return found


def _story_paragraphs(tree, container=None, relaxed: bool = False) -> list[Paragraph]:
    if container is None:
        container, scored = _find_story(tree, relaxed)
        blocks = [(el, kind, good, text) for el, kind, good, text in scored
                  if container is not None and any(a is container for a in el.iterancestors())]
    else:
        blocks = [(el, kind, 0, None) for el, kind in candidate_blocks(container)]
    if container is None:
        return []
    out: list[Paragraph] = []
    seen: set = set()
    for el, kind, good, text in blocks:
        if kind == "embed":
            text = spaced_text(el)
        elif text is None:
            text = row_text(el) if _tag(el) == "tr" else element_text(el)
        if not text:
            continue
        # A block that scored is no furniture text and at most half links (_good_text): the
        # tests below would pass it, so only the others are put to them.
        if kind in ("heading", "item"):
            # Short, yet story text: "Testing setup", "Gemini CLI" in a list of the tools tested;
            # an item may be all figures ("Basic | $3,000"), a heading is no time stamp.
            if (is_furniture_heading(text) if kind == "heading" else _furniture_item(el, text)) \
                    or link_density(el, text) > 0.6:
                continue
        elif kind != "embed" and not good and (is_furniture_text(text)
                                               or (len(text) > 15 and link_density(el, text) > 0.6)):
            continue
        if text in seen and len(text) > 40:   # pinned posts and key-event lists repeat entries
            continue
        seen.add(text)
        # element_text and spaced_text give clean text already.
        out.append(Paragraph(text, block_kind(kind, text)))
    while out and out[-1].kind == "heading":     # a heading with no story after it heads furniture
        out.pop()
    return out
