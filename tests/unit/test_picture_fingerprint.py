"""The picture key: equal inputs give equal keys whatever their order; any change gives another."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.pictures import CalendarLabels
from bot.pictures.fingerprint import fingerprint, renderer_version

TODAY = date(2026, 12, 1)
days = st.sets(st.integers(0, 90).map(lambda n: TODAY - timedelta(days=n)), max_size=40)


@given(done=days, frozen=days)
def test_the_order_of_the_days_does_not_matter(done, frozen):
    labels = CalendarLabels.english()
    one = fingerprint("calendar", today=TODAY, done=frozenset(done), frozen=frozen, labels=labels)
    other = fingerprint(
        "calendar",
        today=TODAY,
        done=set(sorted(done, reverse=True)),
        frozen=frozenset(frozen),
        labels=CalendarLabels.english(),
    )
    assert one == other and len(one) == 64


@given(done=days, extra=st.integers(0, 90))
def test_one_more_day_done_changes_the_key(done, extra):
    day = TODAY - timedelta(days=extra)
    labels = CalendarLabels.english()
    before = fingerprint("calendar", today=TODAY, done=frozenset(done - {day}), labels=labels)
    after = fingerprint("calendar", today=TODAY, done=frozenset(done | {day}), labels=labels)
    assert before != after


def test_today_the_labels_and_the_kind_are_part_of_the_key():
    labels = CalendarLabels.english()
    base = fingerprint("calendar", today=TODAY, done=frozenset(), labels=labels)
    assert base != fingerprint(
        "calendar", today=TODAY + timedelta(days=1), done=frozenset(), labels=labels
    )
    renamed = CalendarLabels(**{**labels.__dict__, "done": "fait"})
    assert base != fingerprint("calendar", today=TODAY, done=frozenset(), labels=renamed)
    assert base != fingerprint("progress", today=TODAY, done=frozenset(), labels=labels)


def test_the_renderer_version_is_a_stable_short_key():
    assert len(renderer_version()) == 16
    assert renderer_version() == renderer_version()
