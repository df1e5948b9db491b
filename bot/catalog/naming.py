"""Which routine someone means by the words after /routine: its id ("evening-oil"), its length
("quick") or cause ("flight"), words of its title ("evening", "gua sha"), or any of these with a
small typo ("clasic"). People type what they read in the menu, not our file names."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.free_text import same_word, words_of

from .models import Routine

# Words that name no routine in particular.
_FILLER = frozenset({"a", "an", "the", "my", "with", "and", "after", "routine", "face"})
# Words this short must be typed in full (a prefix like "a" or "ev" would match too much).
_MIN_PREFIX = 3


def match_routine(
    routines: Sequence[Routine], offered: Sequence[Routine], wanted: str
) -> Routine | None:
    """The routine `wanted` names, or None when it names none or several (then the menu is the
    answer). `routines` is every routine (so a tool routine asked for by its id can say what it
    needs), `offered` those the person can do, both in menu order."""
    typed = [w for w in words_of(wanted) if w not in _FILLER]
    if not typed:
        return None
    by_key = _by_key(routines, offered, "-".join(typed))
    return by_key if by_key is not None else _by_name(routines, offered, typed)


def _by_key(routines: Sequence[Routine], offered: Sequence[Routine], key: str) -> Routine | None:
    """The routine with the id `key` (any), else the first offered of that length or cause."""
    by_id = next((r for r in routines if r.id == key), None)
    if by_id is not None:
        return by_id
    return next((r for r in offered if key in (r.length, r.cause)), None)


def _by_name(
    routines: Sequence[Routine], offered: Sequence[Routine], typed: list[str]
) -> Routine | None:
    """The one routine whose name words cover every typed word (those offered first)."""
    named = [r for r in routines if all(_names(word, _name_words(r)) for word in typed)]
    usable = [r for r in named if r in offered] or named
    return usable[0] if len(usable) == 1 else None


def _name_words(routine: Routine) -> set[str]:
    """The words that name a routine: its id, the id's parts and the title's words."""
    parts = routine.id.split("-")
    return {routine.id, "".join(parts), *parts, *words_of(routine.title)} - _FILLER


# A word this long may differ from a name in its ending only: Russian inflects what the menu
# shows («быстрая» for «Быстрый», «классика» for «Классический»).
_STEM_FROM = 5


def _names(word: str, names: set[str]) -> bool:
    return any(
        name == word
        or (len(word) >= _MIN_PREFIX and name.startswith(word))
        or (len(word) >= _STEM_FROM and name.startswith(word[:-2]))
        or same_word(word, name)
        for name in names
    )
