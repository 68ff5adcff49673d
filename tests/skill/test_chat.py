"""The console, run as a person runs it: `closer chat --say …` in a fresh process."""

import subprocess
import sys
from pathlib import Path

import pytest

from skill.tools.cli import parser
from skill.tools.console.nlu import parse_duration, understanding
from tests.support import run_chat


def test_scripted_chat_gives_welcome_help_and_goodbye(tmp_path: Path) -> None:
    output = run_chat(tmp_path, "open closer together", "help", "stop")
    assert "alexa> Welcome to Closer Together" in output
    assert "alexa> Closer Together gives you two a little time" in output
    assert "alexa> Enjoy your time together. Goodbye." in output
    assert output.count("(listening…)") == 2 and output.count("(session closed)") == 1


def test_chat_keeps_the_household_between_runs(tmp_path: Path) -> None:
    run_chat(tmp_path, "open closer together")
    second = run_chat(tmp_path, "open closer together")
    assert "alexa> Welcome back" in second


def test_words_outside_a_session_are_not_sent_to_the_skill(tmp_path: Path) -> None:
    output = run_chat(tmp_path, "help")
    assert "isn't open" in output and "alexa>" not in output


def test_launch_and_one_shot_phrasings_resolve() -> None:
    nlu = understanding()
    assert nlu.resolve("Alexa, open Closer Together").kind == "launch"
    assert nlu.resolve("ask closer together").kind == "launch"
    help_one_shot = nlu.resolve("ask closer together for help")
    assert (help_one_shot.intent, help_one_shot.one_shot) == ("AMAZON.HelpIntent", True)
    assert nlu.resolve("what can I say").intent == "AMAZON.HelpIntent"
    assert nlu.resolve("stop").intent == "AMAZON.StopIntent"
    assert nlu.resolve("purple elephants dancing").intent == "AMAZON.FallbackIntent"


def test_durations_are_heard_as_alexa_would_fill_them() -> None:
    assert parse_duration("fifteen minutes") == "PT15M"
    assert parse_duration("twenty five minute") == "PT25M"
    assert parse_duration("half an hour") == "PT30M"
    assert parse_duration("an hour") == "PT1H"
    assert parse_duration("soon") is None


def test_digits_and_hyphens_are_heard_as_alexa_writes_them() -> None:
    nlu = understanding()
    thirty_six = nlu.resolve("let's do the 36 questions")
    assert thirty_six.intent == "ThirtySixQuestionsIntent"
    check_in = nlu.resolve("tell closer together to start a check in for thirty minutes")
    assert (check_in.intent, check_in.slots["duration"].value) == ("StartCheckInIntent", "PT30M")
    assert nlu.resolve("start a 45-minute check-in").slots["duration"].value == "PT45M"


def test_the_skills_logs_go_to_a_file_not_the_conversation(tmp_path: Path) -> None:
    output = run_chat(tmp_path, "open closer together", "stop")
    assert '"event"' not in output
    assert '"event": "turn"' in (tmp_path / "chat.log").read_text(encoding="utf-8")


# What the console forgives, as Alexa's front end does, and no more.


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("Alexa, what's tonight's question?", "TonightsQuestionIntent"),
        ("hey Alexa, tonight's question", "TonightsQuestionIntent"),
        ("um, skip this one", "SkipQuestionIntent"),
        ("skip, uh, this one", "SkipQuestionIntent"),
        ("erm another one", "AnotherQuestionIntent"),
        ("another one please", "AnotherQuestionIntent"),
        ("Another One, Please!", "AnotherQuestionIntent"),
        ("PAUSE THE CHECK-IN.", "PauseCheckInIntent"),
        ("whats tonights question", "TonightsQuestionIntent"),
        ("how much time is left?!", "CheckInTimeLeftIntent"),
        ("uh huh", "AMAZON.YesIntent"),
        ("yes please", "AMAZON.YesIntent"),
    ],
)
def test_the_console_forgives_what_alexa_forgives(typed: str, intent: str) -> None:
    assert understanding().resolve(typed).intent == intent


def test_a_one_shot_is_heard_through_the_wake_word_fillers_and_please() -> None:
    heard = understanding().resolve("Alexa, um, tell Closer Together to pause the check-in, please")
    assert (heard.intent, heard.one_shot) == ("PauseCheckInIntent", True)
    launch = understanding().resolve("hey alexa open closer together please")
    assert launch.kind == "launch"


@pytest.mark.parametrize(
    "typed",
    [
        "another one now then",  # words a sample doesn't have
        "skip one",  # words missing from a sample
        "another alexa one",  # "Alexa" only at the start
        "please another one",  # "please" only at the end
        "pause the check-in please now",
        "umbrella another one",  # a word that starts like a filler is a word
        "another on",  # no fuzzy spelling
        "the check-in pause",  # no reordering
        "purple elephants",  # two words are not a name
        "we said something",
        "a question about",  # a slot needs words
    ],
)
def test_nothing_looser_matches(typed: str) -> None:
    assert understanding().resolve(typed).intent == "AMAZON.FallbackIntent"


def test_slot_only_samples_take_only_what_the_slot_recognises() -> None:
    nlu = understanding()
    deck = nlu.resolve("something silly")
    assert deck.intent == "DeckQuestionIntent" and deck.slots["deck"].resolved_id == "playful"
    assert nlu.resolve("gratitude").slots["deck"].resolved_id == "gratitude"
    assert nlu.resolve("your relationship").slots["deck"].resolved_id == "relationship"
    assert nlu.resolve("pineapple pizza").intent == "AMAZON.FallbackIntent"  # no deck, no name
    name = nlu.resolve("Sam")
    assert (name.intent, name.slots["firstName"].value) == ("AppreciationAuthorIntent", "sam")
    assert nlu.resolve("we").intent == "AMAZON.FallbackIntent"  # a pronoun is not a first name


def test_each_locale_has_its_own_understanding() -> None:
    assert understanding("en-GB") is understanding("en-GB")
    assert understanding("en-GB") is not understanding("en-US")
    assert understanding() is understanding("en-US")
    british = understanding("en-GB").resolve("tell closer together ta for the flowers")
    assert (british.intent, british.slots["text"].value) == ("SaveAppreciationIntent", "the flowers")
    assert understanding("en-US").resolve("ta for the flowers").intent == "AMAZON.FallbackIntent"
    assert understanding("en-AU").resolve("yeah nah").intent == "AMAZON.NoIntent"
    assert understanding("en-AU").resolve("nah yeah").intent == "AMAZON.YesIntent"
    assert understanding("en-IN").resolve("do one thing start the check-in").intent == "StartCheckInIntent"
    assert understanding("en-IN").resolve("myself Priya").slots["firstName"].value == "priya"
    with pytest.raises(ValueError, match="en-US"):
        understanding("fr-FR")


def test_closer_chat_speaks_the_locale_it_is_given(tmp_path: Path) -> None:
    assert parser().parse_args(["chat"]).locale == "en-US"
    assert parser().parse_args(["chat", "--locale", "en-IN"]).locale == "en-IN"
    spy = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import skill.tools.console.chat as chat\n"
        "locales = []\n"
        "real = chat.handler\n"
        "def spy(envelope, context):\n"
        "    locales.append(envelope['request']['locale'])\n"
        "    return real(envelope, context)\n"
        "chat.handler = spy\n"
        "said = ['open closer together', 'cheers for the flowers', 'stop']\n"
        "chat.run(said, Path(sys.argv[1]), sys.argv[2])\n"
        "print('LOCALES', json.dumps(locales))\n"
    )
    command = [sys.executable, "-c", spy, str(tmp_path), "en-AU"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert 'LOCALES ["en-AU", "en-AU", "en-AU"]' in result.stdout


def test_the_model_command_checks_the_generated_models() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skill.tools", "model", "--check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
