"""Turning formatted text into (visible text, entities), the way Telegram's server does.

The HTML parser mirrors TDLib's ``parse_html``: it walks UTF-8 bytes because Telegram reports
errors as *byte* offsets, and counts UTF-16 code units because entity offsets and the 4096
limit are in UTF-16. Error reasons use TDLib's wording so a bot's error handling can be tested
against the real messages.

One deliberate deviation, on by default: TDLib keeps a stray ``&`` as a literal, but a bot that
forgets to escape user input is exactly the bug we want tests to catch, so ``strict_ampersand``
rejects any ``&`` that does not start ``&lt; &gt; &amp; &quot;`` or a numeric reference.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

Entity = dict[str, Any]


class EntityParseError(ValueError):
    """The reason part of ``Bad Request: can't parse entities: <reason>``."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# TDLib's MessageEntity type priorities: entities with the same range are listed in this order.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "mention": 50,
    "hashtag": 50,
    "cashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "phone_number": 50,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


def sort_entities(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


# --------------------------------------------------------------------------- links


_LINK_SCHEMES = {"http", "https", "tg", "ton", "tonsite"}
_HOST_RE = re.compile(r"^[A-Za-z0-9\-._~%]+(:\d{1,5})?$")


def normalize_link(url: str) -> str | None:
    """Roughly TDLib's ``check_link``: add a scheme and a root path, reject what is not a URL."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    if "://" not in url and not url.lower().startswith("tg:"):
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return None
    if scheme in {"http", "https"}:
        host = parts.netloc.rsplit("@", 1)[-1]
        if not host or not _HOST_RE.match(host) or "." not in host.split(":")[0]:
            return None
        return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, parts.fragment))
    return url


_USER_LINK_RE = re.compile(r"^tg://user\?id=(\d+)$", re.IGNORECASE)


def link_user_id(url: str) -> int | None:
    match = _USER_LINK_RE.match(url.strip())
    return int(match.group(1)) if match else None


# --------------------------------------------------------------------------- HTML

_SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_SPACES = frozenset(b" \t\r\n\x0b\x0c")
_LT, _GT, _AMP, _SLASH, _EQ = (ord(c) for c in "<>&/=")
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}


def _decode_html_entity(data: bytes, pos: int) -> tuple[int, int] | None:
    """Decode the reference at ``data[pos] == '&'``; return (code point, next pos) or None."""
    n = len(data)
    end = pos + 1
    if end < n and data[end] == ord("#"):
        end += 1
        value = 0
        if end < n and data[end] == ord("x"):
            end += 1
            start = end
            while end < n and chr(data[end]) in "0123456789abcdefABCDEF":
                value = value * 16 + int(chr(data[end]), 16)
                end += 1
                if value >= 0x10FFFF:
                    return None
        else:
            start = end
            while end < n and 48 <= data[end] <= 57:
                value = value * 10 + data[end] - 48
                end += 1
                if value >= 0x10FFFF:
                    return None
        if end == start or value == 0 or end - pos >= 10:
            return None
    else:
        while end < n and chr(data[end]).isascii() and chr(data[end]).isalpha():
            end += 1
        name = data[pos + 1 : end]
        if name not in _NAMED:
            return None
        value = ord(_NAMED[name])
    if end < n and data[end] == ord(";"):
        end += 1
    return value, end


def _is_alnum(byte: int) -> bool:
    return 48 <= byte <= 57 or 65 <= byte <= 90 or 97 <= byte <= 122


def _utf16_units_of_byte(byte: int) -> int:
    if byte & 0xC0 == 0x80:  # continuation byte: already counted with the lead byte
        return 0
    return 2 if byte >= 0xF0 else 1


class _HtmlParser:
    def __init__(self, html: str, *, strict_ampersand: bool) -> None:
        try:
            self.data = html.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise EntityParseError("Text must be encoded in UTF-8") from exc
        self.strict_ampersand = strict_ampersand
        self.out = bytearray()
        self.u16 = 0
        self.stack: list[tuple[str, str, int]] = []  # (tag, argument, utf16 start)
        self.stack_byte_start: list[int] = []
        self.entities: list[Entity] = []

    def parse(self) -> tuple[str, list[Entity]]:
        data, n = self.data, len(self.data)
        i = 0
        while i < n:
            byte = data[i]
            if byte == _AMP:
                decoded = _decode_html_entity(data, i)
                if decoded is not None:
                    code_point, i = decoded
                    if 0xD800 <= code_point <= 0xDFFF:
                        raise EntityParseError(
                            "Text contains invalid Unicode characters after decoding HTML "
                            "entities, check for unmatched surrogate code units"
                        )
                    self.out += chr(code_point).encode("utf-8")
                    self.u16 += 2 if code_point > 0xFFFF else 1
                    continue
                if self.strict_ampersand:
                    raise EntityParseError(f'Unescaped "&" at byte offset {i}; write it as "&amp;"')
            if byte != _LT:
                self.u16 += _utf16_units_of_byte(byte)
                self.out.append(byte)
                i += 1
                continue
            closing = i + 1 < n and data[i + 1] == _SLASH
            i = self._end_tag(i) if closing else self._start_tag(i)
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"'
            )
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)
        text = self.out.decode("utf-8")
        return text, sort_entities(self.entities)

    def _start_tag(self, begin: int) -> int:
        data, n = self.data, len(self.data)
        i = begin + 1
        while i < n and data[i] not in _SPACES and data[i] != _GT:
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
        if tag not in _SUPPORTED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')

        argument = ""
        while True:
            while i < n and data[i] in _SPACES:
                i += 1
            if i >= n:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if data[i] == _GT:
                break
            name_start = i
            while i < n and data[i] not in _SPACES and data[i] not in (_EQ, _GT):
                i += 1
            name = data[name_start:i].decode("utf-8", "replace").lower()
            if not name:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                )
            while i < n and data[i] in _SPACES:
                i += 1
            if i >= n:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            value = ""
            if data[i] == _EQ:
                i += 1
                while i < n and data[i] in _SPACES:
                    i += 1
                if i >= n:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                value, i = self._attribute_value(begin, i)
            argument = self._interpret_attribute(tag, name, value, argument)

        if tag == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        self.stack.append((tag, argument, self.u16))
        self.stack_byte_start.append(len(self.out))
        return i + 1

    def _attribute_value(self, begin: int, i: int) -> tuple[str, int]:
        data, n = self.data, len(self.data)
        if data[i] not in (ord('"'), ord("'")):
            # An unquoted HTML 2.0 "name token": letters, digits, '.', '-'.
            token_start = i
            while i < n and (_is_alnum(data[i]) or data[i] in b".-"):
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            if data[i] not in _SPACES and data[i] != _GT:
                raise EntityParseError(f"Unexpected end of name token at byte offset {token_start}")
            return data[token_start:i].decode("utf-8").lower(), i
        quote = data[i]
        i += 1
        value = bytearray()
        while i < n and data[i] != quote:
            if data[i] == _AMP:
                decoded = _decode_html_entity(data, i)
                if decoded is not None:
                    code_point, i = decoded
                    value += chr(code_point).encode("utf-8", "surrogatepass")
                    continue
            value.append(data[i])
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        return value.decode("utf-8", "replace"), i + 1

    @staticmethod
    def _interpret_attribute(tag: str, name: str, value: str, argument: str) -> str:
        if tag == "a" and name == "href":
            return value
        if tag == "code" and name == "class" and value.startswith("language-"):
            return value[len("language-") :]
        if tag == "span" and name == "class" and value.startswith("tg-"):
            return value[len("tg-") :]
        if tag == "tg-emoji" and name == "emoji-id":
            return value
        if tag == "blockquote" and name == "expandable":
            return "1"
        return argument

    def _end_tag(self, begin: int) -> int:
        data, n = self.data, len(self.data)
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while i < n and data[i] not in _SPACES and data[i] != _GT:
            i += 1
        end_name = data[begin + 2 : i].decode("utf-8", "replace").lower()
        while i < n and data[i] in _SPACES:
            i += 1
        if i >= n or data[i] != _GT:
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        tag, argument, start = self.stack.pop()
        byte_start = self.stack_byte_start.pop()
        if end_name and end_name != tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", '
                f'found "</{end_name}>"'
            )
        if self.u16 > start:
            self._add_entity(tag, argument, start, self.u16 - start, byte_start)
        return i + 1

    def _add_entity(self, tag: str, argument: str, offset: int, length: int, byte_start: int):
        last = self.entities[-1] if self.entities else None
        same_range = last is not None and last["offset"] == offset and last["length"] == length
        if tag in _SIMPLE_TAGS:
            self.entities.append({"type": _SIMPLE_TAGS[tag], "offset": offset, "length": length})
        elif tag == "tg-emoji":
            if not argument.isdigit():
                raise EntityParseError("Invalid custom emoji identifier specified")
            self.entities.append(
                {"type": "custom_emoji", "offset": offset, "length": length,
                 "custom_emoji_id": argument}
            )  # fmt: skip
        elif tag == "a":
            url = argument or self.out[byte_start:].decode("utf-8", "replace")
            user_id = link_user_id(url)
            if user_id is not None:
                self.entities.append(
                    {"type": "text_mention", "offset": offset, "length": length,
                     "user": {"id": user_id, "is_bot": False, "first_name": ""}}
                )  # fmt: skip
            else:
                normalized = normalize_link(url)
                if normalized is not None:
                    self.entities.append(
                        {"type": "text_link", "offset": offset, "length": length,
                         "url": normalized}
                    )  # fmt: skip
        elif tag == "pre":
            if same_range and last is not None and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"
            else:
                self.entities.append({"type": "pre", "offset": offset, "length": length})
        elif tag == "code":
            if same_range and last is not None and last["type"] == "pre" and argument:
                last["language"] = argument
            else:
                entity: Entity = {"type": "code", "offset": offset, "length": length}
                if argument:
                    entity["language"] = argument  # dropped at the end unless merged into pre
                self.entities.append(entity)
        elif tag == "blockquote":
            kind = "expandable_blockquote" if argument else "blockquote"
            self.entities.append({"type": kind, "offset": offset, "length": length})


def parse_html(html: str, *, strict_ampersand: bool = True) -> tuple[str, list[Entity]]:
    """Telegram's HTML parse mode. Raises EntityParseError with Telegram's reason text."""
    return _HtmlParser(html, strict_ampersand=strict_ampersand).parse()


# --------------------------------------------------------------------------- Markdown

_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class _MarkdownV2Parser:
    """A compact MarkdownV2 parser: escapes, reserved characters and the common entities.

    Good enough for bots that format with MarkdownV2; not a byte-exact copy of TDLib.
    """

    _NAMES: ClassVar[dict[str, str]] = {
        "*": "Bold",
        "_": "Italic",
        "__": "Underline",
        "~": "Strikethrough",
        "||": "Spoiler",
    }
    _TYPES: ClassVar[dict[str, str]] = {
        "*": "bold",
        "_": "italic",
        "__": "underline",
        "~": "strikethrough",
        "||": "spoiler",
    }

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[str] = []
        self.u16 = 0
        self.entities: list[Entity] = []
        self.stack: list[tuple[str, int, int]] = []  # (marker, utf16 start, source index)
        self.quote_start: int | None = None

    def _close_quote(self) -> None:
        assert self.quote_start is not None
        if self.u16 > self.quote_start:
            self.entities.append(
                {"type": "blockquote", "offset": self.quote_start,
                 "length": self.u16 - self.quote_start}
            )  # fmt: skip
        self.quote_start = None

    def _emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.u16 += utf16_len(chunk)

    def parse(self) -> tuple[str, list[Entity]]:
        text, n = self.text, len(self.text)
        i = 0
        while i < n:
            ch = text[i]
            if ch == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                self._emit(text[i + 1])
                i += 2
                continue
            if ch == "`":
                i = self._code(i)
                continue
            if ch == ">" and (i == 0 or text[i - 1] == "\n"):
                if self.quote_start is None:
                    self.quote_start = self.u16
                i += 1
                continue
            if ch == "\n" and self.quote_start is not None and not text.startswith(">", i + 1):
                self._close_quote()
            if ch == "[":
                self.stack.append(("[", self.u16, i))
                i += 1
                continue
            if ch == "]" and self.stack and self.stack[-1][0] == "[":
                i = self._link_end(i)
                continue
            marker = None
            if text.startswith("__", i):
                marker = "__"
            elif text.startswith("||", i):
                marker = "||"
            elif ch in "*_~":
                marker = ch
            if marker is not None:
                if self.stack and self.stack[-1][0] == marker:
                    _, start, _ = self.stack.pop()
                    if self.u16 > start:
                        self.entities.append(
                            {"type": self._TYPES[marker], "offset": start,
                             "length": self.u16 - start}
                        )  # fmt: skip
                else:
                    self.stack.append((marker, self.u16, i))
                i += len(marker)
                continue
            if ch in _MDV2_RESERVED:
                raise EntityParseError(
                    f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
                )
            self._emit(ch)
            i += 1
        if self.quote_start is not None:
            self._close_quote()
        if self.stack:
            marker, _, index = self.stack[-1]
            name = "TextUrl" if marker == "[" else self._NAMES[marker]
            raise EntityParseError(
                f"Can't find end of {name} entity at byte offset {_byte_offset(text, index)}"
            )
        return "".join(self.out), sort_entities(self.entities)

    def _code(self, i: int) -> int:
        text = self.text
        fence = "```" if text.startswith("```", i) else "`"
        j = i + len(fence)
        language = ""
        if fence == "```":
            newline = text.find("\n", j)
            first_line = text[j:newline] if newline != -1 else ""
            if newline != -1 and first_line and " " not in first_line:
                language = first_line
                j = newline + 1
        start = self.u16
        chunk: list[str] = []
        while j < len(text):
            if text[j] == "\\" and j + 1 < len(text):
                chunk.append(text[j + 1])
                j += 2
                continue
            if text.startswith(fence, j):
                break
            chunk.append(text[j])
            j += 1
        else:
            name = "Pre" if fence == "```" else "Code"
            raise EntityParseError(
                f"Can't find end of {name} entity at byte offset {_byte_offset(text, i)}"
            )
        self._emit("".join(chunk))
        if self.u16 > start:
            entity: Entity = {
                "type": "pre" if fence == "```" else "code",
                "offset": start,
                "length": self.u16 - start,
            }
            if language:
                entity["language"] = language
            self.entities.append(entity)
        return j + len(fence)

    def _link_end(self, i: int) -> int:
        text = self.text
        _, start, _ = self.stack.pop()
        if not text.startswith("(", i + 1):
            raise EntityParseError(
                "Character ']' is reserved and must be escaped with the preceding '\\'"
            )
        j = i + 2
        url: list[str] = []
        while j < len(text) and text[j] != ")":
            if text[j] == "\\" and j + 1 < len(text):
                url.append(text[j + 1])
                j += 2
                continue
            url.append(text[j])
            j += 1
        if j >= len(text):
            raise EntityParseError(
                f"Can't find end of a URL at byte offset {_byte_offset(text, i + 2)}"
            )
        normalized = normalize_link("".join(url))
        if normalized is not None and self.u16 > start:
            self.entities.append(
                {"type": "text_link", "offset": start, "length": self.u16 - start,
                 "url": normalized}
            )  # fmt: skip
        return j + 1


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    return _MarkdownV2Parser(text).parse()


_LEGACY_RE = re.compile(
    r"\*(?P<bold>[^*]+)\*|_(?P<italic>[^_]+)_|```(?P<pre>.+?)```|`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>[^)]+)\)",
    re.DOTALL,
)


def parse_markdown(text: str) -> tuple[str, list[Entity]]:
    """Legacy Markdown: only *bold*, _italic_, `code`, ```pre``` and [text](url)."""
    out: list[str] = []
    entities: list[Entity] = []
    u16 = 0
    pos = 0
    for match in _LEGACY_RE.finditer(text):
        plain = text[pos : match.start()]
        for ch in "*_`[":
            if ch in plain:
                index = pos + plain.index(ch)
                raise EntityParseError(
                    "Can't find end of the entity starting at byte offset "
                    f"{_byte_offset(text, index)}"
                )
        out.append(plain)
        u16 += utf16_len(plain)
        kind = match.lastgroup
        assert kind is not None  # every alternative of the pattern is a named group
        inner = match.group("label") if kind == "url" else match.group(kind)
        out.append(inner)
        length = utf16_len(inner)
        if kind == "url":
            url = normalize_link(match.group("url"))
            if url is not None:
                entities.append({"type": "text_link", "offset": u16, "length": length, "url": url})
        else:
            entities.append({"type": kind, "offset": u16, "length": length})
        u16 += length
        pos = match.end()
    rest = text[pos:]
    for ch in "*_`[":
        if ch in rest:
            index = pos + rest.index(ch)
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, index)}"
            )
    out.append(rest)
    return "".join(out), sort_entities([e for e in entities if e["length"] > 0])


# --------------------------------------------------------------------------- shared helpers

_TRIM = " \t\r\n\x0b\x0c"


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Telegram drops leading and trailing whitespace of a message; entities follow the text."""
    stripped = text.strip(_TRIM)
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip(_TRIM))])
    total = utf16_len(stripped)
    kept: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: str | None, *, strict_ampersand: bool = True
) -> tuple[str, list[Entity]]:
    """Apply ``parse_mode`` and Telegram's trimming. ``parse_mode`` is matched like Telegram:
    case-insensitively, with an empty value meaning plain text."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        visible, entities = parse_html(text, strict_ampersand=strict_ampersand)
    elif mode == "markdownv2":
        visible, entities = parse_markdown_v2(text)
    elif mode == "markdown":
        visible, entities = parse_markdown(text)
    elif mode == "":
        visible, entities = text, []
    else:
        raise ValueError(parse_mode)
    return trim(visible, entities)


_AUTO_ENTITY_RE = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/]))"
    r"|(?P<url>\bhttps?://[^\s]+)"
    r"|(?P<mention>(?<![\w@])@[A-Za-z0-9_]{5,32}\b)"
    r"|(?P<hashtag>(?<![\w#])#\w+)"
)


def detect_entities(text: str) -> list[Entity]:
    """Entities Telegram's clients/server attach to what a user types (commands, links...)."""
    entities: list[Entity] = []
    for match in _AUTO_ENTITY_RE.finditer(text):
        entities.append(
            {
                "type": match.lastgroup,
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
            }
        )
    return entities
