"""The pydantic models that validate content/*.json: every limit, id and cross-reference the data must keep.

They run when the Lambda zip is built (`closer package`, through `validate_all`) and in the tests, never in
the Lambda: the runtime reads the same files into the frozen dataclasses of content/models.py,
content/checkin.py and content/questions.py, which hold the same fields (tests/content/test_runtime_form.py
keeps the two forms in step).
"""

import json
import re
from collections import Counter
from pathlib import Path
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from content.checkin import DATA_FILE as CHECKIN_FILE
from content.checkin import (
    GUIDE_PAUSE,
    GUIDE_PLACEHOLDERS,
    LONGEST_HALF,
    MAX_ANNOUNCEMENT_CHARS,
    MAX_GUIDE_CHARS,
    fill_guide,
)
from content.love import CATEGORY_IDS, IDEA_PLACEHOLDERS, MAX_IDEA_WORDS, MAX_QUESTION_WORDS, MIN_IDEAS
from content.love import DATA_FILE as LOVE_FILE
from content.models import DATA_FILE as PHRASES_FILE
from content.models import MAX_GUIDE_WORDS, MAX_SPOKEN_CHARS, MAX_STEP_WORDS
from content.monthly import DATA_FILE as MONTHLY_FILE
from content.monthly import GUIDE_PLACEHOLDERS as MONTHLY_GUIDE_PLACEHOLDERS
from content.monthly import LONGEST_PART
from content.monthly import PARTS as MONTHLY_PARTS
from content.questions import DATA_FILE as QUESTIONS_FILE
from content.questions import (
    MAX_FOLLOW_UP_CHARS,
    MAX_QUESTION_CHARS,
    PER_SET,
    SETS_OF_THIRTY_SIX,
    THIRTY_SIX,
    Depth,
)

_MARKUP = re.compile(r"[<>&]")

# --- the skill's lines (content/phrases.json) ---


class SpokenLine(BaseModel):
    """One thing Alexa says, with what she says if nobody answers (when the microphone stays open)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    speech: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    reprompt: str | None = Field(default=None, min_length=1, max_length=MAX_SPOKEN_CHARS)


class ListeningLine(SpokenLine):
    """A line after which the microphone stays open, so it must say what to do if nobody answers."""

    reprompt: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)


class PrivacyPhrases(BaseModel):
    """Deleting everything a household has stored. `{count}` is how many records were removed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    confirm: ListeningLine
    done: SpokenLine
    nothing_stored: SpokenLine
    kept: SpokenLine
    failed: ListeningLine
    help: ListeningLine
    going_on: SpokenLine
    backups_card: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)


class QuestionPhrases(BaseModel):
    """Tonight's question. `{question}` is the question itself. Once a question is asked the couple talk to
    each other, not to Alexa: its line closes the session and ends with how to ask for the next one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tonight: SpokenLine
    tonight_again: SpokenLine
    another: SpokenLine
    skipped: SpokenLine
    from_deck: SpokenLine
    repeat: SpokenLine
    which_deck: ListeningLine
    thirty_six: SpokenLine
    thirty_six_begin: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_resume: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_again: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_skipped: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_set: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_done: ListeningLine
    thirty_six_unavailable: ListeningLine
    next_hint: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    thirty_six_hint: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)


class AppreciationPhrases(BaseModel):
    """The appreciation jar and partners' names. `{text}` is an appreciation as said (escaped), `{name}` a
    partner's name, `{when}` a day ("Today", "On Monday"), `{count}` the words `one` or `many` filled in,
    `{start}` the first words of a long appreciation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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
    intro_all: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    intro_week: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    intro_author: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    item_from: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    item: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    more: ListeningLine
    still_looking: ListeningLine
    read_end: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    read_failed: ListeningLine
    one: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    many: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
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
    # Optional, for handlers to take up. A long appreciation (more than ECHO_MAX_WORDS words: see
    # `echoed`) is acknowledged without being read back: these stand in for who, who_of_names, saved_from,
    # saved and delete_last_confirm. `{start}` is its first words (`opening`, escaped), to tell which it is.
    who_long: ListeningLine | None = None
    who_of_names_long: ListeningLine | None = None
    saved_from_long: SpokenLine | None = None
    saved_long: SpokenLine | None = None
    delete_last_confirm_long: ListeningLine | None = None
    # Words we could not use while asking who an appreciation is from: the earlier one is stored
    # unsigned, and the new words are not kept.
    who_unheard: ListeningLine | None = None


class RitualWords(BaseModel):
    """A ritual a reminder is for: what to do, said after "remind you to" ("check in"); its name, said
    before "reminder" ("check-in"); and what Alexa says when the reminder goes off. The announcement goes
    to the Reminders API as plain text, so it holds no markup."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=30)
    announcement: str = Field(min_length=1, max_length=MAX_ANNOUNCEMENT_CHARS, pattern=r"^[^<>&]+$")


class ReminderRituals(BaseModel):
    """The rituals a reminder can be for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    checkin: RitualWords
    question: RitualWords
    appreciation: RitualWords


class DayWords(BaseModel):
    """How the days a reminder comes back on are said; `weekly` names one day (`{day}`), one of
    `day_names`, Monday to Sunday; `when` puts those days (`{days}`) and a time (`{time}`) together."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    daily: str = Field(min_length=1, max_length=40)
    weekdays: str = Field(min_length=1, max_length=40)
    weekends: str = Field(min_length=1, max_length=40)
    weekly: str = Field(min_length=1, max_length=40, pattern=r"\{day\}")
    when: str = Field(min_length=1, max_length=40, pattern=r"\{days\}.*\{time\}|\{time\}.*\{days\}")
    day_names: tuple[str, ...] = Field(min_length=7, max_length=7)


class ReminderPhrases(BaseModel):
    """Reminders. `{what}` is a ritual's `what`, `{name}` its name, `{announcement}` what the reminder
    will say, `{when}` the days and the time ("every day at 8:30 PM"), `{count}` a number of reminders,
    `{items}` reminders listed (each an `item`, or `item_unknown` for one whose ritual is not known, or
    `item_unreadable`; then `and_more`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rituals: ReminderRituals
    days: DayWords
    ask_what: ListeningLine
    ask_when: ListeningLine
    days_unknown: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    confirm: ListeningLine
    set: SpokenLine
    thanks: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
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
    item: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    item_unknown: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    item_unreadable: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    and_more: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
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
    # Said after "delete all our data" has deleted the household's data: its reminders went too, or not.
    deleted_one: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    deleted_many: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)
    not_deleted: str = Field(min_length=1, max_length=MAX_SPOKEN_CHARS)


class Phrases(BaseModel):
    """The skill's own lines. Placeholders in braces are filled with already-escaped text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    welcome: SpokenLine
    welcome_back: SpokenLine
    help: SpokenLine
    goodbye: SpokenLine
    no_thanks: SpokenLine  # "no", "nah", "maybe later" to an offer: the session ends kindly
    what_then: ListeningLine  # "yes" with nothing asked: what there is to choose from
    fallback: SpokenLine
    error: SpokenLine
    appreciation: AppreciationPhrases
    privacy: PrivacyPhrases
    question: QuestionPhrases
    reminders: ReminderPhrases


# --- the check-in (content/checkin.json) ---


class Opener(BaseModel):
    """A prompt the speaker opens with. Ids are stored with each check-in, so they stay stable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z]+(?:-[a-z]+)*$")
    text: str = Field(min_length=1, max_length=160)


class Announcements(BaseModel):
    """What Alexa announces when each timer goes off (plain text: the Timers API reads it out)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    halfway: str = Field(min_length=1, max_length=MAX_ANNOUNCEMENT_CHARS)
    end: str = Field(min_length=1, max_length=MAX_ANNOUNCEMENT_CHARS)


class CheckInLines(BaseModel):
    """Every line the check-in speaks. Only the offer of an untimed guide keeps the microphone open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    started: SpokenLine
    permission_thanks: SpokenLine
    started_untimed: SpokenLine
    too_short: SpokenLine
    too_long: SpokenLine
    unheard: SpokenLine
    ask_permission: SpokenLine
    permission_declined: SpokenLine
    offer_help: SpokenLine
    offer_declined: SpokenLine
    timers_failed: SpokenLine
    device_offline: SpokenLine
    not_saved: SpokenLine
    not_saved_timers_left: SpokenLine
    already_running: SpokenLine
    already_paused: SpokenLine
    time_left: SpokenLine
    time_left_paused: SpokenLine
    none_running: SpokenLine
    fallback_running: SpokenLine  # words not understood while a check-in runs: the mic stays closed
    paused: SpokenLine
    pause_again: SpokenLine
    resumed: SpokenLine
    not_paused: SpokenLine
    ended: SpokenLine
    ended_untimed: SpokenLine
    halfway_unchanged: SpokenLine
    halfway_gone: SpokenLine
    change_failed: SpokenLine
    timers_gone: SpokenLine
    finished: SpokenLine
    ended_timers_gone: SpokenLine
    week_none: SpokenLine
    week_one: SpokenLine
    week_many: SpokenLine
    # Optional, for handlers to take up: after resuming, a halfway timer that could not be resumed stays
    # paused and will not go off (halfway_unchanged says it may still go off, true after pausing or ending).
    halfway_not_resumed: SpokenLine | None = None

    @model_validator(mode="after")
    def _listening_lines_reprompt(self) -> Self:
        for name in ("permission_declined", "offer_help"):
            if getattr(self, name).reprompt is None:
                raise ValueError(f"{name} keeps the microphone open, so it needs a reprompt")
        return self


class CheckInContent(BaseModel):
    """Everything the check-in says. The guide is short steps with pauses between them; filled with its
    longest parts, each step and the whole must stay within the speech budget. The pauses between its
    steps are the only markup: everything else is spoken as it is written (the timers' announcements go
    to Alexa as plain text)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timer_label: str = Field(min_length=1, max_length=40)
    guide: str = Field(min_length=1, max_length=MAX_GUIDE_CHARS)
    first_speakers: tuple[str, ...] = Field(min_length=1)
    openers: tuple[Opener, ...] = Field(min_length=2)
    announcements: Announcements
    lines: CheckInLines

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        repeated = [opener for opener, count in Counter(o.id for o in self.openers).items() if count > 1]
        if repeated:
            raise ValueError(f"repeated opener id: {', '.join(repeated)}")
        if set(re.findall(r"\{(\w+)\}", self.guide)) != GUIDE_PLACEHOLDERS:
            raise ValueError(f"the guide must use exactly the placeholders {sorted(GUIDE_PLACEHOLDERS)}")
        plain = {**self.model_dump(), "guide": GUIDE_PAUSE.sub(" ", self.guide)}
        if _MARKUP.search(json.dumps(plain)):
            raise ValueError("check-in content is spoken as written: no <, > or & (but the guide's pauses)")
        for first_speaker in self.first_speakers:
            for opener in self.openers:
                self._check_length(fill_guide(self.guide, first_speaker, LONGEST_HALF, opener.text))
        return self

    def _check_length(self, guide: str) -> None:
        """One rendering of the guide, held to the speech budget: each step, the whole, its characters."""
        steps = [step.split() for step in GUIDE_PAUSE.split(guide)]
        longest, words = max(map(len, steps)), sum(map(len, steps))
        if longest > MAX_STEP_WORDS:
            raise ValueError(f"a step of the guide can run to {longest} words; keep it to {MAX_STEP_WORDS}")
        if words > MAX_GUIDE_WORDS:
            raise ValueError(f"the guide can run to {words} words; keep it to {MAX_GUIDE_WORDS}")
        spoken = " ".join(" ".join(step) for step in steps)
        if len(spoken) > MAX_GUIDE_CHARS:
            raise ValueError(f"the guide can run to {len(spoken)} characters; keep it to {MAX_GUIDE_CHARS}")
        if len(guide) + self._longest_start_extras() > MAX_SPOKEN_CHARS:
            raise ValueError("the guide and the lines around it are too long to speak in half a minute")

    def _longest_start_extras(self) -> int:
        """The most the start of a check-in says besides the guide (an adjustment note, then the close)."""
        notes = (self.lines.too_short, self.lines.too_long, self.lines.unheard, self.lines.permission_thanks)
        closes = (self.lines.started, self.lines.started_untimed)
        return max(len(line.speech) for line in notes) + max(len(line.speech) for line in closes) + 20


# --- the question bank (content/questions.json) ---


class Deck(BaseModel):
    """A themed group of questions, with the words people use to ask for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+$")
    id_prefix: str = Field(pattern=r"^[a-z0-9]{3}$")
    spoken_name: str = Field(min_length=1, max_length=60)
    synonyms: tuple[str, ...] = Field(min_length=1)
    # Whether tonight's question may come from this deck; the 36 are only asked in their own order.
    in_rotation: bool


class Question(BaseModel):
    """One question as Alexa reads it; `set` and `position` only for the 36, which are asked in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]{3}-\d{2,3}$")
    deck: str
    depth: Depth
    text: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    follow_up: str | None = Field(default=None, min_length=1, max_length=MAX_FOLLOW_UP_CHARS)
    set: int | None = Field(default=None, ge=1, le=SETS_OF_THIRTY_SIX)
    position: int | None = Field(default=None, ge=1, le=SETS_OF_THIRTY_SIX * PER_SET)


class QuestionBank(BaseModel):
    """Every deck and question. Ids are stable: households' progress refers to them across releases."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    thirty_six_sets: tuple[str, ...] = Field(min_length=SETS_OF_THIRTY_SIX, max_length=SETS_OF_THIRTY_SIX)
    decks: tuple[Deck, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        deck_ids = [deck.id for deck in self.decks]
        _require_unique("deck id", deck_ids)
        _require_unique("deck id prefix", [deck.id_prefix for deck in self.decks])
        _require_unique("deck synonym", [s.lower() for deck in self.decks for s in deck.synonyms])
        if THIRTY_SIX not in deck_ids:
            raise ValueError(f"the {THIRTY_SIX} deck is missing")
        _require_unique("question id", [question.id for question in self.questions])
        prefixes = {deck.id: deck.id_prefix for deck in self.decks}
        for question in self.questions:
            if question.deck not in prefixes:
                raise ValueError(f"{question.id}: unknown deck {question.deck!r}")
            if not question.id.startswith(prefixes[question.deck] + "-"):
                raise ValueError(f"{question.id}: id must start with {prefixes[question.deck]}-")
            if (question.deck == THIRTY_SIX) != (question.position is not None and question.set is not None):
                raise ValueError(
                    f"{question.id}: set and position belong to the 36 questions, and only there"
                )
        _check_thirty_six([q for q in self.questions if q.deck == THIRTY_SIX])
        return self


def _require_unique(what: str, values: list[str]) -> None:
    repeated = sorted(value for value, count in Counter(values).items() if count > 1)
    if repeated:
        raise ValueError(f"repeated {what}: {', '.join(repeated)}")


def _check_thirty_six(questions: list[Question]) -> None:
    """The 36 are exactly positions 1 to 36, twelve to a set, each set in its own run of positions."""
    positions = sorted(question.position or 0 for question in questions)
    if positions != list(range(1, SETS_OF_THIRTY_SIX * PER_SET + 1)):
        raise ValueError("the 36 questions must have exactly the positions 1 to 36")
    for question in questions:
        expected_set = ((question.position or 0) - 1) // PER_SET + 1
        if question.set != expected_set:
            raise ValueError(f"{question.id}: position {question.position} belongs to set {expected_set}")


# --- the monthly check-in (content/monthly.json) ---


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def _check_placeholders(model: BaseModel, expected: dict[str, set[str]]) -> None:
    """Each line uses exactly the placeholders its handlers fill (its reprompt, at most those)."""
    for name, wanted in expected.items():
        line = getattr(model, name)
        speech, reprompt = (line, None) if isinstance(line, str) else (line.speech, line.reprompt)
        if _placeholders(speech) != wanted:
            raise ValueError(f"{name} must use exactly the placeholders {sorted(wanted)}")
        if reprompt is not None and not _placeholders(reprompt) <= wanted:
            raise ValueError(f"{name}'s reprompt may use only the placeholders {sorted(wanted)}")


def _check_plain(model: BaseModel, what: str) -> None:
    if _MARKUP.search(json.dumps(model.model_dump())):
        raise ValueError(f"{what} is spoken as written: no <, > or &")


def _check_guide_steps(guide: str) -> None:
    """A rendered guide, held to the speech budget: each step, the whole, its characters."""
    steps = [step.split() for step in GUIDE_PAUSE.split(guide)]
    longest, words = max(map(len, steps)), sum(map(len, steps))
    if longest > MAX_STEP_WORDS:
        raise ValueError(f"a step of the guide can run to {longest} words; keep it to {MAX_STEP_WORDS}")
    if words > MAX_GUIDE_WORDS:
        raise ValueError(f"the guide can run to {words} words; keep it to {MAX_GUIDE_WORDS}")
    if len(" ".join(" ".join(step) for step in steps)) > MAX_GUIDE_CHARS:
        raise ValueError(f"the guide can run to more than {MAX_GUIDE_CHARS} characters")


class Part(BaseModel):
    """One part of the monthly check-in, as the screen titles it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z]+(?:-[a-z]+)*$")
    title: str = Field(min_length=1, max_length=40)


class MonthlyAnnouncements(BaseModel):
    """What Alexa announces as each later part begins, then at the end (plain text)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parts: tuple[str, ...] = Field(min_length=MONTHLY_PARTS - 1, max_length=MONTHLY_PARTS - 1)
    end: str = Field(min_length=1, max_length=MAX_ANNOUNCEMENT_CHARS)

    @model_validator(mode="after")
    def _short(self) -> Self:
        if not all(0 < len(text) <= MAX_ANNOUNCEMENT_CHARS for text in self.parts):
            raise ValueError(f"an announcement is 1 to {MAX_ANNOUNCEMENT_CHARS} characters")
        return self


class CheckInLineOverrides(BaseModel):
    """The check-in lines a monthly check-in says its own way. Ending it asks what the couple will try
    this month, so those lines keep the microphone open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    too_short: SpokenLine
    too_long: SpokenLine
    unheard: SpokenLine
    ask_permission: SpokenLine
    offer_declined: SpokenLine
    time_left: SpokenLine
    ended: ListeningLine
    ended_untimed: ListeningLine
    ended_timers_gone: ListeningLine
    finished: SpokenLine
    halfway_unchanged: SpokenLine
    halfway_gone: SpokenLine

    @model_validator(mode="after")
    def _placeholders_filled(self) -> Self:
        expected = {name: set() for name in type(self).model_fields}
        _check_placeholders(self, expected | {"time_left": {"left"}, "halfway_gone": {"part"}})
        return self


MonthlyText = Annotated[str, Field(min_length=1, max_length=MAX_SPOKEN_CHARS)]


class MonthlyLines(BaseModel):
    """The monthly check-in's own lines. `{plan}` is last month's plan as said (escaped), `{start}` its
    first words when it is long; `{checkins}`, `{appreciations}` and `{what}` are the counts as said
    (`one_checkin`, `many_checkins`, ... filled in), `{minutes}` the check-in's length, `{part}` a part's;
    `{text}` an appreciation read back (its first words when it is long), `{name}` who it is from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    opening: MonthlyText
    recall: MonthlyText
    recall_long: MonthlyText
    month_both: MonthlyText
    month_one: MonthlyText
    month_quiet: MonthlyText
    one_checkin: MonthlyText
    many_checkins: MonthlyText
    one_appreciation: MonthlyText
    many_appreciations: MonthlyText
    offer_highlights: ListeningLine
    highlights_help: ListeningLine
    highlights: MonthlyText
    highlight_from: MonthlyText
    highlight: MonthlyText
    screen_paused: str = Field(min_length=1, max_length=40)
    screen_over: str = Field(min_length=1, max_length=60)
    started: SpokenLine
    started_untimed: SpokenLine
    plan_saved: SpokenLine
    plan_saved_long: SpokenLine
    plan_unheard: ListeningLine
    plan_too_long: ListeningLine
    plan_failed: ListeningLine
    plan_not_saved: SpokenLine
    plan_help: ListeningLine

    @model_validator(mode="after")
    def _placeholders_filled(self) -> Self:
        filled = {
            "recall": {"plan"},
            "recall_long": {"start"},
            "month_both": {"checkins", "appreciations"},
            "month_one": {"what"},
            "many_checkins": {"count"},
            "many_appreciations": {"count"},
            "started": {"minutes"},
            "started_untimed": {"part"},
            "plan_saved": {"plan"},
            "highlight_from": {"name", "text"},
            "highlight": {"text"},
        }
        _check_placeholders(self, {name: set() for name in type(self).model_fields} | filled)
        return self


class MonthlyContent(BaseModel):
    """Everything the monthly check-in says. Its guide, like the daily one's, is short steps with pauses
    between them, held to the speech budget with a part at its longest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timer_label: str = Field(min_length=1, max_length=40)
    guide: str = Field(min_length=1, max_length=MAX_GUIDE_CHARS)
    parts: tuple[Part, ...] = Field(min_length=MONTHLY_PARTS, max_length=MONTHLY_PARTS)
    announcements: MonthlyAnnouncements
    checkin_lines: CheckInLineOverrides
    lines: MonthlyLines

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _require_unique("part id", [part.id for part in self.parts])
        if _placeholders(self.guide) != MONTHLY_GUIDE_PLACEHOLDERS:
            raise ValueError(f"the guide must use exactly {sorted(MONTHLY_GUIDE_PLACEHOLDERS)}")
        _check_plain(self.model_copy(update={"guide": GUIDE_PAUSE.sub(" ", self.guide)}), "monthly content")
        _check_guide_steps(self.guide.format(part=LONGEST_PART))
        return self


# --- what makes you feel loved (content/love.json) ---

LoveText = Annotated[str, Field(min_length=1, max_length=MAX_SPOKEN_CHARS)]


class Category(BaseModel):
    """One way of feeling loved, how a result says it, and at least MIN_IDEAS small ideas for tonight."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    spoken: str = Field(min_length=1, max_length=30)
    ideas: tuple[str, ...] = Field(min_length=MIN_IDEAS)


class QuizQuestion(BaseModel):
    """An either-or question, each option speaking to one category; under fifteen spoken words."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z]+(?:-[a-z]+)*$")
    text: str = Field(min_length=1, max_length=160)
    first: str
    second: str


class LoveLines(BaseModel):
    """The quiz's lines. `{name}` is a partner's name (escaped); `{number}` a question's number in words and
    `{question}` its text; `{first}` and `{second}` categories as spoken in a result (or, asking whom an idea
    is for, two names); `{idea}` an idea with its partner's name filled in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intro: LoveText
    ask_name: ListeningLine
    name_unheard: ListeningLine
    turn: LoveText
    how_to_answer: LoveText
    question: LoveText
    question_reprompt: LoveText
    not_heard: LoveText
    help: LoveText
    result: LoveText
    result_alone: LoveText
    result_tied: LoveText
    result_none: LoveText
    idea: LoveText
    thanks: LoveText
    next_taker: ListeningLine
    next_later: SpokenLine
    save_failed: ListeningLine
    retry_help: ListeningLine
    not_kept: SpokenLine
    stopped: SpokenLine
    stopped_clean: SpokenLine
    no_quiz: SpokenLine
    not_taken: SpokenLine
    none_taken: SpokenLine
    idea_for: LoveText
    which_partner: ListeningLine
    no_idea: SpokenLine

    @model_validator(mode="after")
    def _placeholders_filled(self) -> Self:
        named = ("turn", "help", "result_none", "thanks", "next_taker", "next_later", "save_failed")
        named += ("retry_help", "not_kept", "stopped", "not_taken", "no_idea")
        filled = {name: {"name"} for name in named} | {
            "question": {"number", "question"},
            "question_reprompt": {"question"},
            "result": {"name", "first", "second"},
            "result_alone": {"name", "first"},
            "result_tied": {"name", "first", "second"},
            "idea": {"idea"},
            "idea_for": {"name", "idea"},
            "which_partner": {"first", "second"},
        }
        _check_placeholders(self, {name: set() for name in type(self).model_fields} | filled)
        return self


class LoveContent(BaseModel):
    """The five categories (each with its ideas), the quiz and its lines. Every category is asked about
    equally often, no two questions pair the same two categories, and no idea or question is said twice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: tuple[Category, ...]
    questions: tuple[QuizQuestion, ...] = Field(min_length=8, max_length=12)
    lines: LoveLines

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [category.id for category in self.categories]
        if sorted(ids) != sorted(CATEGORY_IDS) or len(ids) != len(CATEGORY_IDS):
            raise ValueError(f"the categories must be exactly {', '.join(CATEGORY_IDS)}")
        _check_plain(self, "the quiz's content")
        self._check_ideas()
        self._check_questions()
        return self

    def _check_ideas(self) -> None:
        ideas = [idea for category in self.categories for idea in category.ideas]
        _require_unique("idea", [" ".join(idea.casefold().split()) for idea in ideas])
        for idea in ideas:
            if not _placeholders(idea) <= IDEA_PLACEHOLDERS:
                raise ValueError(f"an idea may use only {sorted(IDEA_PLACEHOLDERS)}: {idea!r}")
            if not idea or len(idea.split()) > MAX_IDEA_WORDS or idea[-1] not in ".!":
                raise ValueError(f"an idea is one short sentence of at most {MAX_IDEA_WORDS} words: {idea!r}")

    def _check_questions(self) -> None:
        _require_unique("quiz question id", [question.id for question in self.questions])
        _require_unique("quiz question", [question.text.casefold() for question in self.questions])
        for question in self.questions:
            if {question.first, question.second} - set(CATEGORY_IDS) or question.first == question.second:
                raise ValueError(f"{question.id}: two different categories, please")
            if len(question.text.split()) > MAX_QUESTION_WORDS or not question.text.endswith("?"):
                raise ValueError(f"{question.id}: a question of at most {MAX_QUESTION_WORDS} words")
        _require_unique("pair of categories", ["+".join(sorted((q.first, q.second))) for q in self.questions])
        asked = Counter(category for q in self.questions for category in (q.first, q.second))
        if len(set(asked.values())) != 1 or set(asked) != set(CATEGORY_IDS):
            raise ValueError(f"every category must be asked about equally often: {dict(asked)}")


# --- every data file ---

# Each content file the Lambda reads, with the model that validates it.
VALIDATED: tuple[tuple[type[BaseModel], Path], ...] = (
    (Phrases, PHRASES_FILE),
    (CheckInContent, CHECKIN_FILE),
    (QuestionBank, QUESTIONS_FILE),
    (MonthlyContent, MONTHLY_FILE),
    (LoveContent, LOVE_FILE),
)


def validate_all() -> None:
    """Validate every content file the Lambda reads; a pydantic ValidationError names what is wrong."""
    for model, path in VALIDATED:
        model.model_validate_json(path.read_bytes())
