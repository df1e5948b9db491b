"""The loaded, validated content, and the lookups the bot makes against it.

Everything here is read-only and resolved once at start-up; lookups never fail for a missing
translation, they fall back to the default locale.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import get_args

from .models import Adaptations, Cause, Length, Routine, SafetyNote
from .naming import match_routine
from .strokes import StepStrokes, Strokes
from .texts import LocaleTexts

# Ranks in the order the content model lists them: the full sequence before the short one
# (daily and de-puffing alike), flight before party.
_LENGTH_ORDER = {length: rank for rank, length in enumerate(get_args(Length))}
_CAUSE_ORDER = {cause: rank for rank, cause in enumerate(get_args(Cause))}


def routine_order(routine: Routine) -> tuple[int, int, int, int, str]:
    """Menu order: daily routines by `position` (those without one after), then classic before
    quick; then de-puffing by cause (flight, party, any other), the long version before the
    short one; ties by id, so the order is stable.

    `Catalog.find` returns the first match in this order, so a search without a length finds
    the long de-puffing routine.
    """
    position = routine.position or 1000
    if routine.kind == "daily":
        return 0, position, _LENGTH_ORDER.get(routine.length or "", 2), 0, routine.id
    cause = _CAUSE_ORDER.get(routine.cause or "", len(_CAUSE_ORDER))
    return 1, position, cause, _LENGTH_ORDER.get(routine.length or "", 2), routine.id


class Catalog:
    def __init__(
        self,
        default_locale: str,
        routines: Mapping[str, Mapping[str, Routine]],
        safety: Mapping[str, SafetyNote],
        texts: Mapping[str, LocaleTexts],
        adaptations: Mapping[str, Adaptations] | None = None,
        strokes: Strokes | None = None,
    ) -> None:
        """Build from already validated parts (see `load_catalog`); keyed by locale."""
        others = {*routines, *safety, *texts} - {default_locale}
        self._adaptations = dict(adaptations or {})
        self._strokes = {routine: dict(steps) for routine, steps in (strokes or {}).items()}
        self._default = default_locale
        self._locales = (default_locale, *sorted(others))
        self._safety = dict(safety)
        self._texts = dict(texts)
        self._reference = texts[default_locale].keys if default_locale in texts else frozenset()
        defaults = routines.get(default_locale, {})
        # Merge each locale over the default once, so lookups are plain dict reads.
        self._routines: dict[str, dict[str, Routine]] = {}
        for locale in self._locales:
            merged = {**defaults, **routines.get(locale, {})}
            ordered = sorted(merged.values(), key=routine_order)
            self._routines[locale] = {r.id: r for r in ordered}

    @property
    def locales(self) -> tuple[str, ...]:
        return self._locales

    @property
    def default_locale(self) -> str:
        return self._default

    def resolve_locale(self, locale: str | None) -> str:
        """The catalogue locale to use for a user's language code ("pt-BR", "en_US", None...).

        Exact match first, then the same language ("de-AT" -> "de", "pt" -> "pt-br"), else the
        default. Telegram sends IETF-style codes that rarely match a folder name exactly.
        """
        if not locale:
            return self._default
        code = locale.strip().lower().replace("_", "-")
        if code in self._routines:
            return code
        language = code.split("-", 1)[0]
        if language in self._routines:
            return language
        for known in self._locales:
            if known.split("-", 1)[0] == language:
                return known
        return self._default

    def routines(self, locale: str | None) -> list[Routine]:
        """Every routine, tool routines included (see `offered`)."""
        return list(self._routines[self.resolve_locale(locale)].values())

    def offered(self, locale: str | None, tools: Collection[str] = ()) -> list[Routine]:
        """The routines someone with `tools` can do: hands-only ones, and those needing a
        tool they said they have."""
        return [r for r in self.routines(locale) if r.tool is None or r.tool in tools]

    def routine(self, locale: str | None, routine_id: str) -> Routine:
        """Raises KeyError if no locale has a routine with this id."""
        return self._routines[self.resolve_locale(locale)][routine_id]

    def named(self, locale: str | None, wanted: str, tools: Collection[str] = ()) -> Routine | None:
        """The routine the words after /routine name (see naming.py), or None."""
        return match_routine(self.routines(locale), self.offered(locale, tools), wanted)

    def find(
        self,
        locale: str | None,
        *,
        kind: str | None = None,
        length: str | None = None,
        cause: str | None = None,
        tools: Collection[str] = (),
    ) -> Routine | None:
        """The first routine (in menu order) matching every criterion given; None means "any".
        Tool routines only for `tools` someone has."""
        for routine in self.offered(locale, tools):
            if (
                (kind is None or routine.kind == kind)
                and (length is None or routine.length == length)
                and (cause is None or routine.cause == cause)
            ):
                return routine
        return None

    def adaptations(self, locale: str | None) -> Adaptations:
        """How routines adapt to a safety profile (the default locale's when not translated)."""
        resolved = self.resolve_locale(locale)
        return self._adaptations.get(resolved) or self._adaptations[self._default]

    def daily(self, locale: str | None, routine_id: str) -> Routine | None:
        """The daily routine `routine_id`, or the first daily one if there is no such routine
        any more (content is edited by people; a user's choice must not break with it).
        Never a tool routine: the usual routine must work for everyone, the reminder offers it."""
        routines = self._routines[self.resolve_locale(locale)]
        chosen = routines.get(routine_id)
        if chosen is not None and chosen.kind == "daily" and chosen.tool is None:
            return chosen
        return self.find(locale, kind="daily")

    def shortest_daily(self, locale: str | None) -> Routine | None:
        """The quickest daily routine: what to offer when time is short."""
        daily = [r for r in self.offered(locale) if r.kind == "daily"]
        return min(daily, key=lambda r: r.total_seconds, default=None)

    def strokes(self, routine_id: str, step_id: str) -> StepStrokes | None:
        """How the step is drawn (the same in every language); None for a catalogue built
        without strokes (tests build some from parts)."""
        return self._strokes.get(routine_id, {}).get(step_id)

    def safety(self, locale: str | None) -> SafetyNote:
        resolved = self.resolve_locale(locale)
        return self._safety.get(resolved) or self._safety[self._default]

    def text(self, locale: str | None, key: str, /, **params: object) -> str:
        """The interface text `key` in the locale's words, filled with `params` (texts escaped,
        numbers chosen and written by the locale's rules: texts.py).

        Raises KeyError for an unknown key, or for a variable left without a value.
        """
        texts = self._texts.get(self.resolve_locale(locale))
        if texts is None or key not in texts.variables:
            texts = self._texts.get(self._default)
        if texts is None:
            raise KeyError(key)
        return texts.format(key, params)

    def has_text(self, key: str) -> bool:
        return key in self._reference

    def text_keys(self) -> frozenset[str]:
        return self._reference

    def text_placeholders(self, key: str) -> frozenset[str]:
        """The $variables the text `key` takes (the same in every locale: the loader checks)."""
        return self._texts[self._default].variables[key]

    def __repr__(self) -> str:
        counts = ", ".join(f"{loc}: {len(self._routines[loc])}" for loc in self._locales)
        return f"<Catalog default={self._default!r} routines={{{counts}}}>"
