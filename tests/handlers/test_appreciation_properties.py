"""The jar over many generated cases: households stay apart; any text is stored as said, spoken safely."""

import re
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from tests.support import Household, Stack, read_to_the_end, stored

NOW = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
HOUSEHOLDS = 4
# The table outlives each generated example (the stack is deployed once a session), so each example's
# households are new accounts.
PER_TEST = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def new_households(stack: Stack, alexa_api: FakeAlexaApi) -> list[Household]:
    run = uuid.uuid4().hex
    return [
        Household(
            stack.handler(),
            device=Device(user_id=f"amzn1.ask.account.{run}.{index}", api_endpoint=alexa_api.endpoint),
        )
        for index in range(HOUSEHOLDS)
    ]


# What a partner might say: any characters Alexa could hand over (SSML's own among them), short or long.
WORDS = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=120).filter(
    lambda words: words.strip(" .,;:!?'\"-")
)
WHO_IS_IT_FROM = "Who is it from? Say: it's from, and a name. Or say skip."


@PER_TEST
@given(plan=st.lists(st.tuples(st.integers(0, HOUSEHOLDS - 1), WORDS), max_size=10))
def test_households_never_see_each_others_appreciations(stack: Stack, alexa_api, plan) -> None:
    households = new_households(stack, alexa_api)
    said: list[list[str]] = [[] for _ in households]
    for step, (index, words) in enumerate(plan):
        text = f"{words} number {index}-{step}".strip()  # unique, and says whose it is
        household = households[index]
        household.now = NOW + timedelta(minutes=step)
        saved = household.one_shot("SaveAppreciationIntent", text=text)
        assert saved.speech.startswith("I've saved ") and saved.speech.endswith(WHO_IS_IT_FROM)
        said[index].append(text)
    for index, household in enumerate(households):
        household.now = NOW + timedelta(minutes=len(plan))
        assert [item["text"] for item in stored(household)] == said[index]
        heard = read_to_the_end(household, household.one_shot("ReadAppreciationsIntent"))
        if not said[index]:
            assert heard.startswith("Your jar is empty so far")
            continue
        spoken = re.findall(r"number (\d+-\d+)\.", heard)
        assert spoken == [text.rsplit(" ", 1)[1] for text in reversed(said[index])], "its own, newest first"
        count = household.one_shot("CountAppreciationsIntent").speech
        assert count == (
            "Your jar holds one appreciation."
            if len(said[index]) == 1
            else f"Your jar holds {len(said[index])} appreciations."
        )


@PER_TEST
@given(text=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=500))
def test_any_text_is_stored_as_said_and_yields_ssml_that_parses(stack: Stack, alexa_api, text) -> None:
    assume(text.strip().strip(" .,;:!?'\"-"))  # words, not only punctuation: that is "unheard"
    [household, *_] = new_households(stack, alexa_api)
    saved = household.one_shot("SaveAppreciationIntent", text=text)  # Household parses every SSML answer
    assert saved.speech.startswith("I've saved your note appreciating ") and "Who is it from?" in saved.speech
    assert [item["text"] for item in stored(household)] == [text.strip()], "stored before it is signed"
    signed = household.intent("AppreciationAuthorIntent", firstName="Sam")
    assert signed.speech.startswith("Done. I've signed it from Sam.")
    assert [item["author"] for item in stored(household)] == ["Sam"]
    household.one_shot("ReadAppreciationsIntent")
