"""Callback data: compact, round-trips, and anything forged decodes to None without raising."""

from zoneinfo import available_timezones

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.walkthrough import Action
from bot.domain.zones import parse_timezone
from bot.telegram.callback_data import (
    MAX_BYTES,
    REMIND_CHOICES,
    AnswerRedFlags,
    ChangeSetting,
    ChooseRoutine,
    ConfirmDelete,
    DepuffCause,
    LogDay,
    ProfileAnswer,
    RateBeforeRoutine,
    RatePuffiness,
    RemindChoice,
    RunPress,
    SetTimezone,
    ShowRoutine,
    ShowRun,
    ShowStreakRules,
    SkipRatingAfter,
    SkipToday,
    Snooze,
    StartOver,
    StartRoutine,
    StepDetail,
    StopSignCheck,
    decode,
    encode,
)

ids = st.integers(0, 2**53 - 1)
slugs = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,39}\Z")
values = st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,23}\Z")
button_actions = st.sampled_from([a for a in Action if a not in (Action.TIMER, Action.REPLACE)])

callback_data = st.one_of(
    st.builds(RunPress, ids, st.integers(0, 9_999), button_actions),
    st.builds(ShowRun, ids),
    st.builds(StepDetail, ids, st.integers(0, 9_999), st.booleans()),
    st.builds(SkipRatingAfter, values),
    st.builds(StartOver, ids, slugs),
    st.builds(ShowRoutine, slugs),
    st.builds(StartRoutine, slugs, st.booleans()),
    st.just(ChooseRoutine()),
    st.builds(DepuffCause, values),
    st.builds(ChangeSetting, values, values),
    st.builds(Snooze, st.integers(1, 24 * 60)),
    st.just(SkipToday()),
    st.builds(RatePuffiness, values, st.integers(0, 10), st.booleans()),
    st.builds(AnswerRedFlags, values, st.sampled_from("neuapr")),
    st.builds(AnswerRedFlags, values, st.just("n"), st.integers(0, 10)),
    st.just(ShowStreakRules()),
    st.builds(ConfirmDelete, st.booleans()),
    st.builds(RateBeforeRoutine, slugs, st.booleans(), st.one_of(st.none(), st.integers(0, 10))),
    st.builds(ProfileAnswer, values, values),
    st.builds(StopSignCheck, st.booleans(), slugs),
    st.builds(LogDay, st.dates()),
    st.builds(
        RemindChoice,
        st.times().map(lambda t: t.replace(second=0, microsecond=0)),
        st.sampled_from(REMIND_CHOICES),
    ),
    st.builds(
        SetTimezone,
        st.sampled_from(sorted(available_timezones() - {"Factory", "localtime"})).map(
            parse_timezone
        ),
    ),
)


@given(callback_data)
def test_round_trip_within_telegrams_64_bytes(data):
    text = encode(data)
    assert 1 <= len(text.encode("utf-8")) <= MAX_BYTES
    assert decode(text) == data


@given(st.one_of(st.text(max_size=80), st.binary(max_size=80), st.integers(), st.none()))
def test_decode_never_raises(junk):
    result = decode(junk)
    if result is not None:
        assert decode(encode(result)) == result


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
    ]:
        assert decode(forged) is None, forged


def test_the_timer_and_start_again_cannot_be_put_on_a_steps_button():
    for action in (Action.TIMER, Action.REPLACE):
        try:
            encode(RunPress(1, 0, action))
        except ValueError:
            continue
        raise AssertionError(f"encoding {action.name} on a step's button should fail")
