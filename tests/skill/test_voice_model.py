"""What new users say, and the one-word answers they give the skill's own questions, reach the right intent
in every locale (heard through the console's matcher, which forgives only what Alexa's front end does)."""

import pytest

from skill.tools.console.nlu import understanding
from skill.tools.model.source import LOCALES

# said → (intent, slots as heard, or for the deck slot the deck it resolves to)
EVERYWHERE: dict[str, tuple[str, dict[str, str]]] = {
    # The check-in, as people interrupt it.
    "hold on a second": ("PauseCheckInIntent", {}),
    "we need a moment": ("PauseCheckInIntent", {}),
    "tell closer together that we need a break": ("PauseCheckInIntent", {}),
    "ask closer together if we can take a break": ("PauseCheckInIntent", {}),
    "how long have we got left": ("CheckInTimeLeftIntent", {}),
    "is it time to switch": ("CheckInTimeLeftIntent", {}),
    "we're all done": ("EndCheckInIntent", {}),
    "end it now": ("EndCheckInIntent", {}),
    "start it back up": ("ResumeCheckInIntent", {}),
    "okay we're back": ("ResumeCheckInIntent", {}),
    "ask closer together to start a twenty minute check-in": ("StartCheckInIntent", {"duration": "PT20M"}),
    "we want to talk for half an hour": ("StartCheckInIntent", {"duration": "PT30M"}),
    "how many times did we check in this week": ("CheckInCountIntent", {}),
    # Questions.
    "a question please": ("TonightsQuestionIntent", {}),
    "ask closer together what tonight's question is": ("TonightsQuestionIntent", {}),
    "so what's the question": ("TonightsQuestionIntent", {}),
    "pardon me": ("AMAZON.RepeatIntent", {}),
    "sorry, what was that?": ("AMAZON.RepeatIntent", {}),
    "what question are we on": ("AMAZON.RepeatIntent", {}),
    "start the thirty six questions again": ("ThirtySixQuestionsIntent", {}),
    "what kinds of questions are there": ("DeckQuestionIntent", {}),
    "which topics do you have": ("DeckQuestionIntent", {}),
    "have you got anything silly": ("DeckQuestionIntent", {"deck": "playful"}),
    "ask closer together about the future": ("DeckQuestionIntent", {"deck": "future"}),
    "something different": ("AnotherQuestionIntent", {}),
    "we've had that one": ("SkipQuestionIntent", {}),
    # The jar.
    "i loved it when you surprised me": ("SaveAppreciationIntent", {"text": "you surprised me"}),
    "i really liked how you listened": ("SaveAppreciationIntent", {"text": "you listened"}),
    "cheers for the lift": ("SaveAppreciationIntent", {"text": "the lift"}),
    "i'm grateful you stayed up": ("SaveAppreciationIntent", {"text": "you stayed up"}),
    "tell closer together thank you babe for the flowers": (
        "SaveAppreciationIntent",
        {"text": "the flowers"},
    ),
    "read us one from the jar": ("ReadAppreciationsIntent", {}),
    "take it back": ("DeleteLastAppreciationIntent", {}),
    "scratch that": ("DeleteLastAppreciationIntent", {}),
    "count them up": ("CountAppreciationsIntent", {}),
    "from the both of us": ("AnonymousAppreciationIntent", {}),
    # Names.
    "i'm Robin": ("NameIntent", {"firstName": "robin"}),
    "hi, this is Kai": ("NameIntent", {"firstName": "kai"}),
    "we're Robin and Kai": ("NameIntent", {"firstName": "robin", "partnerName": "kai"}),
    "my name is Robin and this is Kai": ("NameIntent", {"firstName": "robin", "partnerName": "kai"}),
    # Bare answers to the skill's questions.
    "Robin": ("AppreciationAuthorIntent", {"firstName": "robin"}),
    "it was Kai": ("AppreciationAuthorIntent", {"firstName": "kai"}),
    "no it's from Kai": ("AppreciationAuthorIntent", {"firstName": "kai"}),
    "no, Kai": ("AppreciationAuthorIntent", {"firstName": "kai"}),
    "sure": ("AMAZON.YesIntent", {}),
    "ok": ("AMAZON.YesIntent", {}),
    "go on": ("AMAZON.YesIntent", {}),
    "yeah go on": ("AMAZON.YesIntent", {}),
    "why not": ("AMAZON.YesIntent", {}),
    "sounds good": ("AMAZON.YesIntent", {}),
    "nah": ("AMAZON.NoIntent", {}),
    "no thanks": ("AMAZON.NoIntent", {}),
    "maybe later": ("AMAZON.NoIntent", {}),
    "not now": ("AMAZON.NoIntent", {}),
    "not tonight": ("AMAZON.NoIntent", {}),
    "that's all thanks": ("AMAZON.NoIntent", {}),
    "we're good": ("AMAZON.NoIntent", {}),
    "gratitude": ("DeckQuestionIntent", {"deck": "gratitude"}),
    "your relationship": ("DeckQuestionIntent", {"deck": "relationship"}),
    "us": ("DeckQuestionIntent", {"deck": "relationship"}),
    "something silly": ("DeckQuestionIntent", {"deck": "playful"}),
    "fun": ("DeckQuestionIntent", {"deck": "playful"}),
    "the future": ("DeckQuestionIntent", {"deck": "future"}),
    "childhood": ("DeckQuestionIntent", {"deck": "childhood"}),
    "family": ("DeckQuestionIntent", {"deck": "childhood"}),
    "childhood and family": ("DeckQuestionIntent", {"deck": "childhood"}),
    "the thirty six": ("ThirtySixQuestionsIntent", {}),
}

ONLY_IN: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "en-GB": {
        "cheers for the cuppa": ("SaveAppreciationIntent", {"text": "the cuppa"}),
        "ta very much for the tea": ("SaveAppreciationIntent", {"text": "the tea"}),
        "what do you reckon we talk about": ("TonightsQuestionIntent", {}),
        "go on then": ("AMAZON.YesIntent", {}),
        "hang on a tick": ("PauseCheckInIntent", {}),
        "ask us one of your favourite questions": ("TonightsQuestionIntent", {}),
    },
    "en-AU": {
        "yeah nah": ("AMAZON.NoIntent", {}),
        "nah yeah": ("AMAZON.YesIntent", {}),
        "thanks heaps for the brekkie": ("SaveAppreciationIntent", {"text": "the brekkie"}),
        "chuck us another one": ("AnotherQuestionIntent", {}),
    },
    "en-CA": {
        "for sure": ("AMAZON.YesIntent", {}),
        "ask us one of your favourite questions": ("TonightsQuestionIntent", {}),
    },
    "en-IN": {
        "kindly give us tonight's question": ("TonightsQuestionIntent", {}),
        "do one thing, start the check-in": ("StartCheckInIntent", {}),
        "myself Priya": ("NameIntent", {"firstName": "priya"}),
        "this side Rahul": ("NameIntent", {"firstName": "rahul"}),
        "i am very grateful for your support": ("SaveAppreciationIntent", {"text": "your support"}),
        "not required": ("AMAZON.NoIntent", {}),
    },
    "en-US": {
        "ask us one of your favorite questions": ("TonightsQuestionIntent", {}),
    },
}

CASES = [(locale, said) for locale in LOCALES for said in EVERYWHERE] + [
    (locale, said) for locale, table in ONLY_IN.items() for said in table
]


@pytest.mark.parametrize(("locale", "said"), CASES)
def test_what_people_say_reaches_the_intent_they_meant(locale: str, said: str) -> None:
    intent, slots = EVERYWHERE.get(said) or ONLY_IN[locale][said]
    heard = understanding(locale).resolve(said)
    assert heard.intent == intent
    values = {
        name: (slot.resolved_id if name == "deck" else slot.value) for name, slot in heard.slots.items()
    }
    assert values == slots


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en-US", "yeah nah"),
        ("en-US", "ta for the tea"),
        ("en-GB", "myself Priya"),
        ("en-IN", "chuck us another one"),
    ],
)
def test_a_locales_own_phrasings_stay_in_that_locale(locale: str, said: str) -> None:
    assert understanding(locale).resolve(said).intent == "AMAZON.FallbackIntent"
