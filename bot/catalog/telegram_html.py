"""Check that a text is HTML that Telegram's `parse_mode=HTML` accepts.

Telegram rejects the whole message on a bad tag or a stray `&`, so a mistake in a text would
break a screen for every user. Catching it at start-up is far cheaper than in production.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Tag -> attributes it may carry. Telegram ignores nothing: anything else is an error.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ins": frozenset(),
    "s": frozenset(),
    "strike": frozenset(),
    "del": frozenset(),
    "code": frozenset({"class"}),  # class="language-x", only meaningful inside <pre>
    "pre": frozenset(),
    "a": frozenset({"href"}),
    "blockquote": frozenset({"expandable"}),
    "tg-spoiler": frozenset(),
    "span": frozenset({"class"}),
}

# Telegram knows only these named entities, plus numeric ones.
_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);)")


def html_problems(text: str) -> list[str]:
    """Everything wrong with `text` as Telegram HTML; an empty list when it is fine."""
    problems: list[str] = []
    if _AMPERSAND.search(text):
        problems.append(
            "a bare '&' must be written &amp; (only &lt; &gt; &amp; &quot; and &#N; are known)"
        )
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems.extend(checker.problems)
    problems.extend(f"<{tag}> is never closed" for tag in reversed(checker.open_tags))
    return list(dict.fromkeys(problems))  # one line per distinct mistake


class _Checker(HTMLParser):
    def __init__(self) -> None:
        # Entities are checked by the regex above; keeping them as refs avoids double reports.
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not a tag Telegram supports")
            return
        names = [name for name, _ in attrs]
        for name in names:
            if name not in ALLOWED_TAGS[tag]:
                self.problems.append(f"<{tag}> cannot have the attribute {name!r}")
        values = dict(attrs)
        if tag == "a" and not values.get("href"):
            self.problems.append("<a> needs an href")
        if tag == "span" and values.get("class") != "tg-spoiler":
            self.problems.append('<span> is only allowed as <span class="tg-spoiler">')
        if (
            tag == "code"
            and "class" in values
            and not (values["class"] or "").startswith("language-")
        ):
            self.problems.append('<code> may only have class="language-..."')
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"<{tag}/> is not supported: Telegram has no self-closing tags")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not a tag Telegram supports")
        elif not self.open_tags:
            self.problems.append(f"</{tag}> closes a tag that was never opened")
        elif self.open_tags[-1] != tag:
            self.problems.append(f"</{tag}> found where </{self.open_tags[-1]}> was expected")
            if tag in self.open_tags:  # recover so one slip is reported once
                del self.open_tags[len(self.open_tags) - 1 - self.open_tags[::-1].index(tag) :]
        else:
            self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        # html.parser passes a '<' that does not start a tag through as text; Telegram rejects it.
        if "<" in data:
            self.problems.append("a literal '<' must be written &lt;")

    def handle_comment(self, data: str) -> None:
        self.problems.append("HTML comments are not supported")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"<!{decl}> is not supported")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"<![{data}]> is not supported")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"<?{data}> is not supported")
