"""What makes you feel loved, end to end through the deployed handler: the quiz in turns, results kept
only once stored and said warmly, an idea for tonight, and what stopping part way keeps (nothing)."""

from typing import Any

import pytest

from content.love import love_content
from handlers.love.scoring import ranked, scores
from skill.store.table import from_item
from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from tests.support import (
    FAULTS,
    Accounts,
    DynamoDbCalls,
    Household,
    Reply,
    Stack,
    household_items,
    wire_faults,
)

QUESTIONS = love_content().questions
ANSWERS = {
    "first": "FirstChoiceIntent",
    "second": "SecondChoiceIntent",
    "both": "BothChoicesIntent",
    "neither": "NeitherChoiceIntent",
}
# Answers that put quality time first and kind words second: "time" wherever it is offered, then "words".
TIME_THEN_WORDS = [
    "second"
    if q.second == "time"
    else "first"
    if q.first == "time"
    else "both"
    if "words" in (q.first, q.second)
    else "neither"
    for q in QUESTIONS
]


def results(stack: Stack, household: Household) -> list[dict[str, Any]]:
    return [from_item(item) for item in household_items(stack.table_name, household.device.user_id, "LOVE#")]


def couple(household: Household) -> None:
    """The household has told the skill its two names."""
    household.one_shot("NameIntent", firstName="Sam", partnerName="Alex")


def answer_all(household: Household, answers: list[str]) -> Reply:
    reply = None
    for answer in answers:
        reply = household.intent(ANSWERS[answer])
    assert reply is not None
    return reply


def quiz_taken(household: Household, name: str, answers: list[str]) -> Reply:
    household.one_shot("StartLoveQuizIntent", firstName=name)
    return answer_all(household, answers)


# --- the quiz, in turns ---


def test_the_quiz_asks_each_partner_in_turn_and_keeps_each_ones_results(
    household: Household, stack: Stack
) -> None:
    couple(household)
    first = household.one_shot("StartLoveQuizIntent")
    assert first.speech.startswith("Let's find out what makes each of you feel most loved")
    assert "Sam's turn. Answer the first, the second, both, or neither. Question one:" in first.speech
    assert first.speech.endswith(QUESTIONS[0].text) and first.listening
    assert first.reprompt == f"{QUESTIONS[0].text} Say the first, the second, both, or neither."

    second = household.intent("FirstChoiceIntent")
    assert second.speech == f"Question two: {QUESTIONS[1].text}"

    done = answer_all(household, TIME_THEN_WORDS[1:])
    assert done.speech.startswith("Thanks, Sam. Sam feels most loved through quality time, then kind words.")
    assert "One idea for tonight: " in done.speech
    assert done.speech.endswith("Alex, ready for your turn?") and done.listening
    [sam] = results(stack, household)
    assert sam["name"] == "Sam" and sam["ranked"][:2] == ["time", "words"]
    assert sam["answers"][QUESTIONS[0].id] == "first" and len(sam["answers"]) == len(QUESTIONS)

    alexs = household.intent("AMAZON.YesIntent")
    assert alexs.speech.startswith("Alex's turn.") and f"Question one: {QUESTIONS[0].text}" in alexs.speech
    last = answer_all(household, ["neither"] * len(QUESTIONS))
    assert last.speech.startswith("Thanks, Alex. None of these quite fit Alex, and that's fine")
    assert not last.listening
    assert [result["name"] for result in results(stack, household)] == ["Alex", "Sam"]


def test_a_named_partner_takes_it_alone(household: Household, stack: Stack) -> None:
    reply = quiz_taken(household, "robin", ["first"] * len(QUESTIONS))
    assert reply.speech.startswith("Thanks, Robin. Robin feels most loved through")
    assert not reply.listening, "nobody else's turn was asked for"
    assert [result["name"] for result in results(stack, household)] == ["Robin"]


def test_without_names_it_asks_who_is_first_and_writes_no_profile(household: Household, stack: Stack) -> None:
    asked = household.one_shot("StartLoveQuizIntent")
    assert asked.speech.endswith("Who's first? Say: I'm, and your name.") and asked.listening
    begun = household.intent("NameIntent", firstName="kai")
    assert begun.speech.startswith("Kai's turn.") and begun.listening
    answer_all(household, ["both"] * len(QUESTIONS))
    assert [result["name"] for result in results(stack, household)] == ["Kai"]
    assert household_items(stack.table_name, household.device.user_id, "PROFILE") == []


def test_we_are_sam_and_alex_names_both_takers(household: Household) -> None:
    household.one_shot("StartLoveQuizIntent")
    begun = household.intent("NameIntent", firstName="sam", partnerName="alex")
    assert "Sam's turn." in begun.speech
    done = answer_all(household, ["first"] * len(QUESTIONS))
    assert done.speech.endswith("Alex, ready for your turn?")


def test_a_bare_name_answers_who_is_first(household: Household) -> None:
    household.one_shot("StartLoveQuizIntent")
    assert household.intent("AppreciationAuthorIntent", firstName="Jo").speech.startswith("Jo's turn.")


@pytest.mark.parametrize("heard", [None, "", "x" * 60, "12"])
def test_a_name_not_heard_is_asked_for_again(household: Household, heard: str | None) -> None:
    household.one_shot("StartLoveQuizIntent")
    reply = household.intent("NameIntent", firstName=heard)
    assert reply.speech.startswith("Sorry, I didn't catch a name.") and reply.listening


@pytest.mark.parametrize("said", ["FirstChoiceIntent", "AMAZON.YesIntent", "AMAZON.FallbackIntent"])
def test_an_answer_before_anyone_is_named_asks_for_a_name(household: Household, said: str) -> None:
    household.one_shot("StartLoveQuizIntent")
    reply = household.intent(said)
    assert reply.speech.startswith("Sorry, I didn't catch a name. Who's taking the quiz?") and reply.listening


def test_no_to_who_is_first_ends_kindly(household: Household, stack: Stack) -> None:
    household.one_shot("StartLoveQuizIntent")
    reply = household.intent("AMAZON.NoIntent")
    assert reply.speech == "All right, I've stopped the quiz. Goodbye for now." and not reply.listening


def test_no_to_the_next_turn_says_how_to_take_it_later(household: Household, stack: Stack) -> None:
    couple(household)
    household.one_shot("StartLoveQuizIntent")
    answer_all(household, ["first"] * len(QUESTIONS))
    later = household.intent("AMAZON.NoIntent")
    assert later.speech.startswith(
        "All right. Alex can take it any time: say, ask Closer Together for the love"
    )
    assert not later.listening and len(results(stack, household)) == 1


def test_retaking_the_quiz_replaces_the_earlier_results(household: Household, stack: Stack) -> None:
    quiz_taken(household, "Sam", ["first"] * len(QUESTIONS))
    quiz_taken(household, "sam", TIME_THEN_WORDS)
    [sam] = results(stack, household)
    assert sam["ranked"][:2] == ["time", "words"]


# --- stopping and other interruptions, at every step ---


@pytest.mark.parametrize("answered", range(len(QUESTIONS)))
@pytest.mark.parametrize("leave", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stopping_part_way_keeps_nothing_and_says_so(
    household: Household, stack: Stack, answered: int, leave: str
) -> None:
    household.one_shot("StartLoveQuizIntent", firstName="Sam")
    answer_all(household, ["first"] * answered) if answered else None
    stopped = household.intent(leave)
    if answered:
        assert stopped.speech == (
            "I've stopped the quiz. Sam's answers so far aren't kept, so take it again whenever you like."
        )
    else:
        assert stopped.speech == "All right, I've stopped the quiz. Goodbye for now."
    assert not stopped.listening and results(stack, household) == []


def test_stopping_before_the_second_turn_keeps_the_first_partners_results(
    household: Household, stack: Stack
) -> None:
    couple(household)
    household.one_shot("StartLoveQuizIntent")
    answer_all(household, ["first"] * len(QUESTIONS))
    household.intent("AMAZON.YesIntent")
    household.intent("FirstChoiceIntent")
    stopped = household.intent("AMAZON.StopIntent")
    assert "Alex's answers so far aren't kept" in stopped.speech
    assert [result["name"] for result in results(stack, household)] == ["Sam"]


@pytest.mark.parametrize("state", ["asking who", "next turn"])
def test_stopping_where_nothing_is_unsaved_says_nothing_is_lost(household: Household, state: str) -> None:
    if state == "asking who":
        household.one_shot("StartLoveQuizIntent")
    else:
        couple(household)
        household.one_shot("StartLoveQuizIntent")
        answer_all(household, ["first"] * len(QUESTIONS))
    assert (
        household.intent("AMAZON.StopIntent").speech == "All right, I've stopped the quiz. Goodbye for now."
    )


@pytest.mark.parametrize(
    "elsewhere", ["ReadAppreciationsIntent", "DeleteAllDataIntent", "LogAppreciationIntent"]
)
def test_another_feature_ends_the_quiz_and_a_later_answer_is_not_misread(
    household: Household, stack: Stack, elsewhere: str
) -> None:
    household.one_shot("StartLoveQuizIntent", firstName="Sam")
    household.intent("FirstChoiceIntent")
    assert household.intent(elsewhere).listening, "the session goes on, in another feature's hands"
    late = household.intent("FirstChoiceIntent")
    assert "Question" not in late.speech and "love.quiz" not in late.session_attributes
    assert results(stack, household) == []


@pytest.mark.parametrize(
    ("intent", "said"),
    [
        ("AMAZON.FallbackIntent", "Sorry, I didn't catch that. Say the first, the second, both, or neither."),
        ("AMAZON.YesIntent", "Sorry, I didn't catch that."),
        ("AMAZON.NoIntent", "Sorry, I didn't catch that."),
        ("AMAZON.HelpIntent", "I'm asking Sam what makes them feel loved."),
        ("AMAZON.RepeatIntent", "Question two:"),
    ],
)
def test_words_that_are_no_answer_ask_the_same_question_again(
    household: Household, intent: str, said: str
) -> None:
    household.one_shot("StartLoveQuizIntent", firstName="Sam")
    household.intent("FirstChoiceIntent")
    reply = household.intent(intent)
    assert reply.speech.startswith(said) and reply.speech.endswith(QUESTIONS[1].text) and reply.listening
    assert household.intent("FirstChoiceIntent").speech == f"Question three: {QUESTIONS[2].text}"


def test_skip_passes_on_a_question(household: Household, stack: Stack) -> None:
    household.one_shot("StartLoveQuizIntent", firstName="Sam")
    assert household.intent("SkipQuestionIntent").speech == f"Question two: {QUESTIONS[1].text}"
    answer_all(household, ["first"] * (len(QUESTIONS) - 1))
    assert results(stack, household)[0]["answers"][QUESTIONS[0].id] == "neither"


def test_an_answer_with_no_quiz_going_says_how_to_take_one(household: Household) -> None:
    for intent in ANSWERS.values():
        reply = household.one_shot(intent)
        assert reply.speech.startswith("There's no quiz going just now. To take one, say:")


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage",
        {"takers": [], "taker": 0, "answers": []},
        {"takers": ["Sam"], "taker": 3, "answers": []},
        {"takers": ["Sam"], "taker": 0, "answers": ["maybe"]},
        {"takers": "Sam", "taker": 0, "answers": []},
    ],
)
def test_a_garbled_session_is_not_taken_for_a_quiz(household: Household, stack: Stack, garbage: Any) -> None:
    envelope = household.conversation.intent("FirstChoiceIntent")
    envelope["session"]["new"] = False
    envelope["session"]["attributes"] = {"state": "love.answering", "love.quiz": garbage}
    reply = household.send(envelope)
    assert reply.speech.startswith("There's no quiz going just now.") and results(stack, household) == []


# --- DynamoDB refusing the results ---


def test_results_dynamodb_refused_are_not_said_and_a_retry_saves_them_once(
    household: Household, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    household.one_shot("StartLoveQuizIntent", firstName="Sam")
    dynamodb.failing.add("PutItem")
    failed = answer_all(household, TIME_THEN_WORDS)
    assert failed.speech.startswith("Sorry, I couldn't save Sam's results just now, so they aren't kept yet.")
    assert "feels" not in failed.speech and failed.listening
    again = household.intent("AMAZON.YesIntent")
    assert again.speech.startswith("Sorry, I couldn't save Sam's results") and results(stack, household) == []
    dynamodb.failing.clear()
    saved = household.intent("AMAZON.YesIntent")
    assert saved.speech.startswith("Thanks, Sam. Sam feels most loved through quality time, then kind words.")
    assert len(results(stack, household)) == 1


def test_no_to_trying_again_says_the_answers_are_not_kept(
    household: Household, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    household.one_shot("StartLoveQuizIntent", firstName="Sam")
    dynamodb.failing.add("PutItem")
    answer_all(household, TIME_THEN_WORDS)
    dynamodb.failing.clear()
    dropped = household.intent("AMAZON.NoIntent")
    assert (
        dropped.speech.startswith("All right, Sam's answers aren't kept.") and results(stack, household) == []
    )


def test_stopping_while_a_save_is_pending_says_the_answers_are_not_kept(
    household: Household, dynamodb: DynamoDbCalls
) -> None:
    household.one_shot("StartLoveQuizIntent", firstName="Sam")
    dynamodb.failing.add("PutItem")
    answer_all(household, TIME_THEN_WORDS)
    assert "Sam's answers so far aren't kept" in household.intent("AMAZON.StopIntent").speech


def test_names_unavailable_only_means_asking_who_is_first(
    household: Household, dynamodb: DynamoDbCalls
) -> None:
    dynamodb.failing.update({"GetItem", "Query"})
    reply = household.one_shot("StartLoveQuizIntent")
    assert reply.speech.endswith("Who's first? Say: I'm, and your name.")


# --- results and ideas, any time after ---


def test_whats_alexs_love_language(household: Household) -> None:
    quiz_taken(household, "Alex", TIME_THEN_WORDS)
    said = household.one_shot("LoveLanguageIntent", firstName="alex's")
    assert said.speech == "Alex feels most loved through quality time, then kind words."
    missing = household.one_shot("LoveLanguageIntent", firstName="Jo")
    assert missing.speech.startswith("Jo hasn't taken the quiz yet.")


def test_our_love_languages_are_said_for_everyone_who_took_it(household: Household) -> None:
    assert household.one_shot("LoveLanguageIntent").speech.startswith(
        "Neither of you has taken the quiz yet."
    )
    quiz_taken(household, "Sam", TIME_THEN_WORDS)
    quiz_taken(household, "Alex", ["both"] * len(QUESTIONS))
    both = household.one_shot("LoveLanguageIntent").speech
    assert "Sam feels most loved through quality time, then kind words." in both
    assert "Alex feels loved through" in both and "about equally" in both


def test_an_idea_for_tonight_fits_the_partners_first_way_and_stays_the_night(household: Household) -> None:
    quiz_taken(household, "Sam", TIME_THEN_WORDS)
    reply = household.one_shot("LoveIdeaIntent", firstName="sam")
    ideas = [idea.format(name="Sam") for idea in love_content().category("time").ideas]
    assert reply.speech.startswith("An idea for Sam tonight: ")
    assert reply.speech.removeprefix("An idea for Sam tonight: ") in ideas
    household.wait(hours=3)
    assert household.one_shot("LoveIdeaIntent", firstName="Sam").speech == reply.speech
    nights = set()
    for _ in range(6):
        household.wait(days=1)
        nights.add(household.one_shot("LoveIdeaIntent", firstName="Sam").speech)
    assert len(nights) > 1, "another night, another idea"


def test_an_idea_without_a_name(household: Household) -> None:
    assert household.one_shot("LoveIdeaIntent").speech.startswith("Neither of you has taken the quiz yet.")
    quiz_taken(household, "Sam", TIME_THEN_WORDS)
    assert household.one_shot("LoveIdeaIntent").speech.startswith("An idea for Sam tonight: ")
    quiz_taken(household, "Alex", ["first"] * len(QUESTIONS))
    which = household.one_shot("LoveIdeaIntent")
    assert which.speech == "Who is it for? Say: an idea for Alex, or an idea for Sam." and which.listening
    assert household.intent("LoveIdeaIntent", firstName="Alex").speech.startswith("An idea for Alex tonight:")


def test_an_idea_for_someone_nothing_fitted_is_honest(household: Household) -> None:
    quiz_taken(household, "Sam", ["neither"] * len(QUESTIONS))
    reply = household.one_shot("LoveIdeaIntent", firstName="Sam")
    assert reply.speech.startswith("None of the quiz's answers fit Sam")
    assert household.one_shot("LoveIdeaIntent", firstName="Kim").speech.startswith("Kim hasn't taken")


# --- scoring ---


def test_a_clear_choice_counts_more_than_both_and_neither_counts_nothing() -> None:
    score = scores(QUESTIONS, TIME_THEN_WORDS)
    assert ranked(score)[:2] == ("time", "words")
    assert scores(QUESTIONS, ["neither"] * len(QUESTIONS)) == dict.fromkeys(score, 0)
    both = scores(QUESTIONS, ["both"] * len(QUESTIONS))
    assert set(both.values()) == {4}, "each category is asked about four times"
    first = QUESTIONS[0]
    assert scores(QUESTIONS, ["first"])[first.first] == 2 and scores(QUESTIONS, ["second"])[first.second] == 2


def test_a_tie_keeps_the_contents_order() -> None:
    assert ranked({"touch": 3, "gifts": 3, "words": 0, "acts": 0, "time": 0}) == (
        "gifts",
        "touch",
        "words",
        "acts",
        "time",
    )


# --- the jar's "who is it from?" hears a bare "both" as from both of you ---


def test_both_to_who_an_appreciation_is_from_leaves_it_unsigned(household: Household, stack: Stack) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="the flowers")
    reply = household.intent("BothChoicesIntent")
    assert reply.speech.startswith("Okay, it stays in your jar unsigned.")
    [item] = [from_item(i) for i in household_items(stack.table_name, household.device.user_id, "APPR#")]
    assert "author" not in item


# --- deletion ---


def test_results_go_with_delete_all_our_data(household: Household, stack: Stack) -> None:
    quiz_taken(household, "Sam", TIME_THEN_WORDS)
    household.launch()
    assert "quiz results" in household.intent("DeleteAllDataIntent").speech
    household.intent("AMAZON.YesIntent")
    assert results(stack, household) == []


def test_results_go_when_the_skill_is_disabled(
    household: Household, stack: Stack, accounts: Accounts
) -> None:
    quiz_taken(household, "Sam", TIME_THEN_WORDS)
    neighbour = Household(stack.handler(), device=Device(user_id=accounts.user_id("NEIGHBOUR")))
    quiz_taken(neighbour, "Kim", TIME_THEN_WORDS)
    household.send(household.conversation.skill_event("AlexaSkillEvent.SkillDisabled"))
    assert results(stack, household) == [] and len(results(stack, neighbour)) == 1


def test_results_are_only_ever_this_households(
    household: Household, stack: Stack, accounts: Accounts
) -> None:
    neighbour = Household(stack.handler(), device=Device(user_id=accounts.user_id("NEIGHBOUR")))
    quiz_taken(neighbour, "Sam", TIME_THEN_WORDS)
    assert household.one_shot("LoveLanguageIntent", firstName="Sam").speech.startswith("Sam hasn't taken")


def test_a_screen_device_gets_the_same_quiz(
    stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    device = Device(user_id=accounts.user_id(), api_endpoint=alexa_api.endpoint, has_screen=True)
    screen = Household(stack.handler(), device=device)
    reply = screen.one_shot("StartLoveQuizIntent", firstName="Sam")
    assert reply.listening and reply.directives == []


@pytest.mark.parametrize("fault", FAULTS)
def test_results_refused_on_the_wire_are_never_said(household: Household, stack: Stack, fault: str) -> None:
    with wire_faults(fault) as faults:
        household.one_shot("StartLoveQuizIntent", firstName="Sam")
        answer_all(household, TIME_THEN_WORDS[:-1])
        faults.failing = {"PutItem"}
        reply = household.intent("FirstChoiceIntent")
        faults.failing = set()
    assert faults.attempts > 0 and "aren't kept yet" in reply.speech and "feels" not in reply.speech
    assert results(stack, household) == []
