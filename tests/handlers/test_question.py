"""Tonight's question, end to end through the deployed handler: moto's DynamoDB, the fake Alexa API."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from content.questions import Question, question_bank
from skill.context import household_id
from skill.store.table import household_pk
from skill.tools.console.envelopes import Device, Slot
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.tools.console.nlu import understanding
from tests.support import REGION, Accounts, DynamoDbCalls, Household, Reply, Stack

BANK = question_bank()


def asked(reply: Reply) -> Question:
    """The question Alexa read out (the longest bank text in the speech), failing if she read none."""
    heard = [question for question in BANK.questions if question.text in reply.speech]
    assert heard, f"no question in: {reply.speech}"
    return max(heard, key=lambda question: len(question.text))


def at(zone: str, *moment: int) -> datetime:
    """A wall-clock time in a zone, as Alexa's UTC request timestamp."""
    return datetime(*moment, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def say(household: Household, text: str) -> Reply:
    """Say something as the console would hear it: through the local NLU, one-shot or in session."""
    meaning = understanding().resolve(text)
    if meaning.one_shot:
        return household.one_shot(meaning.intent or "", **meaning.slots)
    return household.intent(meaning.intent or "", **meaning.slots)


def tonight(household: Household) -> Reply:
    return household.one_shot("TonightsQuestionIntent")


def progress_item(stack: Stack, household: Household) -> dict[str, Any] | None:
    key = {"pk": {"S": household_pk(household_id(household.device.user_id))}, "sk": {"S": "QUESTIONS"}}
    client = boto3.client("dynamodb", region_name=REGION)
    return client.get_item(TableName=stack.table_name, Key=key).get("Item")


def in_zone(alexa_api: FakeAlexaApi, household: Household, zone: str) -> None:
    alexa_api.state.time_zones[household.device.device_id] = zone


# --- Tonight's question -----------------------------------------------------------------------------


def test_tonights_question_is_read_out_shown_on_a_card_and_closes_the_mic(household: Household) -> None:
    reply = say(household, "ask closer together for tonight's question")

    question = asked(reply)
    assert reply.speech.startswith("Here's tonight's question.")
    assert question in BANK.rotation
    assert reply.card is not None and question.text in reply.card["content"]
    assert not reply.listening, "the couple talk to each other now, not to Alexa"
    assert reply.speech.endswith("say: Alexa, ask Closer Together for another question.")
    assert not reply.directives, "a device without a screen gets no APL"


def test_a_screen_shows_the_question(stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts) -> None:
    device = Device(user_id=accounts.user_id(), api_endpoint=alexa_api.endpoint, has_screen=True)
    reply = tonight(Household(stack.handler(), device=device))

    [directive] = reply.directives
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
    assert directive["document"]["type"] == "APL"
    shown = directive["datasources"]["question"]
    assert shown["heading"] == "Tonight's question" and shown["text"] == asked(reply).text


def test_the_same_question_all_night_in_any_session_and_on_any_device_of_the_household(
    stack: Stack, household: Household, alexa_api: FakeAlexaApi
) -> None:
    first = asked(tonight(household))
    household.wait(hours=2)
    again = tonight(household)
    bedroom = Household(
        stack.handler(),
        device=Device(
            user_id=household.device.user_id,
            device_id="amzn1.ask.device.BEDROOM",
            api_endpoint=alexa_api.endpoint,
        ),
        now=household.now,
    )
    on_another_device = tonight(bedroom)

    assert asked(again) == first and again.speech.startswith("Tonight's question is still")
    assert asked(on_another_device) == first


def test_another_household_gets_its_own_question(
    stack: Stack, household: Household, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    ours = [asked(tonight(household))]
    for _ in range(3):
        household.wait(days=1)
        ours.append(asked(tonight(household)))
    neighbour = Household(
        stack.handler(),
        device=Device(user_id=accounts.user_id("NEIGHBOUR"), api_endpoint=alexa_api.endpoint),
        now=household.now,
    )
    theirs = [asked(tonight(neighbour))]
    for _ in range(3):
        neighbour.wait(days=1)
        theirs.append(asked(tonight(neighbour)))

    assert ours != theirs


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/St_Johns", "America/Los_Angeles"])
def test_the_night_rolls_over_at_four_in_the_morning_local_time(
    household: Household, alexa_api: FakeAlexaApi, zone: str
) -> None:
    in_zone(alexa_api, household, zone)
    household.now = at(zone, 2026, 11, 19, 21, 30)
    evening = asked(tonight(household))
    household.now = at(zone, 2026, 11, 20, 3, 59)
    small_hours = asked(tonight(household))
    household.now = at(zone, 2026, 11, 20, 4, 0)
    next_night = asked(tonight(household))

    assert small_hours == evening
    assert next_night != evening


@pytest.mark.parametrize(
    ("evening", "before_four", "at_four"),
    [
        # Clocks go back at 02:00 on 1 November 2026: 03:30 that morning is already after 04:00 EDT.
        ((2026, 10, 31, 22, 0), (2026, 11, 1, 3, 30), (2026, 11, 1, 4, 0)),
        # Clocks go forward at 02:00 on 8 March 2026: 04:00 EDT comes an hour before 04:00 EST would.
        ((2026, 3, 7, 22, 0), (2026, 3, 8, 3, 30), (2026, 3, 8, 4, 0)),
    ],
    ids=["autumn-back", "spring-forward"],
)
def test_the_night_rolls_over_at_four_local_across_a_daylight_saving_change(
    household: Household, alexa_api: FakeAlexaApi, evening: tuple, before_four: tuple, at_four: tuple
) -> None:
    zone = "America/New_York"
    in_zone(alexa_api, household, zone)
    household.now = at(zone, *evening)
    first = asked(tonight(household))
    household.now = at(zone, *before_four)
    still = asked(tonight(household))
    household.now = at(zone, *at_four)
    after = asked(tonight(household))

    assert still == first
    assert after != first


@pytest.mark.parametrize("status", [500, 403])
def test_when_the_settings_api_fails_tonights_question_still_comes_and_stays(
    household: Household, alexa_api: FakeAlexaApi, status: int
) -> None:
    alexa_api.fail("time_zone", status)
    in_zone(alexa_api, household, "Asia/Kolkata")  # not heard: the fallback for en-US is New York
    household.now = at("America/New_York", 2026, 11, 20, 3, 30)
    first = tonight(household)
    household.now = at("America/New_York", 2026, 11, 20, 3, 59)
    same_night = tonight(household)
    household.now = at("America/New_York", 2026, 11, 20, 4, 0)
    next_night = tonight(household)

    assert alexa_api.calls("time_zone"), "the skill did ask"
    assert first.speech.startswith("Here's tonight's question.") and not first.listening
    assert asked(same_night) == asked(first)
    assert asked(next_night) != asked(first)


def test_no_question_comes_twice_in_a_year_of_nights(household: Household, alexa_api: FakeAlexaApi) -> None:
    in_zone(alexa_api, household, "Europe/London")
    household.now = at("Europe/London", 2026, 1, 1, 21, 0)
    seen = []
    for _ in range(365):
        seen.append(asked(tonight(household)).id)
        household.wait(days=1)

    assert len(set(seen)) == 365


@pytest.mark.own_account("deletes the table")
def test_a_failing_table_still_gets_tonights_question(household: Household, stack: Stack) -> None:
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=stack.table_name)
    first = tonight(household)
    again = tonight(household)

    assert first.speech.startswith("Here's tonight's question.") and not first.listening
    assert asked(again) == asked(first), "the pick is worked out, not stored, so it holds without the table"


# --- Another one, repeat, skip ---------------------------------------------------------------------


def test_another_one_is_new_counts_as_asked_and_leaves_tonights_question_alone(
    household: Household, stack: Stack
) -> None:
    first = asked(tonight(household))
    extras = [asked(say(household, phrase)) for phrase in ("another one", "next question", "give us another")]
    household.wait(hours=1)
    still = asked(tonight(household))
    later_nights = []
    for _ in range(30):
        household.wait(days=1)
        later_nights.append(asked(tonight(household)))

    assert len({first, *extras}) == 4
    assert still == first
    assert not set(extras) & set(later_nights), "questions had as 'another one' don't come back as tonight's"


def test_the_round_so_far_is_kept_as_one_string_of_ids(household: Household, stack: Stack) -> None:
    first = asked(tonight(household))
    second = asked(say(household, "ask closer together for another question"))
    item = progress_item(stack, household)
    assert item is not None and item["asked"] == {"S": f"{first.id} {second.id}"}


def test_a_round_stored_as_a_list_of_ids_carries_on_where_it_was(household: Household, stack: Stack) -> None:
    """Progress stored before the ids became one string reads the same: the one question of the round
    not yet asked comes next, then the round is complete."""
    rotation = [question.id for question in BANK.rotation]
    *earlier, last = rotation
    item = {
        "pk": {"S": household_pk(household_id(household.device.user_id))},
        "sk": {"S": "QUESTIONS"},
        "asked": {"L": [{"S": question_id} for question_id in earlier]},
    }
    boto3.client("dynamodb", region_name=REGION).put_item(TableName=stack.table_name, Item=item)
    reply = say(household, "ask closer together for another question")
    assert asked(reply).id == last
    stored = progress_item(stack, household)
    assert stored is not None and stored["asked"] == {"S": " ".join(rotation)}


def test_another_one_said_as_a_one_shot_gives_a_question_too(household: Household) -> None:
    reply = say(household, "ask closer together for another question")
    assert reply.speech.startswith("Here's another.") and asked(reply) in BANK.rotation


def test_repeat_says_the_last_question_again_and_writes_nothing(
    household: Household, dynamodb: DynamoDbCalls
) -> None:
    tonight(household)
    first = asked(say(household, "ask closer together for another question"))
    dynamodb.take()
    reply = say(household, "ask closer together to repeat the question")

    assert asked(reply) == first and reply.speech.startswith("Once more.")
    assert not reply.listening
    assert dynamodb.take() == ["GetItem"]


def test_repeat_with_nothing_asked_tonight_gives_tonights_question(household: Household) -> None:
    reply = say(household, "ask closer together to repeat the question")
    assert reply.speech.startswith("Here's tonight's question.")


def test_another_one_after_a_deck_stays_in_the_deck(household: Household) -> None:
    first = say(household, "ask closer together for a question about the future")
    assert first.speech.startswith("Here's a question about the future.")
    again = say(household, "ask closer together for another question")
    assert again.speech.startswith("Here's a question about the future.")
    assert asked(again) in BANK.in_deck("future")


def test_next_question_after_one_of_the_36_goes_on_with_the_36(household: Household) -> None:
    first = household.one_shot("ThirtySixQuestionsIntent")
    assert "Question one of thirty-six" in first.speech
    assert first.speech.endswith("say: Alexa, ask Closer Together for the next question.")
    following = say(household, "ask closer together for the next question")
    assert "Question two of thirty-six" in following.speech


def test_repeat_and_next_outside_a_question_fall_through_to_the_general_answer(household: Household) -> None:
    household.launch()
    repeat = say(household, "repeat that")
    next_ = say(household, "next")

    for reply in (repeat, next_):
        assert "didn't catch that" in reply.speech and reply.listening


def test_amazon_next_inside_a_question_gives_another(household: Household) -> None:
    first = asked(tonight(household))
    reply = household.intent("AMAZON.NextIntent")
    assert reply.speech.startswith("Here's another.") and asked(reply) != first


def test_skipping_tonights_question_replaces_it_for_the_night(household: Household) -> None:
    first = asked(tonight(household))
    skipped = say(household, "skip this one")
    household.wait(hours=1)
    again = tonight(household)

    replacement = asked(skipped)
    assert skipped.speech.startswith("Okay, let's leave that one.")
    assert replacement != first
    assert asked(again) == replacement


def test_skip_said_before_any_question_tonight_just_gives_tonights_question(household: Household) -> None:
    reply = say(household, "ask closer together to skip this question")
    assert reply.speech.startswith("Here's tonight's question.")


# --- Decks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "deck"),
    [
        ("ask closer together for a question about the future", "future"),
        ("ask closer together to ask us something about growing up", "childhood"),
        ("ask closer together for a question about gratitude", "gratitude"),
        ("ask closer together for something fun", "playful"),
        ("ask closer together to ask us about us", "relationship"),
        ("ask closer together to give us a conversation starter", "starters"),
    ],
)
def test_a_question_about_a_deck_comes_from_that_deck(household: Household, phrase: str, deck: str) -> None:
    reply = say(household, phrase)

    assert asked(reply).deck == deck
    assert reply.speech.startswith(f"Here's a question about {BANK.deck(deck).spoken_name}.")


def test_another_one_stays_in_the_chosen_deck_until_it_has_all_been_asked(household: Household) -> None:
    future = BANK.in_deck("future")
    seen = [asked(say(household, "ask closer together for a question about our dreams"))]
    for _ in range(len(future) - 1):
        seen.append(asked(say(household, "another one")))
    next_round = asked(say(household, "another one"))

    assert {question.deck for question in seen} == {"future"}
    assert len(set(seen)) == len(future), "every question of the deck before any comes again"
    assert next_round.deck == "future" and next_round != seen[-1]


def test_the_thirty_six_asked_for_as_a_deck_start_the_challenge(household: Household) -> None:
    reply = say(household, "ask closer together for a question about the thirty six questions")
    assert "Question one of thirty-six." in reply.speech and asked(reply).position == 1


@pytest.mark.parametrize(
    "slot",
    [
        None,
        Slot(value=None),
        Slot(value="astrology", slot_type="DeckName"),
        Slot(value="horoscopes", resolved_id="horoscopes", slot_type="DeckName"),
        Slot(value="the future"),
    ],
    ids=["no-slot", "empty-slot", "no-match", "unknown-id", "unresolved"],
)
def test_a_missing_or_unknown_deck_gets_the_choices_and_nothing_is_stored(
    household: Household, stack: Stack, slot: Slot | None
) -> None:
    slots = {} if slot is None else {"deck": slot}
    reply = household.one_shot("DeckQuestionIntent", **slots)

    assert reply.speech.startswith("I have questions about the future, childhood and family")
    assert reply.listening and "a question about the future" in reply.reprompt
    assert progress_item(stack, household) is None


# --- The thirty-six questions --------------------------------------------------------------------------


def test_the_thirty_six_go_in_order_across_sessions_announcing_each_set(household: Household) -> None:
    heard: list[Reply] = []
    heard.append(say(household, "ask closer together to start the thirty six questions"))
    while len(heard) < 36:
        if len(heard) % 5 == 0:  # a new evening: stop, and come back to it
            say(household, "stop")
            household.wait(days=1)
            heard.append(say(household, "ask closer together to continue the thirty six questions"))
        else:
            heard.append(say(household, "next question"))

    assert [asked(reply).position for reply in heard] == list(range(1, 37))
    assert "Question fourteen of thirty-six." in heard[13].speech
    assert "Question thirty-six of thirty-six." in heard[35].speech
    assert heard[0].speech.startswith("The thirty-six questions come in three sets")
    assert "Set one of three: Building the foundation." in heard[0].speech
    assert "Set two of three: Going deeper." in heard[12].speech
    assert "Set three of three: Sharing vulnerabilities." in heard[24].speech
    assert sum("Set " in reply.speech for reply in heard) == 3
    assert heard[5].speech.startswith("Welcome back to the thirty-six questions.")
    assert heard[35].card is not None and heard[35].card["content"].startswith("Question 36 of 36:")


def test_after_the_thirty_sixth_they_are_told_they_are_done_then_may_begin_again(
    household: Household,
) -> None:
    say(household, "ask closer together to start the thirty six questions")
    for _ in range(35):
        say(household, "next question")
    done = say(household, "next question")
    again = say(household, "ask closer together to do the thirty six questions")

    assert done.speech.startswith("That was the last of the thirty-six questions.") and done.listening
    assert again.speech.startswith("You've done all thirty-six before")
    assert asked(again).position == 1


def test_repeat_and_skip_within_the_thirty_six(household: Household) -> None:
    say(household, "ask closer together to start the thirty six questions")
    second = say(household, "next question")
    repeated = say(household, "repeat that")
    skipped = say(household, "skip this one")

    assert asked(repeated) == asked(second) and "Question two of thirty-six." in repeated.speech
    assert skipped.speech.startswith("Okay, let's skip that one.") and asked(skipped).position == 3


@pytest.mark.own_account("deletes the table")
def test_the_thirty_six_say_sorry_when_the_table_is_unreachable(household: Household, stack: Stack) -> None:
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=stack.table_name)
    reply = say(household, "ask closer together to continue the thirty six questions")
    assert reply.speech.startswith("Sorry, I can't reach your place in the thirty-six questions")
    assert reply.listening


def test_the_thirty_six_do_not_use_up_tonights_rotation(household: Household, stack: Stack) -> None:
    say(household, "ask closer together to start the thirty six questions")
    say(household, "next question")
    item = progress_item(stack, household)

    assert item is not None and item["thirty_six_next"] == {"N": "3"}
    assert "asked" not in item


# --- What each turn costs ------------------------------------------------------------------------------


def test_every_question_turn_reads_once_and_writes_at_most_once(
    household: Household, dynamodb: DynamoDbCalls
) -> None:
    script = [
        "ask closer together for tonight's question",
        "another one",
        "skip this one",
        "a question about the future",
        "next question",
        "skip",
        "repeat that",
        "let's do the thirty six questions",
        "next question",
        "skip this one",
        "ask us about astrology",
    ]
    costs = {}
    for text in script:
        say(household, text)
        costs[text] = dynamodb.take()

    for text, operations in costs.items():
        assert operations.count("GetItem") <= 1, text
        assert operations.count("PutItem") <= 1, text
        assert set(operations) <= {"GetItem", "PutItem"}, text
    assert costs["ask closer together for tonight's question"] == ["GetItem", "PutItem"]
    assert costs["repeat that"] == ["GetItem"], "repeating reads which question, and writes nothing"


def test_what_was_asked_last_night_is_not_repeated_or_continued_tonight(household: Household) -> None:
    yesterday = asked(say(household, "ask closer together for a question about the future"))
    household.wait(days=1)
    repeat = say(household, "ask closer together to repeat the question")
    assert repeat.speech.startswith("Here's tonight's question.") and asked(repeat) != yesterday
