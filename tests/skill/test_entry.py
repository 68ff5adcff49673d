"""The Lambda's entry point pauses the garbage collector for the cold start only: a container that kept it
paused would never free a reference cycle again, and its memory would grow turn after turn."""

import json
import subprocess
import sys

from tests.support import ROOT

SCRIPT = """
import gc, json, sys
import skill.entry
paused_while_loading = not gc.isenabled()
answer = skill.entry.handler({"version": "1.0"}, None)
print(json.dumps({
    "paused_while_loading": paused_while_loading,
    "enabled_after_first_answer": gc.isenabled(),
    "frozen": gc.get_freeze_count(),
    "answered": answer["response"],
}))
"""


def test_the_collector_is_paused_while_loading_and_on_from_the_first_answer() -> None:
    environment = {
        "TABLE_NAME": "closer-test",
        "SKILL_ID": "amzn1.ask.skill.test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    ran = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    seen = json.loads(ran.stdout.strip().splitlines()[-1])
    assert seen["paused_while_loading"] and seen["enabled_after_first_answer"]
    assert seen["frozen"] > 10_000, "what the cold start built is kept out of later collections"
    assert seen["answered"] == {"shouldEndSession": True}, "a malformed event is refused, not answered"
