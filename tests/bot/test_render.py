"""The alert message: first line, localised labels, escaping, the 4096 limit."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram.render import MAX_MESSAGE, render_alert, render_digest


def alert(**values):
    row = {
        "id": 1, "type": "pardon", "certainty": "reported", "count": 52, "date": "2025-09-11",
        "people": json.dumps(["Mikalai Statkevich"]), "place": None, "source": None,
        "evidence": "Lukashenko pardoned 52 prisoners, including Mikalai Statkevich.",
        "evidence_lang": "en", "updates": 0,
    }
    row.update(values)
    return row


ARTICLES = [
    {"url": "https://www.reuters.com/world/a", "source": "Reuters"},
    {"url": "https://zerkalo.io/news/b", "source": None},
]


class Balance(HTMLParser):
    """Checks that every tag Telegram sees is closed and entities are whole."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(tag)

    def handle_entityref(self, name):
        if name not in {"lt", "gt", "amp", "quot"}:
            self.bad.append(name)


def balanced(text: str) -> bool:
    parser = Balance()
    parser.feed(text)
    parser.close()
    return not parser.stack and not parser.bad and "&" not in text.replace("&lt;", "").replace(
        "&gt;", "").replace("&amp;", "").replace("&quot;", "").replace("&#x27;", "")


def test_first_line_is_hashtag_iso_date_and_count_then_links_trigger_first():
    text = render_alert(alert(), ARTICLES, "en")
    lines = text.split("\n")
    assert lines[0] == "#pardon 2025-09-11 52"
    assert lines[1] == "<b>52 people freed</b>"
    assert "People: Mikalai Statkevich" in text
    assert "<blockquote>Lukashenko pardoned 52 prisoners" in text
    assert lines[-1] == (
        '<a href="https://www.reuters.com/world/a">Reuters</a> · '
        '<a href="https://zerkalo.io/news/b">zerkalo.io</a>'
    )
    assert balanced(text)


@pytest.mark.parametrize(
    ("lang", "count", "headline", "place"),
    [("ru", 52, "52 человека освобождены", "Куда: Литва"),
     ("ru", 21, "21 человек освобождён", "Куда: Литва"),
     ("be", 14, "14 чалавек вызваленыя", "Куды: Литва"),
     ("be", 3, "3 чалавекі вызваленыя", "Куды: Литва")],
)
def test_labels_in_the_chats_language_evidence_in_the_articles(lang, count, headline, place):
    text = render_alert(alert(count=count, place="Литва"), ARTICLES, lang)
    assert f"<b>{headline}</b>" in text and place in text
    assert "Lukashenko pardoned" in text  # evidence stays as written


def test_deportation_tally_and_unknown_counts():
    text = render_alert(alert(type="deportation", count=None, date=None, people="[]"), [], "en")
    assert text.startswith("#deportation\n<b>Deportation</b>")
    tally = render_alert(alert(type="tally", count=1184, source="Viasna"), ARTICLES, "ru")
    assert "1184 политзаключённых сейчас" in tally and "Источник: Viasna" in tally


def test_updated_marker_and_early_signal():
    text = render_alert(alert(updates=2, certainty="expected"), ARTICLES, "en")
    assert text.endswith("updated: 2 sources")
    assert "Early signal" in text
    assert "updated" not in render_alert(alert(), ARTICLES, "en")


def test_html_in_names_evidence_and_links_is_escaped():
    text = render_alert(
        alert(people=json.dumps(["<script>x</script>"]), evidence="a < b & c > d", place="<i>"),
        [{"url": 'https://x.example/?a=1&b="2"', "source": "<b>Outlet</b>"}],
        "en",
    )
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "a &lt; b &amp; c &gt; d" in text
    assert 'href="https://x.example/?a=1&amp;b=&quot;2&quot;"' in text
    assert balanced(text)


@pytest.mark.parametrize("evidence_char", ["x", "&", "<", "é"])
def test_never_over_4096_and_never_cut_inside_a_tag_or_entity(evidence_char):
    many = [{"url": f"https://outlet{i}.example/a?x=1&y={i}", "source": f"Outlet & {i}"}
            for i in range(200)]
    text = render_alert(
        alert(evidence=evidence_char * 6000, people=json.dumps([f"Name{i}" for i in range(500)])),
        many, "ru",
    )
    assert len(text) <= MAX_MESSAGE
    assert balanced(text)
    assert "outlet0.example" in text  # the triggering outlet stays
    assert text.count("<a ") > 10  # the evidence is shortened before links go
    assert text.split("\n")[0] == "#pardon 2025-09-11 52"


def test_digest_splits_into_messages_under_the_limit():
    items = [(alert(id=i, evidence="e" * 1500), ARTICLES) for i in range(8)]
    messages = render_digest(items, "en", "2025-09-20")
    assert len(messages) > 1 and all(len(m) <= MAX_MESSAGE for m in messages)
    assert messages[0].startswith("<b>Digest for 2025-09-20</b>\n8 occasions")
    assert sum(m.count("#pardon") for m in messages) == 8
    assert all(balanced(m) for m in messages)


def test_place_is_named_in_the_chats_language():
    from bot.telegram.render import place_name, render_alert

    alert = {"id": 1, "type": "deportation", "certainty": "reported", "count": 14,
             "date": "2025-06-21", "people": "[]", "place": "Lithuania", "source": None,
             "evidence": "All of those freed were then taken to Lithuania.", "updates": 0}
    assert "Літва" in render_alert(alert, [], "be")
    assert "Литва" in render_alert(alert, [], "ru")
    assert "Lithuania" in render_alert(alert, [], "en")
    assert place_name("Atlantis", "be") == "Atlantis"


TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
                 "a", "tg-emoji", "code", "pre", "blockquote"}
HOSTILE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(['<a href="https://evil.example">x</a>', "[x](https://evil.example)",
                     "<script>alert(1)</script>", "&lt;b&gt;", "<b>unclosed", "**bold** _i_",
                     '"><img src=x onerror=alert(1)>', "&amp;amp;", "<blockquote>q"]),
)


class Tags(HTMLParser):
    """Every start tag and every link target, as Telegram's HTML parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))


@settings(max_examples=200, deadline=None)
@given(people=st.lists(HOSTILE, max_size=3), evidence=HOSTILE, place=HOSTILE, source=HOSTILE,
       outlets=st.lists(HOSTILE, min_size=1, max_size=3), lang=st.sampled_from(["en", "ru", "be"]))
def test_hostile_text_never_adds_tags_or_links(people, evidence, place, source, outlets, lang):
    articles = [{"url": f"https://news{i}.example/a?x=1&y=<{i}>", "source": name}
                for i, name in enumerate(outlets)]
    text = render_alert(
        alert(type="tally", people=json.dumps(people), evidence=evidence, place=place or None,
              source=source),
        articles, lang,
    )
    parser = Tags()
    parser.feed(text)
    parser.close()
    assert set(parser.tags) <= TELEGRAM_TAGS
    assert parser.hrefs == [a["url"] for a in articles]  # the outlet links, nothing else
    assert balanced(text) and len(text) <= MAX_MESSAGE
