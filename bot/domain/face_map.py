"""Where things are on the three views a step's strokes are drawn on, and which way they may go.

Every stroke in content/strokes/ is a list of points in a view's own normalised coordinates:
x from 0 (left edge of the picture) to 1 (right edge), y from 0 (top) to 1 (bottom). The views:

- front: the face from the front, with the neck, collarbones and the top of the shoulders. The
  picture's left half is the person's right side; a mirrored stroke is drawn on both halves.
- side: the head and neck in profile, facing left (the face at small x, the back of the head
  at large x), down to the collarbone and shoulder.
- neck: the neck, collarbones and shoulders from the front, closer up; the chin at the top.

This module holds, per view, a polygon (or several) for each area a step can name (the names
of bot/catalog/models.py AREAS), the regions no stroke may cross, and the pure rules a
stroke's direction must follow (lymph drains from the centre of the face outwards, down the
neck, and along the collarbone towards the base of the neck). The drawing (bot/pictures/) and
the content rule (bot/catalog/stroke_rules.py) both read it, so they cannot disagree.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

View = Literal["front", "side", "neck"]
VIEWS: tuple[str, ...] = get_args(View)
# How a path touches the skin. glide: a light stroke along the points; stretch: the skin moved
# a short way and let go (a stationary stretch, the fingers do not slide); circles: small light
# circles on the spot at each point; tap: light taps along the points.
PathKind = Literal["glide", "stretch", "circles", "tap"]
PATH_KINDS: tuple[str, ...] = get_args(PathKind)

Point = tuple[float, float]
Polygon = tuple[Point, ...]

# Pictures are this much taller than wide; a view's y runs over the height. Distances below are
# measured with y scaled by it, so that "0.03" means the same length across and down.
ASPECT = 10 / 9
# How far outside its areas a point may lie: strokes are drawn by hand, areas blur into each
# other, and a fingertip is wider than a line.
AREA_TOLERANCE = 0.03
# A stationary stretch moves the skin a few millimetres: anything longer is a glide.
STRETCH_MAX = 0.12


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 28) -> Polygon:
    return tuple(
        (cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n))
        for i in range(n)
    )


def _rect(left: float, top: float, right: float, bottom: float) -> Polygon:
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def band(points: Sequence[Point], half_width: float) -> Polygon:
    """The polygon `half_width` either side of the polyline `points` (a strip along a bone)."""
    left: list[Point] = []
    right: list[Point] = []
    for i, (x, y) in enumerate(points):
        ax, ay = points[max(0, i - 1)]
        bx, by = points[min(len(points) - 1, i + 1)]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length * half_width, dx / length * half_width
        left.append((x + nx, y + ny))
        right.append((x - nx, y - ny))
    return (*left, *reversed(right))


def mirror_point(point: Point) -> Point:
    return (1 - point[0], point[1])


def mirror(polygon: Sequence[Point]) -> Polygon:
    return tuple(mirror_point(p) for p in reversed(polygon))


def _both(*polygons: Polygon) -> tuple[Polygon, ...]:
    """A region on one side of a front-facing view, and its mirror image."""
    return (*polygons, *(mirror(p) for p in polygons))


# The jawline on the front view, chin to below the ear (the person's right side).
FRONT_JAWLINE: tuple[Point, ...] = ((0.45, 0.685), (0.39, 0.66), (0.325, 0.61), (0.28, 0.53))
# The jaw's lower border in profile, chin to below the ear.
SIDE_JAWLINE: tuple[Point, ...] = ((0.30, 0.645), (0.42, 0.625), (0.52, 0.595), (0.555, 0.50))

REGIONS: dict[str, dict[str, tuple[Polygon, ...]]] = {
    "front": {
        "scalp": (((0.30, 0.13), (0.36, 0.075), (0.5, 0.05), (0.64, 0.075), (0.70, 0.13)),),
        "forehead": (((0.30, 0.13), (0.70, 0.13), (0.71, 0.285), (0.29, 0.285)),),
        "brows": _both(_rect(0.325, 0.275, 0.475, 0.33)),
        "temples": _both(_rect(0.245, 0.20, 0.335, 0.40)),
        "under_eyes": _both(_rect(0.33, 0.375, 0.475, 0.415)),
        "nose": (((0.455, 0.32), (0.545, 0.32), (0.565, 0.485), (0.435, 0.485)),),
        "cheeks": _both(
            ((0.25, 0.39), (0.46, 0.40), (0.46, 0.50), (0.42, 0.525), (0.31, 0.57), (0.255, 0.52))
        ),
        "lips": (_rect(0.415, 0.49, 0.585, 0.575),),
        "chin": (((0.41, 0.57), (0.59, 0.57), (0.57, 0.69), (0.43, 0.69)),),
        "jaw": _both(band(FRONT_JAWLINE, 0.04)),
        "ears": _both(_ellipse(0.245, 0.40, 0.04, 0.075)),
        "neck_front": (_rect(0.45, 0.66, 0.55, 0.87),),
        "neck_sides": _both(((0.36, 0.60), (0.45, 0.64), (0.45, 0.87), (0.36, 0.86))),
        "collarbone": _both(((0.19, 0.81), (0.48, 0.84), (0.48, 0.90), (0.19, 0.87))),
        "shoulders": _both(((0.02, 0.84), (0.22, 0.80), (0.24, 0.90), (0.02, 0.95))),
    },
    "side": {
        "scalp": (
            (
                (0.34, 0.12),
                (0.45, 0.08),
                (0.62, 0.08),
                (0.76, 0.18),
                (0.80, 0.32),
                (0.72, 0.36),
                (0.45, 0.20),
            ),
        ),
        "forehead": (((0.285, 0.16), (0.36, 0.11), (0.45, 0.13), (0.45, 0.28), (0.27, 0.29)),),
        "brows": (_rect(0.27, 0.27, 0.40, 0.32),),
        "temples": (_rect(0.38, 0.24, 0.50, 0.37),),
        "under_eyes": (_rect(0.29, 0.355, 0.40, 0.395),),
        "nose": (((0.27, 0.32), (0.31, 0.32), (0.31, 0.47), (0.20, 0.46)),),
        "cheeks": (((0.29, 0.38), (0.53, 0.37), (0.54, 0.55), (0.34, 0.585), (0.29, 0.48)),),
        "lips": (_rect(0.245, 0.47, 0.335, 0.57),),
        "chin": (((0.26, 0.56), (0.36, 0.56), (0.37, 0.665), (0.28, 0.67)),),
        "jaw": (band(SIDE_JAWLINE, 0.04),),
        "ears": (_ellipse(0.575, 0.40, 0.05, 0.08),),
        "neck_front": (((0.375, 0.655), (0.45, 0.65), (0.44, 0.90), (0.355, 0.90)),),
        "neck_sides": (((0.43, 0.50), (0.63, 0.50), (0.66, 0.86), (0.42, 0.90)),),
        "neck_back": (((0.60, 0.46), (0.74, 0.46), (0.72, 0.84), (0.62, 0.86)),),
        "collarbone": (((0.35, 0.84), (0.64, 0.81), (0.65, 0.93), (0.35, 0.95)),),
        "shoulders": (((0.62, 0.80), (0.98, 0.86), (0.98, 0.99), (0.62, 0.94)),),
    },
    "neck": {
        "jaw": (band(((0.22, 0.0), (0.36, 0.09), (0.5, 0.12), (0.64, 0.09), (0.78, 0.0)), 0.035),),
        "chin": (_rect(0.40, 0.0, 0.60, 0.14),),
        "neck_front": (_rect(0.44, 0.10, 0.56, 0.62),),
        "neck_sides": _both(((0.35, 0.06), (0.45, 0.10), (0.45, 0.60), (0.34, 0.56))),
        "collarbone": _both(
            ((0.10, 0.50), (0.30, 0.47), (0.48, 0.54), (0.48, 0.66), (0.30, 0.62), (0.10, 0.62))
        ),
        "shoulders": _both(((0.02, 0.53), (0.28, 0.42), (0.32, 0.55), (0.10, 0.64), (0.02, 0.70))),
    },
}


@dataclass(frozen=True, slots=True)
class Avoided:
    """A region no stroke may cross, and why (shown nowhere yet; for people reading code)."""

    name: str
    polygon: Polygon


def _avoided_eyes(centre_y: float) -> tuple[Avoided, ...]:
    # The eye itself and its inner rim, where even a light stroke presses on the eyeball.
    eye = _ellipse(0.395, centre_y, 0.062, 0.028)
    return (Avoided("eye", eye), Avoided("eye", mirror(eye)))


AVOIDED: dict[str, tuple[Avoided, ...]] = {
    "front": (
        *_avoided_eyes(0.36),
        # The front of the throat (windpipe, thyroid): never pressed, never stroked here.
        Avoided("front of the neck", _rect(0.465, 0.69, 0.535, 0.855)),
        # The carotid pulse, beside the windpipe below the angle of the jaw.
        Avoided("pulse point", _ellipse(0.435, 0.71, 0.018, 0.02)),
        Avoided("pulse point", mirror(_ellipse(0.435, 0.71, 0.018, 0.02))),
    ),
    "side": (
        Avoided("eye", _ellipse(0.325, 0.335, 0.035, 0.02)),
        Avoided("front of the neck", ((0.405, 0.68), (0.44, 0.68), (0.425, 0.86), (0.385, 0.86))),
        Avoided("pulse point", _ellipse(0.475, 0.675, 0.026, 0.024)),
    ),
    "neck": (
        Avoided("front of the neck", _rect(0.465, 0.14, 0.535, 0.58)),
        Avoided("pulse point", _ellipse(0.425, 0.24, 0.02, 0.022)),
        Avoided("pulse point", mirror(_ellipse(0.425, 0.24, 0.02, 0.022))),
    ),
}

# Where the neck meets the trunk, just above the inner ends of the collarbones: lymph from the
# head and neck joins the veins behind it, so collarbone and shoulder strokes go towards it.
NECK_BASE: dict[str, Point] = {"front": (0.5, 0.86), "side": (0.40, 0.90), "neck": (0.5, 0.60)}
# On these views the face's midline runs down x = 0.5; in profile, "outwards" is towards the
# ear, that is towards larger x.
MIDLINE: dict[str, float | None] = {"front": 0.5, "side": None, "neck": 0.5}

NECK_ZONE = frozenset({"neck_front", "neck_sides", "neck_back"})
DRAIN_ZONE = frozenset({"collarbone", "shoulders"})
Zone = Literal["neck", "drain", "face"]


# --- geometry --------------------------------------------------------------------------------


def _scaled(point: Point) -> Point:
    return (point[0], point[1] * ASPECT)


def distance(a: Point, b: Point) -> float:
    (ax, ay), (bx, by) = _scaled(a), _scaled(b)
    return math.hypot(bx - ax, by - ay)


def inside(point: Point, polygon: Sequence[Point]) -> bool:
    """Whether `point` lies inside `polygon` (even-odd rule; the edge counts as either)."""
    x, y = point
    result = False
    for (x1, y1), (x2, y2) in _edges(polygon):
        if (y1 > y) != (y2 > y):
            cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < cross:
                result = not result
    return result


def _edges(polygon: Sequence[Point]) -> Iterator[tuple[Point, Point]]:
    for i, a in enumerate(polygon):
        yield a, polygon[(i + 1) % len(polygon)]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = _scaled(p), _scaled(a), _scaled(b)
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def distance_to(point: Point, polygon: Sequence[Point]) -> float:
    """0 inside `polygon`, else the distance to its nearest edge."""
    if inside(point, polygon):
        return 0.0
    return min(_segment_distance(point, a, b) for a, b in _edges(polygon))


# Below this, three points count as on one line: rounding must not decide whether a stroke
# touching a corner crosses it, and the answer must not depend on the stroke's direction.
_COLLINEAR = 1e-12


def _orientation(a: Point, b: Point, c: Point) -> float:
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return 0.0 if abs(value) < _COLLINEAR else value


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segment a-b and segment c-d share a point (touching counts)."""
    o1, o2 = _orientation(a, b, c), _orientation(a, b, d)
    o3, o4 = _orientation(c, d, a), _orientation(c, d, b)
    if ((o1 > 0) != (o2 > 0) and o1 != 0 and o2 != 0) and (
        (o3 > 0) != (o4 > 0) and o3 != 0 and o4 != 0
    ):
        return True

    def on(p: Point, q: Point, r: Point) -> bool:  # r on segment p-q, given collinear
        # Within the same tolerance as "collinear": a point taken as on the line a hair's
        # breadth away must not then fall outside the segment's box by that hair.
        return (
            min(p[0], q[0]) - _COLLINEAR <= r[0] <= max(p[0], q[0]) + _COLLINEAR
            and min(p[1], q[1]) - _COLLINEAR <= r[1] <= max(p[1], q[1]) + _COLLINEAR
        )

    return (
        (o1 == 0 and on(a, b, c))
        or (o2 == 0 and on(a, b, d))
        or (o3 == 0 and on(c, d, a))
        or (o4 == 0 and on(c, d, b))
    )


def segment_meets(a: Point, b: Point, polygon: Sequence[Point]) -> bool:
    """Whether the segment a-b touches `polygon` anywhere (inside it or across an edge)."""
    if inside(a, polygon) or inside(b, polygon):
        return True
    return any(segments_cross(a, b, c, d) for c, d in _edges(polygon))


def samples(a: Point, b: Point, step: float = 0.01) -> Iterator[Point]:
    """Points along a-b, both ends included, at most `step` apart."""
    count = max(1, math.ceil(distance(a, b) / step))
    for i in range(count):
        t = i / count
        yield (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
    yield b


# --- the template's areas ----------------------------------------------------------------------


def regions(view: str, areas: Iterable[str]) -> tuple[Polygon, ...]:
    """The polygons of `areas` on `view` (an area the view does not show has none)."""
    on_view = REGIONS[view]
    return tuple(polygon for area in areas for polygon in on_view.get(area, ()))


def outside_by(point: Point, polygons: Sequence[Polygon]) -> float:
    """How far `point` lies outside the union of `polygons` (0 inside; inf with none)."""
    return min((distance_to(point, polygon) for polygon in polygons), default=math.inf)


def in_view(point: Point) -> bool:
    return 0 <= point[0] <= 1 and 0 <= point[1] <= 1


def zone_of(view: str, point: Point) -> Zone:
    """Which direction rule a stroke through `point` follows: the face's (outwards; also where
    the jaw overlaps the top of the neck, so that a stroke may run along the jawline), the
    neck's (down), or the collarbone's and shoulders' (towards the base of the neck)."""
    on_view = REGIONS[view]
    face = (p for area, polygons in on_view.items() if area not in NECK_ZONE | DRAIN_ZONE
            for p in polygons)  # fmt: skip
    if any(inside(point, p) for p in face):
        return "face"
    if any(inside(point, p) for area in NECK_ZONE for p in on_view.get(area, ())):
        return "neck"
    if any(inside(point, p) for area in DRAIN_ZONE for p in on_view.get(area, ())):
        return "drain"
    return "face"


def on_forehead(view: str, point: Point) -> bool:
    return any(inside(point, p) for p in REGIONS[view].get("forehead", ()))


def outward(view: str, a: Point, b: Point) -> float:
    """How far a movement from a to b goes away from the face's centre (negative: towards it)."""
    midline = MIDLINE[view]
    if midline is None:
        return b[0] - a[0]
    return abs(b[0] - midline) - abs(a[0] - midline)


# A segment going towards the midline must go down at least this much faster (down in front of
# the ear to the angle of the jaw, then down the neck, is the drainage path).
INWARD_STEEPNESS = 1.5
# A neck stroke goes down: its downward part is at least this share of its length.
NECK_DOWN_SHARE = 0.3
# A collarbone or shoulder stroke stays within this angle of the direction to the neck's base.
DRAIN_MAX_DEGREES = 60
# Movements this short either way are a hand's wobble, not a direction.
WOBBLE = 0.01


def direction_problem(view: str, a: Point, b: Point) -> str | None:
    """Why the movement from a to b goes the wrong way for where it is, or None if it is fine."""
    if distance(a, b) <= WOBBLE:
        return None
    middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    zone = zone_of(view, middle)
    down = (b[1] - a[1]) * ASPECT
    if zone == "neck":
        if down < NECK_DOWN_SHARE * distance(a, b):
            return "goes up or across the neck: neck strokes go down, towards the collarbone"
        return None
    if zone == "drain":
        base = NECK_BASE[view]
        if not _towards(a, b, base, DRAIN_MAX_DEGREES):
            return (
                "does not point towards the base of the neck: collarbone and shoulder strokes "
                "go inwards, to just above the inner ends of the collarbones"
            )
        return None
    out = outward(view, a, b)
    if down < -WOBBLE and out < -WOBBLE:
        return "goes up and towards the centre of the face: face strokes go outwards"
    if down < -WOBBLE and out < -down and not on_forehead(view, middle):
        return (
            "goes up more than outwards: face strokes go outwards (only the forehead works up, "
            "and then out)"
        )
    if out < -WOBBLE and down < INWARD_STEEPNESS * -out:
        return "goes towards the centre of the face: face strokes go from the centre outwards"
    return None


def _towards(a: Point, b: Point, target: Point, max_degrees: float) -> bool:
    (ax, ay), (bx, by), (tx, ty) = _scaled(a), _scaled(b), _scaled(target)
    mx, my = bx - ax, by - ay
    wx, wy = tx - ax, ty - ay
    norm = math.hypot(mx, my) * math.hypot(wx, wy)
    if norm == 0:
        return True
    return (mx * wx + my * wy) / norm >= math.cos(math.radians(max_degrees))


def avoided_crossed(view: str, a: Point, b: Point) -> str | None:
    """The name of the first avoided region the segment a-b touches, or None."""
    for region in AVOIDED[view]:
        if segment_meets(a, b, region.polygon):
            return region.name
    return None


# --- a whole path --------------------------------------------------------------------------------


def path_problems(
    view: str, areas: Iterable[str], points: Sequence[Point]
) -> list[tuple[int, str]]:
    """What is wrong with a stroke through `points` on `view` for a step over `areas`, as
    (segment index, reason), segment i running from point i to point i + 1 (a path of one
    point has the one segment 0, from the point to itself). At most one reason per segment:
    the first of: outside the picture, outside the areas, across an avoided region, the wrong
    way."""
    allowed = regions(view, areas)
    if not allowed:
        return [(0, f"none of the step's areas ({', '.join(areas)}) is on the {view} view")]
    pairs = list(itertools.pairwise(points)) or [(points[0], points[0])]
    found: list[tuple[int, str]] = []
    for index, (a, b) in enumerate(pairs):
        reason = _segment_problem(view, allowed, a, b)
        if reason is not None:
            found.append((index, reason))
    return found


def _segment_problem(view: str, allowed: Sequence[Polygon], a: Point, b: Point) -> str | None:
    if not (in_view(a) and in_view(b)):
        return "leaves the picture: coordinates run from 0 to 1"
    worst = max(outside_by(p, allowed) for p in samples(a, b))
    if worst > AREA_TOLERANCE:
        return f"leaves the step's areas (by {worst:.2f}): add the area it crosses, or move it"
    crossed = avoided_crossed(view, a, b)
    if crossed is not None:
        return f"crosses the {crossed}, which strokes avoid"
    return direction_problem(view, a, b)
