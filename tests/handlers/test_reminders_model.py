"""What couples say about reminders reaches the intent and the slot values they meant, in every locale (heard
through the console's matcher of each locale's generated model, which forgives only what Alexa does)."""

import pytest

from skill.tools.console.nlu import understanding
from skill.tools.model.source import LOCALES

# said → (intent, {slot: resolved id, or the value as heard for the time})
EVERYWHERE: dict[str, tuple[str, dict[str, str]]] = {
    "alexa, ask closer together to remind us to check in every evening at half past eight": (
        "SetReminderIntent",
        {"ritual": "checkin", "days": "DAILY", "time": "08:30"},
    ),
    "ask closer together to remind us to check in every sunday at seven": (
        "SetReminderIntent",
        {"ritual": "checkin", "days": "SU", "time": "07:00"},
    ),
    "ask closer together to remind us to check in on weekdays at 9 pm": (
        "SetReminderIntent",
        {"ritual": "checkin", "days": "WEEKDAYS", "time": "21:00"},
    ),
    "ask closer together to remind us to ask tonight's question every night at eight": (
        "SetReminderIntent",
        {"ritual": "question", "days": "DAILY", "time": "08:00"},
    ),
    "ask closer together to remind us to say one thing we appreciate before bed at ten": (
        "SetReminderIntent",
        {"ritual": "appreciation", "time": "10:00"},
    ),
    "can you remind us to do our check-in every saturday morning at nine": (
        "SetReminderIntent",
        {"ritual": "checkin", "days": "SA_MORNING", "time": "09:00"},
    ),
    "tell closer together to set a reminder for tonight's question": (
        "SetReminderIntent",
        {"ritual": "question"},
    ),
    "ask closer together to remind us": ("SetReminderIntent", {}),
    "at quarter to nine": ("ReminderTimeIntent", {"time": "08:45"}),
    "every weekday at seven thirty": ("ReminderTimeIntent", {"days": "WEEKDAYS", "time": "07:30"}),
    "make it nine": ("ReminderTimeIntent", {"time": "09:00"}),
    "ask closer together what reminders do we have": ("ListRemindersIntent", {}),
    "do we have any reminders": ("ListRemindersIntent", {}),
    "ask closer together to move the check-in reminder to nine": (
        "ChangeReminderIntent",
        {"ritual": "checkin", "time": "09:00"},
    ),
    "move the sunday one to eight thirty": ("ChangeReminderIntent", {"days": "SU", "time": "08:30"}),
    "tell closer together to stop the reminders": ("CancelReminderIntent", {}),
    "ask closer together to cancel the sunday one": ("CancelReminderIntent", {"days": "SU"}),
    "stop reminding us to ask tonight's question": ("CancelReminderIntent", {"ritual": "question"}),
}
ONLY_IN: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "en-GB": {
        "pop a reminder in to check in every sunday at seven": (
            "SetReminderIntent",
            {"ritual": "checkin", "days": "SU", "time": "07:00"},
        ),
        "bin the reminders": ("CancelReminderIntent", {}),
    },
    "en-AU": {
        "chuck in a reminder to check in every friday at eight": (
            "SetReminderIntent",
            {"ritual": "checkin", "days": "FR", "time": "08:00"},
        ),
    },
    "en-IN": {
        "kindly remind us to check in every sunday at seven": (
            "SetReminderIntent",
            {"ritual": "checkin", "days": "SU", "time": "07:00"},
        ),
        "what all reminders do we have": ("ListRemindersIntent", {}),
    },
    "en-CA": {
        "set us a reminder to check in every sunday at seven eh": (
            "SetReminderIntent",
            {"ritual": "checkin", "days": "SU", "time": "07:00"},
        ),
    },
    "en-US": {
        "hook us up with a reminder to check in every sunday at seven": (
            "SetReminderIntent",
            {"ritual": "checkin", "days": "SU", "time": "07:00"},
        ),
    },
}
CASES = [(locale, said) for locale in LOCALES for said in EVERYWHERE] + [
    (locale, said) for locale, table in ONLY_IN.items() for said in table
]


@pytest.mark.parametrize(("locale", "said"), CASES)
def test_what_couples_say_about_reminders_reaches_what_they_meant(locale: str, said: str) -> None:
    intent, slots = EVERYWHERE.get(said) or ONLY_IN[locale][said]
    heard = understanding(locale).resolve(said)
    assert heard.intent == intent
    assert {name: slot.resolved_id or slot.value for name, slot in heard.slots.items()} == slots


@pytest.mark.parametrize("said", ["pop a reminder in to check in every sunday at seven", "bin the reminders"])
def test_a_locales_own_phrasings_stay_in_that_locale(said: str) -> None:
    assert understanding("en-US").resolve(said).intent == "AMAZON.FallbackIntent"
