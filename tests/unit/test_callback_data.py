"""Callback data: compact, round-trips, and anything forged decodes to None without raising."""

from dataclasses import dataclass
from datetime import time
from typing import Annotated
from zoneinfo import available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bot.telegram.handlers.buttons  # noqa: F401 (binds the handlers)
from bot.domain.walkthrough import Action
from bot.domain.zones import parse_timezone
from bot.telegram import button_handlers
from bot.telegram import callback_data as cb
from bot.telegram.callback_fields import Day, HourMinute, Id, LeftOff, OrSkip, Pick, Text, Zone

ids = st.integers(0, 2**53 - 1)
slugs = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,39}\Z")
values = st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,23}\Z")
button_actions = st.sampled_from([a for a in Action if a not in (Action.TIMER, Action.REPLACE)])

callback_data = st.one_of(
    st.builds(cb.RunPress, ids, st.integers(0, 9_999), button_actions),
    st.builds(cb.ShowRun, ids),
    st.builds(cb.StepDetail, ids, st.integers(0, 9_999), st.booleans()),
    st.builds(cb.SkipRatingAfter, values),
    st.builds(cb.StartOver, ids, slugs),
    st.builds(cb.ShowRoutine, slugs),
    st.builds(cb.StartRoutine, slugs, st.booleans()),
    st.just(cb.ChooseRoutine()),
    st.builds(cb.DepuffCause, values),
    st.builds(cb.ChangeSetting, values, values),
    st.builds(cb.Snooze, st.integers(1, 24 * 60)),
    st.just(cb.SkipToday()),
    st.builds(cb.RatePuffiness, values, st.integers(0, 10), st.booleans()),
    st.builds(cb.AnswerRedFlags, values, st.sampled_from("neuapr")),
    st.builds(cb.AnswerRedFlags, values, st.just("n"), st.integers(0, 10)),
    st.just(cb.ShowStreakRules()),
    st.builds(cb.ConfirmDelete, st.booleans()),
    st.builds(cb.RateBeforeRoutine, slugs, st.booleans(), st.one_of(st.none(), st.integers(0, 10))),
    st.builds(cb.ProfileAnswer, values, values),
    st.builds(cb.StopSignCheck, st.booleans(), slugs),
    st.builds(cb.LogDay, st.dates()),
    st.builds(
        cb.RemindChoice,
        st.times().map(lambda t: t.replace(second=0, microsecond=0)),
        st.sampled_from(cb.REMIND_CHOICES),
    ),
    st.builds(
        cb.SetTimezone,
        st.sampled_from(sorted(available_timezones() - {"Factory", "localtime"})).map(
            parse_timezone
        ),
    ),
)


@given(callback_data)
def test_round_trip_within_telegrams_64_bytes(data):
    text = cb.encode(data)
    assert 1 <= len(text.encode("utf-8")) <= cb.MAX_BYTES
    assert cb.decode(text) == data


@given(st.one_of(st.text(max_size=80), st.binary(max_size=80), st.integers(), st.none()))
def test_decode_never_raises(junk):
    result = cb.decode(junk)
    if result is not None:
        assert cb.decode(cb.encode(result)) == result


def test_forged_and_malformed_data_is_rejected():
    for forged in [
        "",
        "r:1:2",
        "r:1:2:t",  # the timer is not a button
        "r:1:2:w",  # nor is "Start again" a step's button
        "w:1",
        "w:x:classic",
        "w:1:Classic",
        "r:-1:0:n",
        "r:01:0:n",
        "r:1:99999:n",
        "r:١:0:n",  # a non-ASCII digit
        "g:Classic:b",
        "g:classic:x",
        "s:lang",
        "x" * 65,
        "c:extra",
        "z:0",
        "z:1441",
        "z:abc",
        "k:1",
        "q:flight:11",
        "f:flight:5:x",
        "f:flight:5:n",  # the old order (rating first) is refused
        "f:flight:e:5",  # a rating comes only after "none of these"
        "f:flight:d",  # the old "doctor" answer is no longer a button
        "a:flight",
        "e:1:2",
        "e:1:2:x",
        "e:x:2:m",
        "e:1:99999:m",
        "u:",
        "u:Flight",
        "t:",
        "t:Mars/Olympus",
        "t:europe/berlin",  # only canonical names
        "h:1",
        "x",
        "x:yes",
        "x:y:1",
        "p:inj",
        "b:classic:h:11",
        "b:classic:x:1",
        "b:classic:h:",
        "p:Inj:yes",
        "o:maybe:classic",
        "o:y:Classic",
        "y:20261301",  # no 13th month
        "y:2026111",
        "y:2026-11-01",
        "y:٢٠٢٦١١٠١",
        "m:2400:r",
        "m:0760:a",
        "m:730:r",
        "m:0730:x",
        "m:0730",
        "m:07:30:r",
        "i:classic\n",  # a whole word, not one before a line break
        "y:20260101\n",
        "m:0730\n:r",
        "\ud800",  # a lone surrogate (no UTF-8 for it)
    ]:
        assert cb.decode(forged) is None, forged


def test_the_timer_and_start_again_cannot_be_put_on_a_steps_button():
    for action in (Action.TIMER, Action.REPLACE):
        try:
            cb.encode(cb.RunPress(1, 0, action))
        except ValueError:
            continue
        raise AssertionError(f"encoding {action.name} on a step's button should fail")


# Over the registry: whatever kinds of button it holds, each checked from its declared codecs.

ZONES = sorted({parse_timezone(z) for z in available_timezones() - {"Factory", "localtime"}})


def field_values(codec):
    """Values the codec can write: two words of 24 characters still fit in 64 bytes."""
    match codec:
        case OrSkip() | LeftOff():
            return st.one_of(st.none(), field_values(codec.inner))
        case Id():
            return st.integers(codec.lower, codec.upper - 1)
        case Text():
            return st.from_regex(codec.pattern, fullmatch=True).map(lambda word: word[:24])
        case Pick():
            return st.sampled_from(list(codec.values.values()))
        case Day():
            return st.dates()
        case HourMinute():
            return st.times().map(lambda t: t.replace(second=0, microsecond=0))
        case Zone():
            return st.sampled_from(ZONES)
    raise AssertionError(f"no values for {codec!r}: add its codec here")


def instances(kind):
    return st.one_of(
        [
            st.builds(
                kind,
                **{name: st.just(value) for name, value in shape.fixed.items()},
                **{name: field_values(codec) for name, codec in shape.fields},
            )
            for shape in kind.shapes
        ]
    )


any_button = st.sampled_from(cb.registered()).flatmap(instances)


@given(any_button)
def test_every_kind_round_trips_within_64_bytes(data):
    if not data.well_formed():
        # Values that do not go together (a rating after a route) are never put on a button.
        with pytest.raises(ValueError):
            cb.encode(data)
        return
    text = cb.encode(data)
    assert 1 <= len(text.encode("utf-8")) <= cb.MAX_BYTES
    assert cb.decode(text) == data
    assert text.partition(":")[0] in {shape.prefix for shape in type(data).shapes}


@given(any_button, st.integers(0, 63), st.text(max_size=3))
def test_forged_from_real_data_never_raises(data, at, inserted):
    if not data.well_formed():
        return
    text = cb.encode(data)
    forged = text[:at] + inserted + text[at + 1 :]
    result = cb.decode(forged)
    if result is not None:
        assert cb.decode(cb.encode(result)) == result


PREFIXES = sorted({shape.prefix for kind in cb.registered() for shape in kind.shapes})


@given(
    st.sampled_from(PREFIXES), st.lists(st.text("0123456789abns:/-_+ZU", max_size=12), max_size=5)
)
def test_data_under_any_prefix_never_raises(prefix, parts):
    result = cb.decode(":".join([prefix, *parts]))
    if result is not None:
        assert cb.decode(cb.encode(result)) == result


def test_encode_refuses_what_is_not_a_button():
    with pytest.raises(TypeError):
        cb.encode("z:30")
    for unrepresentable in [
        cb.Snooze(0),
        cb.Snooze(-5),
        cb.ShowRoutine("Classic"),
        cb.ShowRoutine("a:b"),
        cb.ChangeSetting("x" * 40, "y" * 40),  # over 64 bytes
        cb.AnswerRedFlags("flight", "e", 5),
        cb.AnswerRedFlags("flight", "d"),
        cb.RemindChoice(time(7, 30, 15), "add"),
        cb.RemindChoice(time(7, 30), "later"),
        cb.SetTimezone("europe/berlin"),
    ]:
        with pytest.raises(ValueError):
            cb.encode(unrepresentable)


def test_every_kind_of_button_has_a_handler():
    assert button_handlers.bound() == frozenset(cb.registered())


def test_a_prefix_belongs_to_one_class():
    with pytest.raises(TypeError, match="prefix 'z'"):

        @dataclass(frozen=True)
        class AnotherSnooze(cb.Button, prefix="z"):
            minutes: Annotated[int, Id()]

    assert cb.decode("z:30") == cb.Snooze(30)


def test_every_field_declares_its_codec():
    with pytest.raises(TypeError, match="no codec"):

        @dataclass(frozen=True)
        class Uncoded(cb.Button, prefix="test-uncoded"):
            minutes: int

    with pytest.raises(TypeError, match="only the last field"):

        @dataclass(frozen=True)
        class RestFirst(cb.Button, prefix="test-rest"):
            zone: Annotated[str, Zone()]
            minutes: Annotated[int, Id()]

    assert {"test-uncoded", "test-rest"}.isdisjoint(PREFIXES)
    assert cb.decode("test-uncoded:1") is None
