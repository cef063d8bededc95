"""The generic body finder (core/boilerplate.py) on page shapes where it used to find nothing or a
fragment: class words on the page's frame, an <article> tagged with a category, a page builder's
layout classes, misnested markup, and story text that is not running prose (subheadings, lists,
tables, a quotation set in a <figure>). Fixtures are written here, modelled on real pages' markup."""
from __future__ import annotations

from quoteledger.boilerplate import story_paragraphs
from quoteledger.htmltools import parse_html
from quoteledger.model import Article, Paragraph

PROSE = ("The council voted on Tuesday to close the old library, a decision that surprised the "
         "residents who had campaigned for two years to keep it open.")


def prose(i: int) -> str:
    """A paragraph of its own (the reader drops a long paragraph repeated word for word)."""
    return f"{PROSE[:-1]}, said neighbour number {i}."


def story(n: int = 4, word: str = "Paragraph") -> str:
    return "".join(f"<p>{word} {i}. {PROSE}</p>" for i in range(n))


def texts(html: str) -> list[str]:
    return [p.text for p in story_paragraphs(parse_html(html))]


def kinds(html: str) -> list[tuple]:
    return [(p.kind, p.text) for p in story_paragraphs(parse_html(html))]


def beside_about_us(box: str) -> str:
    """A page holding `box`, then a site's "about us" box of one long paragraph: the furniture
    the story box must win over."""
    return f"<html><body>{box}<div class='about-us'><p>{prose(8)}</p></div></body></html>"


def test_class_words_on_the_body_do_not_make_the_page_furniture():
    page = (f"<html><body class='has-sidebar cookie-banner-active newsletter-open'><div class='entry'>"
            f"{story()}</div></body></html>")
    assert len(texts(page)) == 4


def test_a_hidden_body_is_still_read():
    # Pages hide the body until their scripts have run.
    page = f"<html><body style='display: none'><main><div>{story()}</div></main></body></html>"
    assert len(texts(page)) == 4


def test_an_article_tagged_with_a_category_is_the_story_but_a_comment_is_not():
    page = (f"<html><body><article class='post category-newsletter tag-cookies promoted'>{story(3)}</article>"
            f"<section><article class='comment'>{story(3, 'Comment')}</article></section></body></html>")
    found = texts(page)
    assert len(found) == 3 and all(t.startswith("Paragraph") for t in found)


def test_a_misnested_header_holding_the_story_is_read():
    # An unclosed <header> swallows the rest of the page.
    page = f"<html><body><header><nav><a href='/'>Home</a></nav><div class='content'>{story()}</div></body></html>"
    assert len(texts(page)) == 4


def test_a_page_wide_form_holding_the_story_is_read():
    page = f"<html><body><form id='aspnetForm'><div class='main'>{story()}</div></form></body></html>"
    assert len(texts(page)) == 4


def test_a_layout_box_named_like_furniture_holding_all_the_prose_is_read():
    # Page builders give their layout boxes responsive class names ("lte-banner-w1564").
    paragraphs = "".join(f"<div class='x{i}'><p>{prose(i)}</p></div>" for i in range(3))
    page = (f"<html><body><div class='md gt-xs lte-banner-w1564'><section>{paragraphs}</section></div>"
            "<div class='footer-links'><a href='/a'>About</a></div></body></html>")
    assert len(texts(page)) == 3


def test_subheadings_lists_and_tables_are_read_in_order_and_furniture_headings_are_not():
    page = (f"<html><body><div class='post'><p>{prose(1)}</p><h2>What to pack first</h2><p>{prose(2)}</p>"
            "<ul><li>Plates</li><li>Books and papers</li></ul>"
            "<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Basic</td><td>$3,000</td></tr></table>"
            f"<p>{prose(3)}</p><h3>Related posts</h3><ul><li><a href='/x'>Another story about moving</a></li></ul>"
            "</div></body></html>")
    found = kinds(page)
    assert found == [("text", prose(1)), ("heading", "What to pack first"), ("text", prose(2)),
                     ("item", "Plates"), ("item", "Books and papers"), ("item", "Plan | Price"),
                     ("item", "Basic | $3,000"), ("text", prose(3))]


def test_a_heading_with_no_story_after_it_is_left_out():
    page = f"<html><body><div>{story(3)}<h2>Share this article</h2><h2>Before you go</h2></div></body></html>"
    found = kinds(page)
    assert all(kind == "text" for kind, _ in found) and len(found) == 3


def test_a_quotation_in_a_figure_is_read_and_its_caption_is_not():
    page = (f"<html><body><div>{story(3)}<figure><blockquote><p>We will rebuild it, and it will be better."
            "</p></blockquote><figcaption>The mayor, speaking on Monday</figcaption></figure></div></body></html>")
    found = kinds(page)
    assert ("blockquote", "We will rebuild it, and it will be better.") in found
    assert not any("speaking on Monday" in text for _, text in found)


def test_a_long_list_of_references_does_not_outweigh_the_prose():
    references = "".join(f"<li>Author {i} A, Other B. A study of the effects of mindfulness on stress and "
                         f"sleep in adults. Journal of Studies. 2016;138({i}):e20161896.</li>" for i in range(12))
    body = "".join(f"<div class='c{i}'><p>{prose(i)} {PROSE}</p></div>" for i in range(4))
    page = f"<html><body><div class='page'><div class='body'>{body}</div><ul>{references}</ul></div></body></html>"
    found = texts(page)
    assert sum(PROSE in t for t in found) == 4


def test_headings_and_list_items_are_story_text_but_not_searched_for_quotations():
    article = Article(paragraphs=[Paragraph("Intro.", "text"), Paragraph("A heading", "heading"),
                                  Paragraph("An item", "item"), Paragraph("A post", "embed"),
                                  Paragraph("Set apart.", "blockquote")])
    assert [p.text for p in article.story_paragraphs()] == ["Intro.", "Set apart."]


def test_loose_text_between_blocks_is_read_as_paragraphs_in_order():
    # Old pages and some blogs write the story straight into the container, split by <br> and headings.
    page = (f"<html><body><div class='entry-content'>{prose(1)}<br><br>{prose(2)}<h2>How it began</h2>"
            f"{prose(3)} <a href='/more'>more on the library</a> and the rest of the sentence."
            f"<p>{prose(4)}</p>Shared</div></body></html>")
    found = kinds(page)
    assert [kind for kind, _ in found] == ["text", "heading", "text", "text"]
    assert found[0][1] == f"{prose(1)} {prose(2)}" and found[2][1].startswith(prose(3))
    assert found[2][1].endswith("more on the library and the rest of the sentence.")


def test_a_misnested_header_is_read_when_it_holds_most_of_the_prose():
    # A <button> left open in the header swallows the page; its paragraphs are not side by side.
    body = "".join(f"<div class='block'><p>{prose(i)}</p></div>" for i in range(3))
    page = f"<html><body><header><button class='menu'><main><article>{body}</article></main></button></header></body></html>"
    assert len(texts(page)) == 3


def test_a_box_named_as_the_story_body_is_read_whatever_else_its_classes_say():
    # A CMS names the body box after its field ("..._meta_field") beside "post_body"; the page
    # has other prose (a box about the firm) that would otherwise be taken for the story.
    body = f"<p>{prose(1)}</p><ul><li>Small boxes for books</li><li>Large boxes for linen</li></ul><p>{prose(2)}</p>"
    page = (f"<html><body><section><span class='hs_wrapper hs_wrapper_meta_field post_body'>{body}</span>"
            f"</section><div class='about'><p>{prose(9)} {PROSE}</p></div></body></html>")
    found = texts(page)
    assert found == [prose(1), "Small boxes for books", "Large boxes for linen", prose(2)]


def test_a_long_paragraph_beside_a_picture_is_story_text_and_a_short_caption_is_not():
    # A review's or a guide's entries: a picture (or an embedded player), a heading, one paragraph.
    names = ("Snake plant", "Spider plant", "Cast-iron plant")
    entries = "".join(f"<div class='entry'><img src='/{i}.jpg'><h3>{name}</h3><p>{prose(i)} {PROSE}</p></div>"
                      for i, name in enumerate(names))
    caption = "<div class='photo'><img src='/x.jpg'><p>The old library on Tuesday.</p></div>"
    page = f"<html><body><div class='post'>{story(2)}{caption}{entries}</div></body></html>"
    found = kinds(page)
    assert [t for k, t in found if k == "heading"] == list(names)
    assert sum(t.startswith("Paragraph") for _, t in found) == 2
    assert sum(t.endswith(f"number {i}. {PROSE}") for i in range(3) for _, t in found) == 3
    assert not any("old library on Tuesday" in t for _, t in found)


def test_a_code_block_is_read_whole():
    # <pre><code>: the text is all in the inline <code>, none in the <pre> itself.
    code = "SELECT name, COUNT(id)\nFROM users\nGROUP BY name;"
    page = f"<html><body><div class='post'>{story(3)}<pre class='language-sql'><code>{code}</code></pre></div></body></html>"
    found = kinds(page)
    assert ("item", "SELECT name, COUNT(id) FROM users GROUP BY name;") in [(k, " ".join(t.split())) for k, t in found]


def test_a_table_set_in_a_figure_is_read_and_its_caption_is_not():
    # Block editors put every table in <figure class="wp-block-table">.
    rows = "".join(f"<tr><td>City {i}</td><td>{60 + i}.5</td></tr>" for i in range(3))
    page = (f"<html><body><div class='post'>{story(3)}<figure class='wp-block-table'><table><tbody>{rows}</tbody>"
            "</table><figcaption>Source: the census office</figcaption></figure></div></body></html>")
    found = kinds(page)
    assert [t for k, t in found if k == "item"] == ["City 0 | 60.5", "City 1 | 61.5", "City 2 | 62.5"]
    assert not any("census office" in t for _, t in found)


def test_a_class_modifier_does_not_make_the_story_furniture():
    # BEM and Drupal write "block--modifier": an article laid out with a sidebar, a field showing
    # the standfirst. The modifier says how the box is shown, not what it is.
    page = beside_about_us(f"<section class='m-article m-article--sidebar-right'><div class='m-article__content'>"
                           f"{story(2)}<ul><li>A bench</li><li>A rope</li></ul></div></section>")
    assert texts(page) == [f"Paragraph 0. {PROSE}", f"Paragraph 1. {PROSE}", "A bench", "A rope"]
    page = beside_about_us(f"<div class='field field--name-field-standfirst'><p>{prose(1)}</p><p>{prose(2)}</p></div>")
    assert texts(page) == [prose(1), prose(2)]


def test_a_box_named_description_holding_the_story_is_read():
    # Page builders and product guides name their text modules "description"
    # ("et_pb_blurb_description", "product-description-text").
    page = beside_about_us(f"<div class='et_pb_blurb_description'><p>{prose(1)}</p><p>{prose(2)}</p></div>")
    assert texts(page) == [prose(1), prose(2)]


def test_a_streamed_page_reads_its_segments_in_their_places():
    # React's streaming render sends the story at the end of <body>, hidden, for a script to move
    # into the slot its <template> holds.
    page = (f"<html><body><main><article><p>{prose(1)}</p><template id='B:0'></template><p>{prose(4)}</p>"
            f"</article></main><footer>Site footer</footer><div hidden id='S:0'><p>{prose(2)}</p><p>{prose(3)}</p>"
            "</div></body></html>")
    assert texts(page) == [prose(1), prose(2), prose(3), prose(4)]


def test_a_wrapper_with_furniture_words_round_the_story_box_is_read():
    # A paywall or a "comment on a passage" feature wraps the story's own box.
    page = beside_about_us(f"<div class='paywall commentOnSelection'><div class='post-body'><p>{prose(1)}</p>"
                           f"<p>{prose(2)}</p><p>{prose(3)}</p></div></div>")
    assert texts(page) == [prose(1), prose(2), prose(3)]
    comments = page.replace("post-body", "comment-body")
    assert texts(comments) == [prose(8)]


def test_folded_accordion_panels_are_read_but_hidden_boxes_are_not():
    panels = "".join(f"<h3><button aria-controls='p{i}'>Question {i}?</button></h3><div id='p{i}' role='region' "
                     f"aria-labelledby='h{i}' style='display: none'><p>{prose(i)}</p></div>" for i in range(3))
    page = (f"<html><body><div class='faq'>{story(2)}{panels}<div style='display:none'><p>{prose(9)}</p></div>"
            "</div></body></html>")
    found = texts(page)
    assert [prose(i) in found for i in range(3)] == [True, True, True] and prose(9) not in found


def test_a_figure_misnested_round_the_rest_of_the_story_is_read():
    # A table's wrapper left unclosed in a <figure> swallows the paragraphs after it.
    page = (f"<html><body><div class='post'>{story(2)}<figure class='block-table'><div class='wrapper'><table>"
            "<tr><td>Fellow Clara</td><td>Steel</td></tr></table>"
            f"<p>{prose(1)}</p><p>{prose(2)}</p><p>{prose(3)}</p></div></figure></div></body></html>")
    found = texts(page)
    assert "Fellow Clara | Steel" in found and [prose(i) in found for i in (1, 2, 3)] == [True] * 3
    # An image's unclosed wrapper does the same; a plain caption stays out.
    page = (f"<html><body><div class='post'>{story(2)}<figure><div class='img'><img src='/a.jpg'>"
            f"<p>{prose(1)}</p><p>{prose(2)}</p><p>{prose(3)}</p></div></figure>"
            "<figure><img src='/b.jpg'><figcaption>The library in 1950.</figcaption></figure></div></body></html>")
    assert texts(page)[2:] == [prose(i) for i in (1, 2, 3)]


def test_loading_placeholders_share_labels_and_byline_lines_are_left_out():
    page = (f"<html><body><div class='post'><p>Written by Jane Doe</p><p>Share:</p>{story(3)}"
            "<p>Loading paragraph...</p><p>Loading image\u2026</p></div></body></html>")
    assert texts(page) == [f"Paragraph {i}. {PROSE}" for i in range(3)]


def test_a_box_named_after_its_topics_holding_the_story_is_read():
    page = beside_about_us(f"<div class='tw-formatTopics__topic-content'><p>{prose(1)}</p><p>{prose(2)}</p></div>")
    assert texts(page) == [prose(1), prose(2)]


def test_a_newsletter_issue_is_read_but_a_signup_box_or_comments_are_not():
    # An archived issue sits in a box named after the newsletter and holds most of the page's prose.
    issue = "".join(f"<p>{prose(i)} {PROSE}</p>" for i in range(4))
    page = beside_about_us(f"<div class='rich-text-newsletter-cms'>{issue}</div>")
    assert len(texts(page)) == 4 and prose(8) not in texts(page)
    signup = (f"<html><body><div class='post'>{story(4)}</div><div class='newsletter-signup'>{story(3, 'Signup')}"
              "</div></body></html>")
    assert not any(t.startswith("Signup") for t in texts(signup))
    comments = page.replace("rich-text-newsletter-cms", "comment-list")
    assert texts(comments) == [prose(8)]


def test_a_box_named_for_what_it_holds_beside_the_story_is_read():
    # "map-and-related": a map and related links beside the story's own paragraphs.
    page = beside_about_us(f"<div id='map-and-related'><div id='map-intro'><p>{prose(1)}</p><p>{prose(2)}</p>"
                           "</div></div>")
    assert texts(page) == [prose(1), prose(2)]


def test_numbered_headings_are_story_text_and_time_stamps_are_not():
    # "1. Embarque" holds a number, not a time; "Updated 3 hours ago" and "14:30" are stamps.
    page = (f"<html><body><div class='post'><p>Updated 3 hours ago</p><p>14:30</p>{story(1)}<h3>1. Embarque</h3>"
            f"<p>{prose(1)}</p><h3>Rank 2: Coinbound</h3><p>{prose(2)}</p></div></body></html>")
    found = kinds(page)
    assert [t for k, t in found if k == "heading"] == ["1. Embarque", "Rank 2: Coinbound"]
    assert not any(t in ("Updated 3 hours ago", "14:30") for _, t in found)


def test_a_table_row_of_figures_alone_is_data():
    rows = "".join(f"<tr><td>${i}0.00</td><td>${i}.50</td></tr>" for i in range(1, 4))
    page = f"<html><body><div class='post'>{story(3)}<table><tr><th>Fare</th><th>Tip</th></tr>{rows}</table></div></body></html>"
    items = [t for k, t in kinds(page) if k == "item"]
    assert items == ["Fare | Tip", "$10.00 | $1.50", "$20.00 | $2.50", "$30.00 | $3.50"]


def test_a_guides_entries_beside_its_introduction_are_read_but_linked_teasers_are_not():
    # The introduction has paragraphs side by side; each entry after it is a box of its own, a
    # heading and one long paragraph, so no box of them outscores the introduction.
    intro = f"<div class='intro'>{story(6)}</div>"
    long_text = f"{PROSE} {PROSE}"
    entries = "".join(f"<div class='idea'><h6>Idea number {name}</h6><p>{name}: {long_text}</p></div>"
                      for name in ("one", "two", "three", "four"))
    page = f"<html><body><section class='wrap'>{intro}<section class='list'>{entries}</section></section></body></html>"
    found = texts(page)
    assert [t for t in found if t.startswith(("one:", "two:", "three:", "four:"))] == [
        f"{n}: {long_text}" for n in ("one", "two", "three", "four")]
    teasers = entries.replace("<h6>", "<h6><a href='/next'>").replace("</h6>", "</a></h6>")
    page = f"<html><body><section class='wrap'>{intro}<section class='list'>{teasers}</section></section></body></html>"
    assert texts(page) == [f"Paragraph {i}. {PROSE}" for i in range(6)]


def nested(html: str, depth: int) -> str:
    """html inside depth wrappers holding nothing else, as a page builder writes each section."""
    return "<div class='wrap'>" * depth + html + "</div>" * depth


def test_a_story_whose_sections_sit_deep_in_wrappers_of_their_own_is_read_whole():
    sections = "".join(f"<div class='section'>{nested(f'<h2>Part {s}</h2>' + story(3, f'Part {s} paragraph'), 12)}</div>"
                       for s in range(6))
    page = f"<html><body><div class='page'>{sections}</div></body></html>"
    found = texts(page)
    assert [t for t in found if t.startswith("Part") and "paragraph" not in t] == [f"Part {s}" for s in range(6)]
    assert len(found) == 6 * 4


def entry_list(names: tuple, link: bool = False) -> str:
    """A listing's entries, each a title and a one-paragraph blurb in an item of its own."""
    title = (lambda n: f"<h3><a href='/{n}'>{n}</a></h3>") if link else (lambda n: f"<h3>{n}</h3>")
    return "<ul class='cards'>" + "".join(
        f"<li class='card card-{n}'>{title(n)}<div class='blurb'><p>{n}: {PROSE}</p></div></li>" for n in names) + "</ul>"


NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")


def test_a_listing_page_reads_its_entries_but_a_story_leaves_teasers_out():
    # A landing page: one line of introduction, then entries that hold nearly all of its text.
    page = (f"<html><body><main><section class='hero'><p>{prose(1)}</p></section>"
            f"<section class='grid'>{entry_list(NAMES)}</section></main></body></html>")
    found = texts(page)
    assert found[0] == prose(1) and [t for t in found if t.endswith(PROSE)] == [f"{n}: {PROSE}" for n in NAMES]
    # A story of its own beside the same teasers holds a good share of the page: teasers stay out.
    page = (f"<html><body><main><section class='hero'>{story(4)}</section>"
            f"<section class='grid'>{entry_list(NAMES[:4], link=True)}</section></main></body></html>")
    assert texts(page) == [f"Paragraph {i}. {PROSE}" for i in range(4)]


def test_class_words_are_judged_as_the_furniture_and_embed_patterns_say():
    # The fast paths (a word set, needles every match holds) must agree with the patterns
    # themselves, whatever the case, the separators or the letters beyond ASCII.
    from quoteledger import boilerplate as b
    phrases = ["read-more", "READ_MORE", "more-on-x", "see_also", "also-read", "most-viewed", "further-reading",
               "editor's-picks", "top_stories", "you-may-like", "in-case-you-missed", "sub_title",
               "liveblog-key-events", "key-events", "el__storyelement", "zn-body__footer", "submeta", "ad", "x-ads",
               "AD_slot", "Ad", "header", "loading", "moreover", "titled"]
    words = [w for w in b.FURNITURE_WORD_SET] + [w.upper() for w in b.FURNITURE_WORD_SET] + [
        "RelatedLinks", "has-sidebar", "\u212aicker", "\u017fhare", "Sh\u0130re", "caf\u00e9", "article"]
    embeds = ["twitter-tweet", "TweetBlockElement", "x-post", "SOCIAL-EMBED", "embed-facebook", "fb-video",
              "bluesky", "threads-post", "tweets", "\u212aEY", "socialite", "tiktok-embed"]
    for token in phrases + words + embeds:
        name = b._unmodified(token)
        by_pattern = bool(b.FURNITURE_PHRASES.search(name)) or any(
            b.FURNITURE_WORDS.match(p) for p in b._own_pieces(name))
        assert b._token_furniture(token) == by_pattern, token
        assert b._token_embed(token) == bool(b.EMBED_MARKS.search(token)), token
    assert b._token_furniture("\u212aicker") and b._token_furniture("x-ads") and not b._token_furniture("header")
    assert b._token_embed("TweetBlockElement") and not b._token_embed("socialite")
