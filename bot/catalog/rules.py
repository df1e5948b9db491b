"""Rules about what a routine must be, beyond the shape of its file.

These encode the method, not YAML syntax: in every routine the neck is cleared before the face,
a routine takes the time it promises, de-puffing has enough steps to be worth doing. Each check
returns (field path, reason) pairs so the loader can point at the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import AREAS, Routine, SafetyNote, Step
from .source import Loc

Finding = tuple[Loc, str]

# Lymph from the face drains down through the neck to the collarbone, so these are opened first.
NECK_AREAS = frozenset({"collarbone", "neck_front", "neck_sides", "neck_back", "shoulders"})
FACE_AREAS = frozenset(AREAS) - NECK_AREAS - {"preparation"}

# Read at a glance, with oily fingers: a bold cue, then a short how-to; the rest behind "More".
CUE_MAX_WORDS = 10
HOW_MAX_WORDS = 35  # the how-to and its direction together
AVOID_MAX_WORDS = 20
# Where a tool never goes. Cups: not the eye area, the front of the neck, or the side of the
# neck with its pulse point and nodes (the neck is cleared by hand). Gua sha: not the eye area
# or the front of the neck.
TOOL_NEVER: dict[str, frozenset[str]] = {
    "cups": frozenset({"under_eyes", "brows", "neck_front", "neck_sides", "lips"}),
    "gua_sha": frozenset({"under_eyes", "neck_front"}),
}
TOOL_MIN_STEPS = 3
# The header gives a routine's length as it will run, after the safety profile has shortened it;
# a length written into the title or summary would contradict it ("15-20 minute" over 9 min).
# English and Russian ("5-minute", "15-20 min", «пять минут», «за 15–20 мин»).
LENGTH_WORDS = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty"
    r"|одн|две|два|три|четыр|пят|шест|сем|восем|девят|десят|пятнадцат|двадцат)\w*"
    r"([ \u00a0–-]\d+)?[ \u00a0–-]?([a-zа-яё]+ )?(minutes?|mins?|минут\w*|мин)\b",
    re.IGNORECASE,
)

CLASSIC_MIN_STEPS = 8
CLASSIC_SECONDS = (15 * 60, 20 * 60)
QUICK_SECONDS = (4 * 60, 6 * 60)
DEPUFF_MIN_STEPS = 5  # long and short de-puffing alike
DEPUFF_QUICK_SECONDS = (3 * 60, 5 * 60)
# The whole note is one Telegram message (limit 4096). Keep clear of the 3500 target even after
# the bot adds headings and markup, which are budgeted here.
SAFETY_MAX_CHARS = 3500
SAFETY_MARKUP_ALLOWANCE = 400

# Every (kind, cause, length) the bot offers from its menus; the default locale must cover them.
# Daily routines have no cause. De-puffing comes long ("classic") and short ("quick") for each
# cause: the check-in picks one by how puffy the user says they are.
REQUIRED: tuple[tuple[str, str | None, str], ...] = (
    ("daily", None, "classic"),
    ("daily", None, "quick"),
    ("depuff", "flight", "classic"),
    ("depuff", "flight", "quick"),
    ("depuff", "party", "classic"),
    ("depuff", "party", "quick"),
)


def check_routine(routine: Routine) -> list[Finding]:
    findings = _unique_step_ids(routine)
    findings += _no_written_length(routine)
    findings += _glanceable(routine)
    findings += _tool_rules(routine)
    if routine.kind == "daily" and routine.length == "classic":
        findings += _classic(routine)
    elif routine.kind == "daily" and routine.length == "quick":
        findings += _total_within(routine, QUICK_SECONDS, "a quick routine")
    elif routine.kind == "depuff":
        findings += _depuff(routine)
    findings += _neck_before_face(routine)
    return findings


def _depuff(routine: Routine) -> list[Finding]:
    """Long or short, at least five steps; the short one ("quick") also takes 3-5 minutes."""
    findings: list[Finding] = []
    if len(routine.steps) < DEPUFF_MIN_STEPS:
        findings.append(
            (
                ("steps",),
                f"a de-puffing routine needs at least {DEPUFF_MIN_STEPS} steps "
                f"(has {len(routine.steps)})",
            )
        )
    if routine.length == "quick":
        findings += _total_within(routine, DEPUFF_QUICK_SECONDS, "a quick de-puffing routine")
    return findings


def _unique_step_ids(routine: Routine) -> list[Finding]:
    first: dict[str, int] = {}
    findings: list[Finding] = []
    for index, step in enumerate(routine.steps):
        if step.id in first:
            findings.append(
                (
                    ("steps", index, "id"),
                    f"step id {step.id!r} is already used by steps[{first[step.id]}]",
                )
            )
        first.setdefault(step.id, index)
    return findings


def _classic(routine: Routine) -> list[Finding]:
    steps = routine.steps
    findings: list[Finding] = []
    if len(steps) < CLASSIC_MIN_STEPS:
        findings.append(
            (
                ("steps",),
                f"a classic routine needs at least {CLASSIC_MIN_STEPS} steps (has {len(steps)})",
            )
        )
    findings += _total_within(routine, CLASSIC_SECONDS, "a classic routine")
    if steps[0].touches_skin:
        findings.append(
            (
                ("steps", 0, "areas"),
                "a classic routine starts with a 'preparation' step "
                f"(got {', '.join(steps[0].areas)})",
            )
        )
    return findings


def words(text: str | None) -> int:
    return len(text.split()) if text else 0


def how_words(step: Step) -> int:
    """The words of how-to a step shows under its cue (the how and its direction)."""
    return words(step.how) + words(step.direction)


def _no_written_length(routine: Routine) -> list[Finding]:
    return [
        ((field,), f"the {field} must not give a length ({found.group(0)!r}): the header does")
        for field, text in (("title", routine.title), ("summary", routine.summary))
        if (found := LENGTH_WORDS.search(text))
    ]


def _glanceable(routine: Routine) -> list[Finding]:
    findings: list[Finding] = []
    for index, step in enumerate(routine.steps):
        for name, count, limit in (
            ("cue", words(step.cue), CUE_MAX_WORDS),
            ("how", how_words(step), HOW_MAX_WORDS),
            ("avoid", words(step.avoid), AVOID_MAX_WORDS),
        ):
            if count > limit:
                what = "the how-to and its direction" if name == "how" else f"the {name}"
                findings.append(
                    (
                        ("steps", index, name),
                        f"{what} must be read at a glance: at most {limit} words (has {count}); "
                        "move the detail to `more`",
                    )
                )
    return findings


def _tool_rules(routine: Routine) -> list[Finding]:
    """A tool routine has enough steps with its tool, each with the `tool` caution (cups with
    `suction` too), never where the tool must not go; suction belongs to cups alone."""
    findings: list[Finding] = []
    tool_steps = 0
    for index, step in enumerate(routine.steps):
        uses_tool = "tool" in step.cautions
        tool_steps += uses_tool
        if "suction" in step.cautions and (routine.tool != "cups" or not uses_tool):
            findings.append(
                (
                    ("steps", index, "cautions"),
                    "'suction' is for steps using vacuum cups: a routine with `tool: cups` and "
                    "the 'tool' caution",
                )
            )
        if routine.tool is None:
            continue
        if uses_tool and routine.tool == "cups" and "suction" not in step.cautions:
            findings.append(
                (("steps", index, "cautions"), "a step with vacuum cups needs 'suction' too")
            )
        never = TOOL_NEVER[routine.tool] & set(step.areas)
        if uses_tool and never:
            findings.append(
                (
                    ("steps", index, "areas"),
                    f"{routine.tool} never go over {', '.join(sorted(never))}",
                )
            )
    if routine.tool is not None and tool_steps < TOOL_MIN_STEPS:
        findings.append(
            (
                ("steps",),
                f"a {routine.tool} routine needs at least {TOOL_MIN_STEPS} steps using the tool "
                f"(has {tool_steps})",
            )
        )
    return findings


def _neck_before_face(routine: Routine) -> list[Finding]:
    """Every routine works the neck, collarbone and shoulders before any face area: a step
    over the neck only may not follow a step over the face (a face step may end with a
    sweep down the neck)."""
    steps = routine.steps
    first_face = next((i for i, s in enumerate(steps) if set(s.areas) & FACE_AREAS), None)
    if first_face is None:
        return []
    return [
        (
            ("steps", index, "areas"),
            f"{', '.join(steps[index].areas)} comes after the face step steps[{first_face}] "
            f"({', '.join(steps[first_face].areas)}): work the neck, collarbone and shoulders "
            "before the face, so the face has somewhere to drain",
        )
        for index in range(first_face + 1, len(steps))
        if set(steps[index].areas) <= NECK_AREAS
    ]


def _total_within(routine: Routine, bounds: tuple[int, int], what: str) -> list[Finding]:
    low, high = bounds
    total = routine.total_seconds
    if low <= total <= high:
        return []
    return [
        (
            ("steps",),
            f"{what} must take {low // 60}-{high // 60} minutes in total; "
            f"its step durations add up to {_duration(total)}",
        )
    ]


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def missing_kinds(routines: Iterable[Routine]) -> list[str]:
    """The REQUIRED (kind, cause, length) that no routine covers, as "daily/quick" or
    "depuff/party/quick" (kind, then cause if any, then length)."""
    # A tool routine is offered only to some users, so it covers nothing for everyone.
    have = {(r.kind, r.cause, r.length) for r in routines if r.tool is None}
    return [
        "/".join(part for part in wanted if part is not None)
        for wanted in REQUIRED
        if wanted not in have
    ]


def check_safety(note: SafetyNote) -> list[Finding]:
    length = note.plain_length() + SAFETY_MARKUP_ALLOWANCE
    if length <= SAFETY_MAX_CHARS:
        return []
    return [
        (
            (),
            f"the note is too long for one message: about {length} characters with headings "
            f"and markup (limit {SAFETY_MAX_CHARS}); shorten some items",
        )
    ]


def translation_differs(original: Routine, translated: Routine) -> list[Finding]:
    """A translation changes the words only: the same routine must do the same thing everywhere,
    and progress stored by step id must mean the same step in every language."""
    findings: list[Finding] = [
        ((name,), f"must match the default locale's version ({getattr(original, name)!r})")
        for name in ("kind", "length", "cause", "position", "tool")
        if getattr(original, name) != getattr(translated, name)
    ]
    if [s.id for s in original.steps] != [s.id for s in translated.steps]:
        findings.append(
            (
                ("steps",),
                "must have the same step ids, in the same order, as the default locale's version "
                f"({', '.join(s.id for s in original.steps)})",
            )
        )
        return findings
    for index, (a, b) in enumerate(zip(original.steps, translated.steps, strict=True)):
        # Area and cautions decide what a safety profile leaves out: the same in every language.
        for name in ("areas", "duration_s", "cautions"):
            if getattr(a, name) != getattr(b, name):
                findings.append(
                    (
                        ("steps", index, name),
                        f"must match the default locale's version ({getattr(a, name)!r})",
                    )
                )
    return findings
