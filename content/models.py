"""The skill's spoken lines as the runtime holds them (frozen dataclasses), the speech budget, and the
once-per-container loader. content/schema.py validates the same file with pydantic at build and test time."""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from content.loading import load

DATA_DIR = Path(__file__).parent
DATA_FILE = DATA_DIR / "phrases.json"
MAX_SPOKEN_CHARS = 600  # about 30 seconds of speech: longer lines lose a listener

# The speech budget, in words of the plain text (SSML stripped): a couple takes in one idea a turn by ear.
# tests/content/test_speech_budget.py holds every line to it, with placeholders at their worst.
MAX_LINE_WORDS = 30  # a routine reply, and separately its reprompt (about twelve seconds)
MAX_STEP_WORDS = 30  # one step of a guide: the words between two pauses
MAX_GUIDE_WORDS = 75  # a whole guide (the check-in's, the 36 questions' start), every step together
# An appreciation of more words than this is acknowledged without being read back (the `*_long` lines).
ECHO_MAX_WORDS = 12
# How many of its first words identify a long appreciation that is about to be deleted.
OPENING_WORDS = 6


def echoed(text: str) -> bool:
    """Whether an appreciation is short enough to be read back when it is saved or deleted; a longer one
    gets the `*_long` line, which confirms without repeating it."""
    return len(text.split()) <= ECHO_MAX_WORDS


def opening(text: str) -> str:
    """The first words of an appreciation, enough to tell which it is, without the punctuation that ended
    them (as said: escape before speaking)."""
    return " ".join(text.split()[:OPENING_WORDS]).rstrip(" ,;:-.!?")


@dataclass(frozen=True)
class SpokenLine:
    """One thing Alexa says, with what she says if nobody answers (when the microphone stays open)."""

    speech: str
    reprompt: str | None = None


@dataclass(frozen=True)
class ListeningLine(SpokenLine):
    """A line after which the microphone stays open, so it always says what to do if nobody answers."""

    # field(): a bare annotation would inherit SpokenLine's default of None, and a reprompt is required here.
    reprompt: str = field()


@dataclass(frozen=True)
class PrivacyPhrases:
    """Deleting everything a household has stored. `{count}` is how many records were removed. `going_on`:
    the turn ran out of time, or DynamoDB failed, and the rest is queued to be deleted; `backups_card`, the
    card after a deletion, says how long the table's backups keep deleted items."""

    confirm: ListeningLine
    done: SpokenLine
    nothing_stored: SpokenLine
    kept: SpokenLine
    failed: ListeningLine
    help: ListeningLine
    going_on: SpokenLine
    backups_card: str


@dataclass(frozen=True)
class QuestionPhrases:
    """Tonight's question. `{question}` is the question itself; its line closes the session and ends with
    how to ask for the next one."""

    tonight: SpokenLine
    tonight_again: SpokenLine
    another: SpokenLine
    skipped: SpokenLine
    from_deck: SpokenLine
    repeat: SpokenLine
    which_deck: ListeningLine
    thirty_six: SpokenLine
    thirty_six_begin: str
    thirty_six_resume: str
    thirty_six_again: str
    thirty_six_skipped: str
    thirty_six_set: str
    thirty_six_done: ListeningLine
    thirty_six_unavailable: ListeningLine
    next_hint: str
    thirty_six_hint: str


@dataclass(frozen=True)
class AppreciationPhrases:
    """The appreciation jar and partners' names (placeholders: see content/schema.py)."""

    prompt: ListeningLine
    unheard: ListeningLine
    too_long: ListeningLine
    who: ListeningLine
    who_of_names: ListeningLine
    saved_from: SpokenLine
    saved: SpokenLine
    saved_no_name_heard: SpokenLine
    signed: SpokenLine
    left_unsigned: SpokenLine
    sign_failed: ListeningLine
    save_failed: ListeningLine
    let_go: SpokenLine
    anything_else: ListeningLine
    empty_jar: ListeningLine
    empty_week: ListeningLine
    empty_author: ListeningLine
    intro_all: str
    intro_week: str
    intro_author: str
    item_from: str
    item: str
    more: ListeningLine
    still_looking: ListeningLine
    read_end: str
    read_failed: ListeningLine
    one: str
    many: str
    count: SpokenLine
    delete_last_confirm: ListeningLine
    deleted_last: SpokenLine
    already_gone: SpokenLine
    already_empty: SpokenLine
    kept: SpokenLine
    delete_all_confirm: ListeningLine
    deleted_all: SpokenLine
    delete_all_more: ListeningLine
    kept_all: SpokenLine
    delete_failed: ListeningLine
    delete_partly_failed: ListeningLine
    yes_or_no: ListeningLine
    help_text: ListeningLine
    help_author: ListeningLine
    help_reading: ListeningLine
    help_confirm: ListeningLine
    name_saved_voice: SpokenLine
    names_saved: SpokenLine
    name_saved: SpokenLine
    name_unheard: ListeningLine
    name_failed: ListeningLine
    # Optional: a long appreciation is acknowledged without being read back (see `echoed`).
    who_long: ListeningLine | None = None
    who_of_names_long: ListeningLine | None = None
    saved_from_long: SpokenLine | None = None
    saved_long: SpokenLine | None = None
    delete_last_confirm_long: ListeningLine | None = None
    who_unheard: ListeningLine | None = None


@dataclass(frozen=True)
class RitualWords:
    """A ritual a reminder is for: what to do ("check in"), its name ("check-in"), and what Alexa says
    when the reminder goes off (plain text: the Reminders API reads it out)."""

    what: str
    name: str
    announcement: str


@dataclass(frozen=True)
class ReminderRituals:
    """The rituals a reminder can be for."""

    checkin: RitualWords
    question: RitualWords
    appreciation: RitualWords


@dataclass(frozen=True)
class DayWords:
    """How the days a reminder comes back on are said; `day_names` from Monday to Sunday."""

    daily: str
    weekdays: str
    weekends: str
    weekly: str
    when: str
    day_names: tuple[str, ...]


@dataclass(frozen=True)
class ReminderPhrases:
    """Reminders (placeholders: see content/schema.py)."""

    rituals: ReminderRituals
    days: DayWords
    ask_what: ListeningLine
    ask_when: ListeningLine
    days_unknown: str
    confirm: ListeningLine
    set: SpokenLine
    thanks: str
    already: SpokenLine
    not_set: SpokenLine
    ask_permission: SpokenLine
    permission_declined: SpokenLine
    failed: SpokenLine
    device_unsupported: SpokenLine
    too_many: SpokenLine
    in_the_past: SpokenLine
    too_far_ahead: SpokenLine
    bad_recurrence: SpokenLine
    list_none: SpokenLine
    list_one: SpokenLine
    list_many: SpokenLine
    item: str
    item_unknown: str
    item_unreadable: str
    and_more: str
    read_failed: SpokenLine
    no_permission: SpokenLine
    none_such: SpokenLine
    which: SpokenLine
    move_when: SpokenLine
    moved: SpokenLine
    move_failed: SpokenLine
    cancelled_one: SpokenLine
    cancelled_many: SpokenLine
    cancel_failed: SpokenLine
    help_confirm: ListeningLine
    help_when: ListeningLine
    help_what: ListeningLine
    offer: ListeningLine
    offer_declined: SpokenLine
    deleted_one: str
    deleted_many: str
    not_deleted: str


@dataclass(frozen=True)
class Phrases:
    """The skill's own lines. Placeholders in braces are filled with already-escaped text."""

    welcome: SpokenLine
    welcome_back: SpokenLine
    help: SpokenLine
    goodbye: SpokenLine
    no_thanks: SpokenLine
    what_then: ListeningLine
    fallback: SpokenLine
    error: SpokenLine
    appreciation: AppreciationPhrases
    privacy: PrivacyPhrases
    question: QuestionPhrases
    reminders: ReminderPhrases


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """The spoken lines, read on first use and kept for the container's life."""
    return load(Phrases, DATA_FILE)
