"""The geometry behind the strokes rule (bot/domain/face_map.py), checked as properties."""

from __future__ import annotations

import itertools
import math

from hypothesis import assume, given
from hypothesis import strategies as st

from bot.catalog.models import AREAS
from bot.domain import face_map as fm

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
points = st.tuples(unit, unit)


@st.composite
def rects(draw: st.DrawFn) -> tuple[float, float, float, float]:
    left, right = sorted((draw(unit), draw(unit)))
    top, bottom = sorted((draw(unit), draw(unit)))
    assume(right - left > 1e-3 and bottom - top > 1e-3)
    return left, top, right, bottom


def rect(box: tuple[float, float, float, float]) -> fm.Polygon:
    left, top, right, bottom = box
    return ((left, top), (right, top), (right, bottom), (left, bottom))


@given(rects(), points)
def test_inside_a_rectangle_is_within_its_bounds(box, point) -> None:
    left, top, right, bottom = box
    x, y = point
    margin = 1e-9
    if left + margin < x < right - margin and top + margin < y < bottom - margin:
        assert fm.inside(point, rect(box))
    if not (left - margin <= x <= right + margin and top - margin <= y <= bottom + margin):
        assert not fm.inside(point, rect(box))


@given(rects(), points)
def test_distance_to_is_zero_inside_and_the_gap_outside(box, point) -> None:
    left, top, right, bottom = box
    x, y = point
    gap = math.hypot(max(left - x, 0, x - right), (max(top - y, 0, y - bottom)) * fm.ASPECT)
    distance = fm.distance_to(point, rect(box))
    assert distance >= 0
    assert math.isclose(distance, gap, abs_tol=1e-9) or fm.inside(point, rect(box))


@given(points, points, st.floats(min_value=0.005, max_value=0.2))
def test_samples_run_from_end_to_end_in_short_steps(a, b, step) -> None:
    found = list(fm.samples(a, b, step))
    assert found[0] == a
    assert found[-1] == b
    assert all(fm.distance(p, q) <= step + 1e-9 for p, q in itertools.pairwise(found))


@given(points, points, rects())
def test_a_segment_meets_a_polygon_whichever_way_it_runs(a, b, box) -> None:
    polygon = rect(box)
    assert fm.segment_meets(a, b, polygon) == fm.segment_meets(b, a, polygon)
    if fm.inside(a, polygon):
        assert fm.segment_meets(a, b, polygon)
    # Points along a segment that meets the polygon come close to it; along one that does not,
    # none is inside it.
    along = list(fm.samples(a, b, 0.002))
    if fm.segment_meets(a, b, polygon):
        assert min(fm.distance_to(p, polygon) for p in along) <= 0.002
    else:
        assert not any(fm.inside(p, polygon) for p in along)


@given(points)
def test_mirroring_twice_is_the_identity(point) -> None:
    again = fm.mirror_point(fm.mirror_point(point))
    assert math.isclose(again[0], point[0], abs_tol=1e-12) and again[1] == point[1]


@given(
    st.floats(min_value=0.385, max_value=0.43),
    st.floats(min_value=0.68, max_value=0.74),
    st.floats(min_value=-0.01, max_value=0.01),
    st.floats(min_value=0.04, max_value=0.1),
)
def test_a_neck_stroke_going_down_is_fine_and_going_up_is_not(x, y, dx, dy) -> None:
    a, b = (x, y), (x + dx, y + dy)
    assume(fm.zone_of("front", ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)) == "neck")
    assert fm.direction_problem("front", a, b) is None
    assert "neck strokes go down" in (fm.direction_problem("front", b, a) or "")


@given(
    st.floats(min_value=0.30, max_value=0.40),
    st.floats(min_value=0.42, max_value=0.50),
    st.floats(min_value=0.03, max_value=0.1),
    st.floats(min_value=-0.02, max_value=0.02),
)
def test_a_cheek_stroke_goes_out_not_in(x, y, out, dy) -> None:
    inner, outer = (x, y), (x - out, y + dy)  # the picture's left half: out is towards x = 0
    assume(fm.zone_of("front", inner) == fm.zone_of("front", outer) == "face")
    assert fm.direction_problem("front", inner, outer) is None
    assert "centre" in (fm.direction_problem("front", outer, inner) or "")


@given(st.floats(min_value=0.12, max_value=0.30), st.floats(min_value=0.53, max_value=0.58))
def test_a_collarbone_stroke_points_at_the_base_of_the_neck(x, y) -> None:
    base = fm.NECK_BASE["neck"]
    towards = (x + (base[0] - x) * 0.3, y + (base[1] - y) * 0.3)
    away = (x - (base[0] - x) * 0.3, y - (base[1] - y) * 0.3)
    assume(fm.zone_of("neck", ((x + towards[0]) / 2, (y + towards[1]) / 2)) == "drain")
    assume(fm.zone_of("neck", ((x + away[0]) / 2, (y + away[1]) / 2)) == "drain")
    assert fm.direction_problem("neck", (x, y), towards) is None
    assert "base of the neck" in (fm.direction_problem("neck", (x, y), away) or "")


@given(st.sampled_from(fm.VIEWS), points, points)
def test_path_problems_name_at_most_one_reason_per_segment(view, a, b) -> None:
    found = fm.path_problems(view, ("cheeks", "neck_sides"), [a, b])
    assert len(found) <= 1 and all(index == 0 for index, _ in found)


def test_a_stroke_over_the_eye_is_caught() -> None:
    across = [(0.46, 0.36), (0.33, 0.36)]
    assert fm.path_problems("front", ("under_eyes", "temples"), across) == [
        (0, "crosses the eye, which strokes avoid")
    ]


def test_every_area_is_on_some_view_and_every_region_names_an_area() -> None:
    named = {area for view in fm.REGIONS.values() for area in view}
    assert named <= set(AREAS)
    assert set(AREAS) - {"preparation"} - named == set()
    assert set(fm.REGIONS) == set(fm.VIEWS) == set(fm.AVOIDED) == set(fm.NECK_BASE)


@given(
    st.lists(points, min_size=2, max_size=5, unique=True),
    st.floats(min_value=0.005, max_value=0.05),
)
def test_a_band_holds_its_own_line(line, half_width) -> None:
    assume(all(fm.distance(p, q) > 0.01 for p, q in itertools.pairwise(line)))
    # Gentle bends only, as along a jawline: a band that doubles back on itself is no strip.
    for p, q, r in zip(line, line[1:], line[2:], strict=False):
        u, v = (q[0] - p[0], q[1] - p[1]), (r[0] - q[0], r[1] - q[1])
        assume(u[0] * v[0] + u[1] * v[1] > 0.5 * math.hypot(*u) * math.hypot(*v))
    polygon = fm.band(line, half_width)
    # Every vertex of the line is on or inside its band (within rounding).
    assert all(fm.distance_to(p, polygon) < 1e-6 for p in line)
