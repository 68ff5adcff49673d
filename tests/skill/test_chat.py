"""The console, run as a person runs it: `closer chat --say …` in a fresh process."""

import subprocess
import sys
from pathlib import Path

from skill.tools.console.nlu import parse_duration, understanding


def run_chat(state_dir: Path, *lines: str) -> str:
    command = [sys.executable, "-m", "skill.tools", "chat", "--state-dir", str(state_dir)]
    for line in lines:
        command += ["--say", line]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return result.stdout


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
