"""The HTML/Markdown parsers against Telegram's (TDLib's) documented behaviour."""

from __future__ import annotations

import pytest

from emulator.markup import (
    EntityParseError,
    detect_entities,
    format_text,
    parse_html,
    parse_markdown_v2,
    trim,
    utf16_len,
)

# "🏟 🏟&lt;" is 13 bytes of UTF-8: byte offsets below point just after it.
PREFIX = "🏟 🏟&lt;"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (PREFIX + "<abacaba", "Unclosed start tag at byte offset 13"),
        (PREFIX + "<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        (PREFIX + "<div>", 'Unsupported start tag "div" at byte offset 13'),
        (PREFIX + "<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        (PREFIX + "<i    aba>", 'Can\'t find end tag corresponding to start tag "i"'),
        (PREFIX + "<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        (PREFIX + "<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        (PREFIX + '<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        (PREFIX + "</", "Unexpected end tag at byte offset 13"),
        (PREFIX + "<b></b></", "Unexpected end tag at byte offset 20"),
        (PREFIX + "<i>a</i   ", "Unclosed end tag at byte offset 17"),
        (
            PREFIX + "<i>a</em   >",
            'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
        ),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<3 you", 'Unsupported start tag "3" at byte offset 0'),
        ('<span class="x">a</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("&#57311;", "Text contains invalid Unicode characters"),
    ],
)
def test_html_errors_use_telegram_reasons(html: str, reason: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_html(html)
    assert str(info.value).startswith(reason)


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("", "", []),
        ("➡️ ➡️<i>➡️ ➡️</i>", "➡️ ➡️➡️ ➡️", [("italic", 5, 5)]),
        ("<b>a</b><strong>b</strong>", "ab", [("bold", 0, 1), ("bold", 1, 1)]),
        ("<u>a</u><ins>b</ins>", "ab", [("underline", 0, 1), ("underline", 1, 1)]),
        ("<s>a</s><strike>b</strike><del>c</del>", "abc",
         [("strikethrough", 0, 1), ("strikethrough", 1, 1), ("strikethrough", 2, 1)]),
        ('<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>', "ab",
         [("spoiler", 0, 1), ("spoiler", 1, 1)]),
        ("🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟", [("italic", 5, 6)]),
        ("&lt;&gt;&amp;&quot;&#65;&#x42;", '<>&"AB', []),
        ("<code><i><b> </b></i></code>", " ", [("code", 0, 1), ("bold", 0, 1), ("italic", 0, 1)]),
        ("<b></b>x", "x", []),
        ("<blockquote>q</blockquote>", "q", [("blockquote", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", 0, 1)]),
        ("<B>x</b>", "x", [("bold", 0, 1)]),
        ("<i>a</>", "a", [("italic", 0, 1)]),
    ],
)  # fmt: skip
def test_html_text_and_entities(html: str, text: str, entities: list[tuple]) -> None:
    visible, parsed = parse_html(html)
    assert visible == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed] == entities


def test_links_are_normalised_like_telegram() -> None:
    _, entities = parse_html("<a href=telegram.org>x</a>")
    assert entities == [{"type": "text_link", "offset": 0, "length": 1,
                         "url": "http://telegram.org/"}]  # fmt: skip
    _, entities = parse_html("<a   href=  'telegram.org?&lt;'   > </a>")
    assert entities[0]["url"] == "http://telegram.org/?<"
    _, entities = parse_html("<a>https://telegram.org/a?b#c</a>")
    assert entities[0]["url"] == "https://telegram.org/a?b#c"
    # An anchor without a usable URL is kept as plain text, not an error.
    assert parse_html("<a>not a link </a>") == ("not a link ", [])
    assert parse_html('<a href="javascript:alert(1)">x</a>') == ("x", [])


def test_pre_with_language_merges_with_code() -> None:
    _, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]
    _, entities = parse_html("<pre><code>x</code></pre>")
    assert [e["type"] for e in entities] == ["pre", "code"]


def test_custom_emoji_and_mention_links() -> None:
    _, entities = parse_html('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>')
    assert entities[0]["type"] == "custom_emoji"
    assert entities[0]["custom_emoji_id"] == "5368324170671202286"
    assert entities[0]["length"] == 2  # one emoji, two UTF-16 code units
    _, entities = parse_html('<a href="tg://user?id=42">Bob</a>')
    assert entities[0]["type"] == "text_mention"
    assert entities[0]["user"]["id"] == 42


def test_stray_ampersand_is_rejected_by_default_but_tdlib_mode_keeps_it() -> None:
    with pytest.raises(EntityParseError, match=r'Unescaped "&" at byte offset 4'):
        parse_html("Tom & Jerry")
    with pytest.raises(EntityParseError):
        parse_html("&nbsp;")
    assert parse_html("Tom & Jerry", strict_ampersand=False) == ("Tom & Jerry", [])
    assert parse_html("&nbsp;", strict_ampersand=False) == ("&nbsp;", [])


def test_offsets_are_utf16_and_byte_offsets_are_utf8() -> None:
    visible, entities = parse_html("😀<b>é</b>")
    assert visible == "😀é"
    assert entities == [{"type": "bold", "offset": 2, "length": 1}]
    with pytest.raises(EntityParseError, match="byte offset 6"):
        parse_html("😀é<x>")  # 4 + 2 bytes before the tag
    assert utf16_len("😀a") == 3


def test_trim_strips_whitespace_and_shifts_entities() -> None:
    assert trim("  ab  ", [{"type": "bold", "offset": 0, "length": 4}]) == (
        "ab",
        [{"type": "bold", "offset": 0, "length": 2}],
    )
    assert format_text("\n<b>x</b>\n", "HTML") == (
        "x",
        [{"type": "bold", "offset": 0, "length": 1}],
    )


def test_markdown_v2_basics_and_reserved_characters() -> None:
    text, entities = parse_markdown_v2(r"*bold* _it_ __u__ ~s~ ||sp|| `c` [l](http://x.org) 1\.")
    assert text == "bold it u s sp c l 1."
    assert [e["type"] for e in entities] == [
        "bold", "italic", "underline", "strikethrough", "spoiler", "code", "text_link",
    ]  # fmt: skip
    with pytest.raises(EntityParseError, match="Character '!' is reserved"):
        parse_markdown_v2("Hi!")
    with pytest.raises(EntityParseError, match="Can't find end of Bold entity"):
        parse_markdown_v2("*open")
    text, entities = parse_markdown_v2("```python\nprint(1)\n```")
    assert text == "print(1)\n" and entities[0]["language"] == "python"


def test_detects_commands_and_links_in_user_text() -> None:
    assert detect_entities("/start") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert detect_entities("/depuff flight")[0] == {
        "type": "bot_command",
        "offset": 0,
        "length": 7,
    }
    assert detect_entities("/start@face_ritual_test_bot x")[0]["length"] == 27
    assert [e["type"] for e in detect_entities("see https://x.org and @someone #tag")] == [
        "url",
        "mention",
        "hashtag",
    ]
    assert detect_entities("a/b and 1/2") == []
