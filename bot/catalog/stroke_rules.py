"""Rules a step's strokes must follow, beyond the shape of the file (like rules.py for routines).

The geometry is the method: every stroke stays on the areas its step names, avoids the eyes,
the front of the throat and the pulse, and drains the way lymph does, from the centre of the
face outwards, down the neck, and along the collarbone towards the base of the neck
(bot/domain/face_map.py). Each check returns (field path, reason) pairs, relative to the
step's entry in its strokes file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.face_map import path_problems

from .rules import Finding

if TYPE_CHECKING:
    from .models import Routine, Step
    from .strokes import StepStrokes

TOOL_HANDS = frozenset({"cup", "stone", "roller"})
# Which tool a tool routine's tool steps use.
ROUTINE_TOOL_HANDS = {"cups": "cup", "gua_sha": "stone"}
# An illustration that lies on the skin, and so may stand for a step over face areas.
COVERING = frozenset({"compress"})


def check_step_strokes(routine: Routine, step: Step, strokes: StepStrokes) -> list[Finding]:
    findings = _fits_step(step, strokes)
    findings += _tool_fits(routine, step, strokes)
    findings += _pace(step, strokes)
    if strokes.view is not None:
        findings += _geometry(step, strokes)
    return findings


def _fits_step(step: Step, strokes: StepStrokes) -> list[Finding]:
    """A step that touches no skin is an illustration; one that does shows its paths (or lays
    something on the skin, as a compress does)."""
    illustration = strokes.illustration
    if not step.touches_skin:
        if illustration is None or illustration in COVERING:
            return [
                (
                    (),
                    "a preparation step touches no skin: give it an illustration "
                    "(breathe, oil or water) and no paths",
                )
            ]
        return []
    if illustration is not None and illustration not in COVERING:
        return [
            (
                ("illustration",),
                f"{step.id!r} works on the skin ({', '.join(step.areas)}): draw its paths instead",
            )
        ]
    return []


def _pace(step: Step, strokes: StepStrokes) -> list[Finding]:
    """The passes a step repeats fit in its time (the animation plays them at this pace):
    a pass for each order of its paths (those of one order, or all without, move together)."""
    passes = (strokes.repeat or 1) * (len({p.order for p in strokes.paths}) or 1)
    if passes * strokes.pass_seconds <= step.duration_s:
        return []
    return [
        (
            ("pass_seconds",),
            f"{passes} pass(es) of {strokes.pass_seconds:g} s do not fit in the step's "
            f"{step.duration_s} s",
        )
    ]


def _tool_fits(routine: Routine, step: Step, strokes: StepStrokes) -> list[Finding]:
    """Steps with the 'tool' caution are drawn with the tool; the others with hands."""
    uses_tool = "tool" in step.cautions
    wanted = ROUTINE_TOOL_HANDS.get(routine.tool or "") if uses_tool else None
    findings: list[Finding] = []
    for index, path in enumerate(strokes.paths):
        hands = strokes.hands_of(path)
        where = ("paths", index, "hands") if path.hands else ("hands",)
        if uses_tool and hands not in TOOL_HANDS:
            findings.append((where, f"the step uses a tool: draw it with {wanted or 'the tool'}"))
        elif uses_tool and wanted is not None and hands != wanted:
            findings.append((where, f"a {routine.tool} routine's tool steps use {wanted}"))
        elif not uses_tool and hands in TOOL_HANDS:
            findings.append((where, "this step has no 'tool' caution: draw it with the hands"))
    return list(dict.fromkeys(findings))  # one finding per field


def _geometry(step: Step, strokes: StepStrokes) -> list[Finding]:
    assert strokes.view is not None
    findings: list[Finding] = []
    for index, path in enumerate(strokes.paths):
        points = path.points
        for segment, reason in path_problems(strokes.view, step.areas, points):
            a, b = points[segment], points[min(segment + 1, len(points) - 1)]
            what = (
                f"segment {segment + 1} ({_show(a)} to {_show(b)})"
                if len(points) > 1
                else f"the point {_show(a)}"
            )
            findings.append((("paths", index, "points"), f"{what} {reason}"))
    return findings


def _show(point: tuple[float, float]) -> str:
    return f"[{point[0]:g}, {point[1]:g}]"
