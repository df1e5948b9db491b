"""What a free-text message is about, from the word lists in content (texts.ftl `words_*`).

Deliberately small: a message that names a flight, a late night or puffiness is answered with
an offer of the de-puffing check-in, nothing more. Matching ignores case and punctuation, and
forgives one slip (a letter missing, added, changed or two swapped) in words of five letters
or more: "puffy" and "pufy", "landed" and "lnaded". Phrases ("jet lag") match word by word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
# Shorter words must match exactly: one slip in "wine" is already "wind" or "wise".
FORGIVING_FROM = 5


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def parse_list(text: str) -> tuple[tuple[str, ...], ...]:
    """ "jet lag, flight" -> (("jet", "lag"), ("flight",))."""
    return tuple(tuple(words_of(item)) for item in text.split(",") if words_of(item))


def one_slip(a: str, b: str) -> bool:
    """Whether `a` and `b` are equal or one edit apart (optimal string alignment distance)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def same_word(word: str, wanted: str) -> bool:
    """Whether a typed `word` is `wanted`, one slip forgiven in words of FORGIVING_FROM letters
    or more: the one typo rule for everything people type (free text, command names, routine
    names)."""
    if len(wanted) < FORGIVING_FROM:
        return word == wanted
    return one_slip(word, wanted)


def _has(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(
        all(same_word(words[start + k], phrase[k]) for k in range(size))
        for start in range(len(words) - size + 1)
    )


def is_one_of(text: str, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether `text` as a whole is one of `phrases` (a command's argument: "/flight just
    landed"), with the same slips forgiven."""
    words = words_of(text)
    return any(
        len(words) == len(phrase)
        and all(same_word(w, p) for w, p in zip(words, phrase, strict=True))
        for phrase in phrases
    )


def topic(text: str, lists: Mapping[str, tuple[tuple[str, ...], ...]]) -> str | None:
    """The first list (in the mapping's order) with a phrase in `text`, or None."""
    words = words_of(text)
    for name, phrases in lists.items():
        if any(_has(words, phrase) for phrase in phrases):
            return name
    return None
