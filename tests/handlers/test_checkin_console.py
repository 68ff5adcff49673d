"""A whole check-in in the console, run as a person runs it: `python -m skill.tools chat --say …`."""

import subprocess
import sys
from pathlib import Path

from content.checkin import checkin_content
from skill.tools.console.nlu import understanding


def run_chat(state_dir: Path, *lines: str) -> str:
    command = [sys.executable, "-m", "skill.tools", "chat", "--state-dir", str(state_dir)]
    for line in lines:
        command += ["--say", line]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def test_the_console_runs_a_whole_check_in_with_minutes_passing_quickly(tmp_path: Path) -> None:
    output = run_chat(
        tmp_path,
        "tell closer together to start a ten minute check-in",
        "/wait 3",
        "ask closer together how much time is left",
        "ask closer together to pause the check-in",
        "/wait 20",
        "ask closer together to resume the check-in",
        "/wait 7",
        "ask closer together how much time is left",
    )
    announcements = checkin_content().announcements
    assert "alexa> Phones away" in output and "Your 10 minutes start now" in output
    assert "alexa> You have 7 minutes left in your check-in." in output
    assert "alexa> Paused, with 7 minutes left." in output
    assert "alexa> Resumed. 7 minutes to go." in output
    assert output.index(f"(timer 'check-in' goes off: {announcements.halfway})") < output.index(
        f"(timer 'check-in' goes off: {announcements.end})"
    )
    assert output.rstrip().endswith("(session closed)")
    assert "alexa> There's no check-in going right now." in output


def test_check_in_phrasings_resolve_as_alexa_would() -> None:
    nlu = understanding()
    cases = {
        "tell closer together to start our check-in": ("StartCheckInIntent", None),
        "ask closer together to start a check in": ("StartCheckInIntent", None),
        "tell closer together to start a fifteen minute check-in": ("StartCheckInIntent", "PT15M"),
        "tell closer together to check in with each other for half an hour": ("StartCheckInIntent", "PT30M"),
        "ask closer together to time our conversation": ("StartCheckInIntent", None),
        "ask closer together how much time is left": ("CheckInTimeLeftIntent", None),
        "ask closer together to pause the check-in": ("PauseCheckInIntent", None),
        "ask closer together to resume our check-in": ("ResumeCheckInIntent", None),
        "tell closer together to end the check-in": ("EndCheckInIntent", None),
        "ask closer together how many check-ins have we done this week": ("CheckInCountIntent", None),
    }
    for typed, (intent, duration) in cases.items():
        resolution = nlu.resolve(typed)
        assert (resolution.intent, resolution.one_shot) == (intent, True), typed
        heard = resolution.slots.get("duration")
        assert (heard.value if heard else None) == duration, typed
    assert nlu.resolve("pause").intent == "AMAZON.PauseIntent"
    assert nlu.resolve("yes").intent == "AMAZON.YesIntent"
