"""The rotation's promise, as a property: whatever a household asks, no question comes round again early."""

import os
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.questions import question_bank
from handlers.question.picking import household_order, next_in, pick_without_progress
from handlers.question.wording import spoken_number
from skill.household_time import night_of
from skill.store.questions import QuestionProgress

BANK = question_bank()
ROTATION = BANK.rotation
DECKS = [deck.id for deck in BANK.decks if deck.in_rotation]
HOUSEHOLDS = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
CONTAINER_ORDER = (
    "from handlers.question.picking import household_order\n"
    "print(*(question.id for question in household_order('one-household', None)))"
)


@settings(max_examples=30, deadline=None)
@given(
    household=HOUSEHOLDS,
    extras_per_night=st.lists(st.integers(min_value=0, max_value=3), min_size=365, max_size=365),
)
def test_a_question_comes_round_again_only_after_all_the_others(
    household: str, extras_per_night: list[int]
) -> None:
    progress = QuestionProgress()
    heard: list[str] = []
    for extras in extras_per_night:
        for _ in range(1 + extras):  # tonight's question, then each "another one"
            heard.append(next_in(household, progress, None).id)

    last_heard: dict[str, int] = {}
    for index, question_id in enumerate(heard):
        if question_id in last_heard:
            assert index - last_heard[question_id] == len(ROTATION), f"{question_id} came back early"
        last_heard[question_id] = index


@settings(max_examples=30, deadline=None)
@given(household=HOUSEHOLDS, asks=st.lists(st.sampled_from([None, *DECKS]), min_size=1, max_size=600))
def test_with_decks_mixed_in_nothing_repeats_before_the_pool_asked_for_is_used_up(
    household: str, asks: list[str | None]
) -> None:
    progress = QuestionProgress()
    heard: list[str] = []
    for deck in asks:
        question = next_in(household, progress, deck)
        if deck is not None:
            assert question.deck == deck
        if question.id in heard:
            pool = {member.id for member in household_order(household, deck)}
            assert pool <= set(heard), "a question came again while its pool still had unheard ones"
            return  # past the first repeat a new round has begun; the test above covers rounds
        heard.append(question.id)


def test_only_tonights_questions_for_a_year_are_all_different() -> None:
    progress = QuestionProgress()
    year = [next_in("a-household", progress, None).id for _ in range(365)]
    assert len(set(year)) == 365


def test_households_have_their_own_sequences_which_every_container_walks_the_same_way() -> None:
    """Every Echo of a household, in whichever Lambda container, must agree on its next question: a
    container is another process, with its own hash seed."""
    ours = [question.id for question in household_order("one-household", None)]
    assert ours != [question.id for question in household_order("another-household", None)]
    walks = {household: QuestionProgress() for household in ("one-household", "another-household")}
    nights = [
        {household: next_in(household, walks[household], None).id for household in walks} for _ in range(5)
    ]
    assert [night["one-household"] for night in nights] == ours[:5]
    assert [night["another-household"] for night in nights] != ours[:5]
    elsewhere = subprocess.run(
        [sys.executable, "-c", CONTAINER_ORDER],
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert elsewhere.stdout.split() == ours
    assert set(household_order("one-household", "future")) == set(BANK.in_deck("future"))


@given(household=HOUSEHOLDS, nights=st.lists(st.dates().map(date.isoformat), min_size=1, max_size=20))
def test_without_progress_the_pick_varies_by_night_and_avoids_the_question_on_the_table(
    household: str, nights: list[str]
) -> None:
    on_table = ROTATION[0].id
    picks = [pick_without_progress(household, night, ROTATION, on_table) for night in nights]

    assert on_table not in {question.id for question in picks}
    assert picks == [pick_without_progress(household, night, ROTATION, on_table) for night in nights]


@pytest.mark.parametrize(
    ("local", "night"),
    [
        (datetime(2026, 11, 20, 3, 59, tzinfo=ZoneInfo("Asia/Kolkata")), "2026-11-19"),
        (datetime(2026, 11, 20, 4, 0, tzinfo=ZoneInfo("Asia/Kolkata")), "2026-11-20"),
        (datetime(2026, 11, 20, 23, 59, tzinfo=ZoneInfo("America/St_Johns")), "2026-11-20"),
        (datetime(2026, 11, 21, 0, 30, tzinfo=ZoneInfo("America/St_Johns")), "2026-11-20"),
    ],
)
def test_a_night_runs_from_four_in_the_morning_to_four_the_next(local: datetime, night: str) -> None:
    assert night_of(local) == night


def test_positions_are_spoken_as_words() -> None:
    spoken = [spoken_number(n) for n in range(1, 37)]
    assert spoken[:3] == ["one", "two", "three"]
    assert spoken[13] == "fourteen" and spoken[19] == "twenty" and spoken[20] == "twenty-one"
    assert spoken[29] == "thirty" and spoken[35] == "thirty-six"
