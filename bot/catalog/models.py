"""The shapes of routine and safety files, validated with pydantic.

All text fields hold plain text: the bot HTML-escapes them when it renders a message, so authors
may write any character. Models are frozen (and use tuples) because one catalogue is shared by
every conversation for the life of the process.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    computed_field,
    field_validator,
)

Area = Literal[
    "preparation",
    "collarbone",
    "neck_front",
    "neck_sides",
    "neck_back",
    "shoulders",
    "jaw",
    "chin",
    "lips",
    "cheeks",
    "nose",
    "under_eyes",
    "brows",
    "forehead",
    "temples",
    "ears",
    "scalp",
]
AREAS: tuple[str, ...] = get_args(Area)
# What about a step needs care, so that a safety profile can leave it out or soften it:
# heat: warmth beyond warm palms (a warm compress, a heated tool, warmed oil on the skin);
# firm_pressure: more than the usual feather-light touch (kneading, pinching, pressing);
# tool: a roller, gua sha stone or vacuum cup rather than the hands;
# suction: a vacuum cup's pull on the skin (never on fragile or bruise-prone skin).
Caution = Literal["heat", "firm_pressure", "tool", "suction"]
CAUTIONS: tuple[str, ...] = get_args(Caution)
Kind = Literal["daily", "depuff"]
Length = Literal["classic", "quick"]
Cause = Literal["flight", "party"]
# A tool a routine needs; offered only to users who said in /settings that they have it.
Tool = Literal["cups", "gua_sha"]
TOOLS: tuple[str, ...] = get_args(Tool)
# What a depuff file without a `length` is: the full (long) sequence, not the short one.
DEPUFF_DEFAULT_LENGTH: Length = "classic"

# Short enough for Telegram callback data, which carries routine and step ids.
SLUG_MAX = 40
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _check_slug(value: str) -> str:
    if len(value) > SLUG_MAX or not _SLUG.fullmatch(value):
        raise ValueError(
            f"must be a slug of at most {SLUG_MAX} characters: lowercase letters, digits and "
            f"single hyphens, like 'neck-sides' (got {value!r})"
        )
    return value


def _check_one_line(value: str) -> str:
    if "\n" in value:
        raise ValueError("must fit on one line")
    return value


Slug = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_slug)]


def _plain(max_length: int) -> StringConstraints:
    """A plain-text field: surrounding whitespace stripped, never empty, at most `max_length`."""
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


# For titles and summaries, which end up on buttons and in lists.
_ONE_LINE = AfterValidator(_check_one_line)

Title = Annotated[str, _plain(60), _ONE_LINE]
Summary = Annotated[str, _plain(200), _ONE_LINE]
Item = Annotated[str, _plain(200)]  # one bullet: a tip, a contraindication, a red flag
Items = Annotated[tuple[Item, ...], Field(min_length=1)]
StepCue = Annotated[str, _plain(80), _ONE_LINE]  # the bold line a glance takes in
StepHow = Annotated[str, _plain(400)]  # the how-to under the cue; rules.py also limits its words
StepNote = Annotated[str, _plain(300)]  # direction, avoid
StepMore = Annotated[str, _plain(900)]  # behind a step's "More" button and in /routine help
Intro = Annotated[str, _plain(700)]
Outro = Annotated[str, _plain(500)]
SafetyIntro = Annotated[str, _plain(400)]
Disclaimer = Annotated[str, _plain(300)]
Duration = Annotated[int, Field(strict=True, ge=10, le=600)]  # strict: "30" is a typo, not 30


class _Content(BaseModel):
    # Unknown keys are typos far more often than intent, so they are errors.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        raise ValueError("lists the same value twice")
    return values


class Step(_Content):
    id: Slug
    title: Title
    # Every area the step's hands or tool pass over, so that a safety profile leaving out an
    # area leaves out every step that touches it. "preparation" (nothing touched) stands alone.
    areas: Annotated[tuple[Area, ...], Field(min_length=1), AfterValidator(_distinct)]
    duration_s: Duration
    cue: StepCue
    how: StepHow
    # Only where the direction adds something the how-to does not already say.
    direction: StepNote | None = None
    avoid: StepNote
    more: StepMore | None = None
    cautions: Annotated[tuple[Caution, ...], AfterValidator(_distinct)] = ()

    @property
    def touches_skin(self) -> bool:
        return self.areas != ("preparation",)

    @field_validator("areas")
    @classmethod
    def _preparation_alone(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if "preparation" in value and len(value) > 1:
            raise ValueError("'preparation' means no area is touched: list it alone")
        return value


class Routine(_Content):
    id: Slug
    kind: Kind
    # validate_default so that a missing length/cause still runs the kind checks below. Once
    # validated, `length` is always set: a depuff file without one is the full ("classic") version.
    length: Length | None = Field(default=None, validate_default=True)
    cause: Cause | None = Field(default=None, validate_default=True)
    # Where the routine stands in menus among those of its kind: lower first; routines without
    # one come after, by length and id.
    position: Annotated[int, Field(strict=True, ge=1, le=999)] | None = None
    title: Title
    summary: Summary
    intro: Intro
    outro: Outro
    # Aftercare only: shown once the routine is done. Conditions for doing it at all belong in
    # the intro or on the step they concern.
    tips: tuple[Item, ...] = ()
    # A tool the routine cannot be done without (see TOOLS); None: hands only.
    tool: Tool | None = None
    steps: Annotated[tuple[Step, ...], Field(min_length=2)]

    @field_validator("length")
    @classmethod
    def _length_fits_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Daily routines must say how long they are; a de-puffing routine that does not say is
        the full sequence ("classic"), and "quick" marks its short version."""
        kind = info.data.get("kind")
        if kind == "daily" and value is None:
            raise ValueError("a daily routine needs a length: 'classic' or 'quick'")
        if kind == "depuff" and value is None:
            return DEPUFF_DEFAULT_LENGTH
        return value

    @field_validator("cause")
    @classmethod
    def _cause_fits_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind == "depuff" and value is None:
            raise ValueError("a depuff routine needs a cause: 'flight' or 'party'")
        if kind == "daily" and value is not None:
            raise ValueError("only depuff routines have a cause; leave it out or set it to null")
        return value

    # mypy rejects any decorator over @property; this ignore is pydantic's documented way.
    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_seconds(self) -> int:
        return sum(step.duration_s for step in self.steps)

    @property
    def minutes_span(self) -> tuple[int, int]:
        """How long it takes as people say it (see `minutes_span`); the words are the texts'."""
        return minutes_span(self.total_seconds)


# The routes a red flag can take (bot/domain/edema.py ROUTES), the most urgent first.
RouteName = Literal["emergency", "urgent", "pregnancy", "allergy", "recurring"]
ROUTE_NAMES: tuple[str, ...] = get_args(RouteName)
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=2)]
ButtonLabel = Annotated[str, _plain(40), _ONE_LINE]
Advice = Annotated[str, _plain(700)]


class Route(_Content):
    """Where a red flag sends the user: a heading (in the note and the check-in), a short
    button, the advice (`{number}`: the emergency number of their zone), and `markers`, the
    words that say this route in a sentence elsewhere (bot/catalog/sign_routes.py)."""

    heading: Title
    button: ButtonLabel
    advice: Advice
    markers: Annotated[tuple[Phrase, ...], Field(min_length=1)]


class Routes(_Content):
    emergency: Route
    urgent: Route
    pregnancy: Route
    allergy: Route
    recurring: Route

    def of(self, name: str) -> Route:
        return getattr(self, name)


class Sign(_Content):
    """One red flag, with its one route. `causes`: the check-ins that ask about it (all when
    empty); `mentions`: phrases that name it in any other text, which must then say its route."""

    id: Slug
    route: RouteName
    text: Item
    causes: tuple[Cause, ...] = ()
    mentions: tuple[Phrase, ...] = ()


class SafetyNote(_Content):
    title: Title
    intro: SafetyIntro
    routes: Routes
    signs: Annotated[tuple[Sign, ...], Field(min_length=1)]
    # Stop-signs: no massage today.
    do_not_massage_if: Items
    # Contraindications: not without your clinician's go-ahead, or only in a changed way.
    ask_first_if: Items
    good_practice: Items
    disclaimer: Disclaimer

    def signs_of(self, route: str, cause: str | None = None) -> tuple[Sign, ...]:
        """The signs on `route` (those a check-in for `cause` asks about, if given)."""
        return tuple(
            sign
            for sign in self.signs
            if sign.route == route and (cause is None or not sign.causes or cause in sign.causes)
        )

    def plain_length(self) -> int:
        """Characters of content, counting a bullet and a line break for each list item."""
        items = (
            *(sign.text for sign in self.signs),
            *self.do_not_massage_if,
            *self.ask_first_if,
            *self.good_practice,
        )
        blocks = (self.title, self.intro, self.disclaimer)
        headings = tuple(self.routes.of(name).heading for name in ROUTE_NAMES)
        return sum(len(b) + 2 for b in (*blocks, *headings)) + sum(len(i) + 3 for i in items)


# What a safety profile can say, as the adaptation rules name it (see bot/domain/safety.py).
Condition = Literal[
    "treated_area",
    "injectables_unsure",
    "sensitive_skin",
    "sensitive_skin_unsure",
    "thyroid",
    "pregnancy",
]
AdaptNote = Annotated[str, _plain(400)]


class InjectionArea(_Content):
    """An area someone may have had botulinum toxin or filler in, and the step areas it covers."""

    id: Slug
    label: Title
    areas: Annotated[tuple[Area, ...], Field(min_length=1)]


class AdaptationRule(_Content):
    """When the profile meets `when`: leave out steps over `skip_areas` (or over the treated
    areas, with `skip_treated`) or with any of `skip_cautions`; show `note` above the routine,
    `left_out_note` too but only when this rule did leave a step out of this routine, and
    `step_note` on every step that remains."""

    when: Condition
    skip_areas: tuple[Area, ...] = ()
    skip_cautions: tuple[Caution, ...] = ()
    skip_treated: bool = False
    note: AdaptNote | None = None
    left_out_note: AdaptNote | None = None
    step_note: AdaptNote | None = None


class Adaptations(_Content):
    injection_areas: Annotated[tuple[InjectionArea, ...], Field(min_length=1)]
    rules: tuple[AdaptationRule, ...] = ()
    # Said when so few steps remain that the routine is hardly one.
    too_short_note: AdaptNote


def minutes_span(total_seconds: int) -> tuple[int, int]:
    """A duration as people say it, never shorter than the real time: (low, high) minutes,
    equal for "about N min".

    Under ten minutes: about N (to the nearest minute). From ten on, the five-minute span the
    total falls in: 17 min -> (15, 20), "15–20 min"; a total on a multiple of five -> about 20.
    """
    minutes = total_seconds / 60
    if minutes < 10:
        about = max(1, math.floor(minutes + 0.5))
        return about, about
    return math.floor(minutes / 5) * 5, math.ceil(minutes / 5) * 5
