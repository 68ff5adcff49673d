"""The appreciation jar: what one partner appreciates about the other, saved, read back and tidied away.

Session attribute "state" names where the jar's conversation is (the constants below); what that state
waits on sits beside it under "appreciation.*" keys, always JSON-safe. Yes, no, more, help and fallback
are answered here only in the jar's own states.
"""

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from content import phrases
from content.models import AppreciationPhrases, SpokenLine
from handlers import Dependencies
from handlers.respond import ask, record_outcome, tell
from skill.checkins import week_start
from skill.context import Turn, turn_of
from skill.speech import escape, sentences
from skill.store import (
    APPRECIATION_PREFIX,
    Appreciation,
    AppreciationPage,
    AppreciationView,
    PartialDeleteError,
    Profile,
    Store,
    StoreUnavailableError,
)

log = logging.getLogger(__name__)

STATE = "state"
AWAITING_TEXT = "appreciation.awaiting_text"
AWAITING_AUTHOR = "appreciation.awaiting_author"
CONFIRM_RETRY = "appreciation.confirm_retry"
CONFIRM_SIGN_RETRY = "appreciation.confirm_sign_retry"
READING = "appreciation.reading"
CONFIRM_DELETE_LAST = "appreciation.confirm_delete_last"
CONFIRM_DELETE_ALL = "appreciation.confirm_delete_all"
CONFIRMING = (CONFIRM_RETRY, CONFIRM_SIGN_RETRY, CONFIRM_DELETE_LAST, CONFIRM_DELETE_ALL)
STATES = (AWAITING_TEXT, AWAITING_AUTHOR, READING, *CONFIRMING)

# What a state waits on. PENDING: the appreciation not yet stored ({text, author?, ask_author?, sk?,
# request_id?}); ask_author: nobody is known to sign it, so once stored, ask who it is from.
PENDING = "appreciation.pending"
# The stored, still unsigned appreciation we asked about ({sk, text}, and the "author" a retry would sign).
# Only stored ones are asked about: walking away from the question loses nothing, it stays unsigned.
TO_SIGN = "appreciation.to_sign"
READ = "appreciation.read"  # the view being read ({kind, author?, window?}) and its "cursor" sort key
DELETE_SK = "appreciation.delete_sk"
# The session's answer to "who is it from?" ("" for unsigned), so it is asked once, not every time.
SIGNED_BY = "appreciation.signed_by"

MAX_TEXT_CHARS = 500
MAX_NAME_CHARS = 40
PAGE_SIZE = 3
MAX_DELETES_PER_TURN = 1000  # 40 BatchWriteItem calls: comfortably inside Alexa's 8 seconds
SPEECH_BUDGET = 6000  # SSML characters a page may use, under Alexa's 8000 even for text heavy with "&"
# "skip" belongs to SkipQuestionIntent in the shared model; while we ask who an appreciation is from,
# it (and "no") mean "leave it unsigned".
UNSIGNED_INTENTS = ("AnonymousAppreciationIntent", "SkipQuestionIntent", "AMAZON.NoIntent")
MORE_INTENTS = ("AMAZON.MoreIntent", "AMAZON.NextIntent", "AMAZON.YesIntent", "MoreAppreciationsIntent")


def _lines() -> AppreciationPhrases:
    return phrases().appreciation


def _session(handler_input: HandlerInput) -> dict[str, Any]:
    return handler_input.attributes_manager.session_attributes


def _in_state(handler_input: HandlerInput, *states: str) -> bool:
    return _session(handler_input).get(STATE) in states


def _intent_in(handler_input: HandlerInput, names: tuple[str, ...]) -> bool:
    return any(is_intent_name(name)(handler_input) for name in names)


def _enter(handler_input: HandlerInput, state: str | None, **waiting_on: Any) -> None:
    """Move the conversation to `state` (None: no state), forgetting what earlier states waited on."""
    session = _session(handler_input)
    for key in (STATE, PENDING, TO_SIGN, READ, DELETE_SK):
        session.pop(key, None)
    if state is not None:
        session[STATE] = state
    session.update(waiting_on)


def _slot(handler_input: HandlerInput, name: str) -> str | None:
    """A slot's value as heard, trimmed; None when the slot is missing or empty."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slot = (intent.slots or {}).get(name) if intent else None
    value = (slot.value or "").strip() if slot else ""
    return value or None


def _listen(handler_input: HandlerInput, line: SpokenLine, *before: str, **fill: str) -> Response:
    """Say `before`, then the line, and keep the microphone open with the line's reprompt."""
    assert line.reprompt is not None, "a listening line always has a reprompt"
    return ask(handler_input, sentences(*before, line.speech.format(**fill)), line.reprompt.format(**fill))


def _done(handler_input: HandlerInput, *said: str) -> Response:
    """The request is answered: a one-shot ends here, a session offers what else there is to do."""
    session = handler_input.request_envelope.session
    if session is None or session.new:
        return tell(handler_input, sentences(*said))
    return _listen(handler_input, _lines().anything_else, *said)


def _spoken(text: str) -> str:
    """An appreciation made safe to speak, without closing punctuation (our sentence brings its own)."""
    return escape(text.rstrip(" .!?"))


def _heard(text: str | None) -> str | None:
    """The text if there are words in it: an empty or punctuation-only slot was not really heard."""
    return text if text and text.strip(" .,;:!?'\"-") else None


def _to_sign(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The stored appreciation the session asks about signing, if the session holds a usable one."""
    to_sign = _session(handler_input).get(TO_SIGN)
    if not isinstance(to_sign, dict) or not all(isinstance(to_sign.get(key), str) for key in ("sk", "text")):
        return None
    if not to_sign["sk"].startswith(APPRECIATION_PREFIX):
        return None
    return to_sign


def _display_name(heard: str) -> str:
    """A name as we keep it: trimmed, capitalised when recognition gave it all in lower case."""
    name = " ".join(heard.split())
    return name[:1].upper() + name[1:] if name.islower() else name


def _known_as(profile: Profile, name: str) -> str:
    """The household's own spelling of a name, when it is one they have given us."""
    return next((known for known in profile.names() if known.casefold() == name.casefold()), name)


def _either(names: list[str]) -> str:
    """'Sam', 'Sam or Alex', 'Sam, Alex or Jo' (escaped)."""
    spoken = [escape(name) for name in names]
    return spoken[0] if len(spoken) == 1 else f"{', '.join(spoken[:-1])} or {spoken[-1]}"


def _how_many(count: int) -> str:
    return _lines().one if count == 1 else _lines().many.format(count=count)


def _when(saved_at: datetime, local_now: datetime) -> str:
    """The day an appreciation was saved, as the household would say it."""
    day = saved_at.astimezone(local_now.tzinfo).date()
    days_ago = (local_now.date() - day).days
    if days_ago <= 0:
        return "Today"
    if days_ago == 1:
        return "Yesterday"
    if days_ago < 7:
        return f"On {day:%A}"
    if day.year == local_now.year:
        return f"On {day:%B} {day.day}"
    return f"On {day:%B} {day.day}, {day.year}"


def _item(appreciation: Appreciation, local_now: datetime) -> str:
    when = _when(appreciation.saved_at, local_now)
    if appreciation.author:
        name = escape(appreciation.author)
        return _lines().item_from.format(when=when, name=name, text=_spoken(appreciation.text))
    return _lines().item.format(when=when, text=_spoken(appreciation.text))


def _this_week(turn: Turn) -> dict[str, Any]:
    """The household's week so far, as a JSON-safe read view (the same week the check-ins count)."""
    since = week_start(turn.local_now())
    until = since + timedelta(days=7)  # wall-clock arithmetic: next Monday, across a DST change too
    return {"kind": "week", "window": [since.astimezone(UTC).isoformat(), until.astimezone(UTC).isoformat()]}


def _view(read: dict[str, Any]) -> AppreciationView:
    window = read.get("window")
    return AppreciationView(
        window=(datetime.fromisoformat(window[0]), datetime.fromisoformat(window[1])) if window else None,
        author=read.get("author"),
    )


class Jar:
    """The steps the jar's handlers share: filing one appreciation, reading a page, knowing names."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def profile(self, turn: Turn) -> Profile:
        """The household's profile, or an empty one when DynamoDB fails: names only make things nicer."""
        try:
            return self.store.profile(turn.household)
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "profile_unavailable", "error": str(error)}))
            return Profile()

    def remember_name(self, turn: Turn, name: str, person_id: str | None) -> bool:
        """Keep a partner's name in the profile (for this voice if given); whether it is stored."""
        try:
            # Read afresh, never reuse `profile()`: its empty stand-in for an unreadable profile, saved
            # back, would wipe the household's names and settings.
            profile = self.store.profile(turn.household)
            if profile.remember_name(name, person_id):
                self.store.save_profile(turn.household, profile)
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "name_not_saved", "error": str(error)}))
            return False
        return True

    def file(self, handler_input: HandlerInput, text: str) -> Response:
        """Save a new appreciation, signed by the recognised voice's name or this session's answer; with
        neither, save it unsigned first and then ask once who it is from."""
        turn = turn_of(handler_input)
        pending: dict[str, Any] = {"text": text}
        profile = self.profile(turn)
        session = _session(handler_input)
        if turn.person_id in profile.names_by_person:
            pending["author"] = profile.names_by_person[turn.person_id]
        elif SIGNED_BY in session:
            pending["author"] = session[SIGNED_BY] or None
        else:
            pending["ask_author"] = True
        return self.save(handler_input, pending, profile)

    def save(
        self, handler_input: HandlerInput, pending: dict[str, Any], profile: Profile | None = None
    ) -> Response:
        """Write the appreciation and confirm it (then, when nobody signed it, ask who it is from), or say
        truly that it is not saved and offer to retry.

        The sort key is fixed at the first attempt and kept with the pending appreciation, so a retry
        after a write whose answer was lost finds the stored item instead of saving a second one."""
        turn = turn_of(handler_input)
        request_id = handler_input.request_envelope.request.request_id
        pending.setdefault("request_id", request_id)
        pending.setdefault("sk", Appreciation.key_for(pending["request_id"], turn.now))
        appreciation = Appreciation(
            pending["sk"], pending["text"], pending.get("author"), pending["request_id"]
        )
        try:
            self.store.save_appreciation(turn.household, appreciation)
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "appreciation_not_saved", "error": str(error)}))
            record_outcome(handler_input, "appreciation_not_saved")
            _enter(handler_input, CONFIRM_RETRY, **{PENDING: pending})
            return _listen(handler_input, _lines().save_failed)
        record_outcome(handler_input, "appreciation_saved")
        text = _spoken(appreciation.text)
        if pending.get("ask_author"):  # stored unsigned: now, and only now, ask who it is from
            to_sign = {"sk": appreciation.sk, "text": appreciation.text}
            _enter(handler_input, AWAITING_AUTHOR, **{TO_SIGN: to_sign})
            names = (profile or self.profile(turn)).names()
            if 1 <= len(names) <= 3:
                return _listen(handler_input, _lines().who_of_names, text=text, names=_either(names))
            return _listen(handler_input, _lines().who, text=text)
        _enter(handler_input, None)
        if appreciation.author:
            name = escape(appreciation.author)
            return _done(handler_input, _lines().saved_from.speech.format(name=name, text=text))
        return _done(handler_input, _lines().saved.speech.format(text=text))

    def sign(
        self, handler_input: HandlerInput, heard: str | None, person_id: str | None, *, unheard: bool = False
    ) -> Response:
        """The answer to "who is it from?" about a stored appreciation: a name (kept in the profile too)
        signs it; None leaves it unsigned.

        Asked once: a name we could not make out leaves it unsigned rather than asking again (and the
        next appreciation this session will be asked about afresh)."""
        to_sign = _to_sign(handler_input)
        # A session asked by an earlier release, which asked before saving: its appreciation is unsaved.
        unsaved = _session(handler_input).get(PENDING)
        unsaved_text = unsaved.get("text") if isinstance(unsaved, dict) else None
        if to_sign is None and not isinstance(unsaved_text, str):
            _enter(handler_input, AWAITING_TEXT)
            return _listen(handler_input, _lines().prompt)
        turn = turn_of(handler_input)
        name = _known_as(self.profile(turn), _display_name(heard)) if heard else None
        if name:
            self.remember_name(turn, name, person_id)
        if not unheard:
            _session(handler_input)[SIGNED_BY] = name or ""
        if to_sign is None:
            return self.save(handler_input, {"text": unsaved_text, "author": name})
        _enter(handler_input, None)
        if name is None:
            record_outcome(handler_input, "appreciation_left_unsigned")
            line = _lines().saved_no_name_heard if unheard else _lines().left_unsigned
            return _done(handler_input, line.speech)
        return self.put_name(handler_input, {**to_sign, "author": name})

    def put_name(self, handler_input: HandlerInput, to_sign: dict[str, Any]) -> Response:
        """Sign the stored appreciation with `to_sign["author"]`, or say truly that it is still unsigned."""
        turn = turn_of(handler_input)
        try:
            signed = self.store.sign_appreciation(turn.household, to_sign["sk"], to_sign["author"])
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "appreciation_not_signed", "error": str(error)}))
            record_outcome(handler_input, "appreciation_not_signed")
            _enter(handler_input, CONFIRM_SIGN_RETRY, **{TO_SIGN: to_sign})
            return _listen(handler_input, _lines().sign_failed)
        _enter(handler_input, None)
        if not signed:  # deleted since we asked: signing never brings it back
            record_outcome(handler_input, "appreciation_gone")
            return _done(handler_input, _lines().already_gone.speech)
        record_outcome(handler_input, "appreciation_signed")
        name, text = escape(to_sign["author"]), _spoken(to_sign["text"])
        return _done(handler_input, _lines().signed.speech.format(name=name, text=text))

    def read(self, handler_input: HandlerInput, read: dict[str, Any], cursor: str | None) -> Response:
        """Speak one page of a view, newest first, and offer more while there is more."""
        turn = turn_of(handler_input)
        try:
            page = self.store.appreciations(turn.household, _view(read), PAGE_SIZE, after=cursor)
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "appreciations_unreadable", "error": str(error)}))
            record_outcome(handler_input, "appreciations_unreadable")
            _enter(handler_input, None)
            return _listen(handler_input, _lines().read_failed)
        first = cursor is None
        if not page.items:
            return self._nothing_to_read(handler_input, read, page, first)
        spoken, next_cursor = self._fit(page, turn.local_now())
        if first:
            spoken.insert(0, self._intro(read))
        if next_cursor is None:
            _enter(handler_input, None)
            return _done(handler_input, *spoken, _lines().read_end)
        _enter(handler_input, READING, **{READ: {**read, "cursor": next_cursor}})
        return _listen(handler_input, _lines().more, *spoken)

    @staticmethod
    def _fit(page: AppreciationPage, local_now: datetime) -> tuple[list[str], str | None]:
        """The page's sentences within the speech budget, and where the next page starts."""
        spoken: list[str] = []
        for index, appreciation in enumerate(page.items):
            sentence = _item(appreciation, local_now)
            if spoken and sum(map(len, spoken)) + len(sentence) > SPEECH_BUDGET:
                return spoken, page.items[index - 1].sk
            spoken.append(sentence)
        return spoken, page.cursor

    @staticmethod
    def _intro(read: dict[str, Any]) -> str:
        if read["kind"] == "week":
            return _lines().intro_week
        if read["kind"] == "author":
            return _lines().intro_author.format(name=escape(read["author"]))
        return _lines().intro_all

    @staticmethod
    def _nothing_to_read(
        handler_input: HandlerInput, read: dict[str, Any], page: AppreciationPage, first: bool
    ) -> Response:
        if page.cursor:  # an author's page that hit the per-turn read bound before finding any
            _enter(handler_input, READING, **{READ: {**read, "cursor": page.cursor}})
            return _listen(handler_input, _lines().still_looking, name=escape(read.get("author", "")))
        if not first:
            _enter(handler_input, None)
            return _done(handler_input, _lines().read_end)
        _enter(handler_input, AWAITING_TEXT)
        if read["kind"] == "week":
            return _listen(handler_input, _lines().empty_week)
        if read["kind"] == "author":
            return _listen(handler_input, _lines().empty_author, name=escape(read["author"]))
        return _listen(handler_input, _lines().empty_jar)

    def delete_last(self, handler_input: HandlerInput) -> Response:
        """'Yes' to deleting the newest appreciation: delete exactly the one we read out."""
        sk = _session(handler_input).get(DELETE_SK)
        _enter(handler_input, None)
        try:
            deleted = self.store.delete_appreciation(turn_of(handler_input).household, sk) if sk else None
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "appreciation_not_deleted", "error": str(error)}))
            record_outcome(handler_input, "appreciation_not_deleted")
            return _listen(handler_input, _lines().delete_failed)
        if deleted is None:
            return _done(handler_input, _lines().already_gone.speech)
        record_outcome(handler_input, "appreciation_deleted")
        return _done(handler_input, _lines().deleted_last.speech.format(text=_spoken(deleted.text)))

    def delete_all(self, handler_input: HandlerInput) -> Response:
        """'Yes' to emptying the jar: delete a turn's worth, and ask to carry on if more are left."""
        _enter(handler_input, None)
        try:
            removed, finished = self.store.delete_appreciations(
                turn_of(handler_input).household, MAX_DELETES_PER_TURN
            )
        except PartialDeleteError as error:
            log.warning(json.dumps({"event": "appreciations_partly_deleted", "removed": error.removed}))
            record_outcome(handler_input, "appreciations_partly_deleted")
            if error.removed == 0:
                return _listen(handler_input, _lines().delete_failed)
            return _listen(handler_input, _lines().delete_partly_failed, count=_how_many(error.removed))
        record_outcome(handler_input, "appreciations_deleted")
        if not finished:
            _enter(handler_input, CONFIRM_DELETE_ALL)
            return _listen(handler_input, _lines().delete_all_more, count=_how_many(removed))
        if removed == 0:
            return _done(handler_input, _lines().already_empty.speech)
        return _done(handler_input, _lines().deleted_all.speech.format(count=_how_many(removed)))


def _name_in(handler_input: HandlerInput) -> str | None:
    """The first-name slot, if it holds something that can be a name."""
    heard = _slot(handler_input, "firstName")
    if heard is None or len(heard) > MAX_NAME_CHARS or not any(char.isalpha() for char in heard):
        return None
    return heard


class JarHandler(AbstractRequestHandler):
    """A handler of the jar: it works through the shared Jar."""

    def __init__(self, jar: Jar) -> None:
        self.jar = jar


class SaveAppreciationHandler(JarHandler):
    """'I appreciate how you made coffee': check the words, then save them (signed when we can)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SaveAppreciationIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = _heard(_slot(handler_input, "text"))
        if text is None:
            _enter(handler_input, AWAITING_TEXT)
            return _listen(handler_input, _lines().unheard)
        if len(text) > MAX_TEXT_CHARS:
            record_outcome(handler_input, "appreciation_too_long")
            _enter(handler_input, AWAITING_TEXT)
            return _listen(handler_input, _lines().too_long)
        return self.jar.file(handler_input, text)


class LogAppreciationHandler(AbstractRequestHandler):
    """'Log an appreciation': ask what, and let the answer come back as SaveAppreciationIntent."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("LogAppreciationIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        _enter(handler_input, AWAITING_TEXT)
        return _listen(handler_input, _lines().prompt)


class AuthorHandler(JarHandler):
    """'It's from Sam' (or 'my name is Sam') while we ask who an appreciation is from."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _intent_in(handler_input, ("AppreciationAuthorIntent", "NameIntent")) and _in_state(
            handler_input, AWAITING_AUTHOR
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        name = _name_in(handler_input)
        # Only "my name is …" names the speaker's own voice; "it's from …" may name the partner.
        speaker = turn_of(handler_input).person_id if is_intent_name("NameIntent")(handler_input) else None
        return self.jar.sign(handler_input, name, speaker, unheard=name is None)


class UnsignedHandler(JarHandler):
    """'Skip' (or "no name", "no") while we ask who an appreciation is from: leave it unsigned."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _intent_in(handler_input, UNSIGNED_INTENTS) and _in_state(handler_input, AWAITING_AUTHOR)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.jar.sign(handler_input, None, None)


class NameHandler(JarHandler):
    """'My name is Sam': the name of the recognised voice, or else one of the household's names."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("NameIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        heard = _name_in(handler_input)
        _enter(handler_input, None)
        if heard is None:
            return _listen(handler_input, _lines().name_unheard)
        turn = turn_of(handler_input)
        name = _display_name(heard)
        if not self.jar.remember_name(turn, name, turn.person_id):
            record_outcome(handler_input, "name_not_saved")
            return _listen(handler_input, _lines().name_failed)
        line = _lines().name_saved_voice if turn.person_id else _lines().name_saved
        return _done(handler_input, line.speech.format(name=escape(name)))


class ReadHandler(JarHandler):
    """'Read our appreciations': the newest three."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReadAppreciationsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.jar.read(handler_input, {"kind": "all"}, None)


class ReadWeekHandler(JarHandler):
    """'Read this week's appreciations': those saved since Monday, in the household's own time zone."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReadWeekAppreciationsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.jar.read(handler_input, _this_week(turn_of(handler_input)), None)


class ReadAuthorHandler(JarHandler):
    """'Read Sam's appreciations': only those signed by that name (any name we have not heard: all)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReadAuthorAppreciationsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        heard = _name_in(handler_input)
        if heard is None:
            return self.jar.read(handler_input, {"kind": "all"}, None)
        # "Read Sam's appreciations" can arrive as "Sam's" in a first-name slot.
        name = _display_name(heard.removesuffix("'s").removesuffix("\u2019s"))
        author = _known_as(self.jar.profile(turn_of(handler_input)), name)
        return self.jar.read(handler_input, {"kind": "author", "author": author}, None)


class MoreHandler(JarHandler):
    """'More' (or next, yes) while reading continues from the cursor; "more appreciations" starts anew."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        reading = _intent_in(handler_input, MORE_INTENTS) and _in_state(handler_input, READING)
        return reading or is_intent_name("MoreAppreciationsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        read = _session(handler_input).get(READ) if _in_state(handler_input, READING) else None
        if not read:
            return self.jar.read(handler_input, {"kind": "all"}, None)
        return self.jar.read(handler_input, read, read.get("cursor"))


class StopReadingHandler(AbstractRequestHandler):
    """'No' to "would you like more?": stop reading, stay in the session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and _in_state(handler_input, READING)

    def handle(self, handler_input: HandlerInput) -> Response:
        _enter(handler_input, None)
        return _listen(handler_input, _lines().anything_else)


class CountHandler(JarHandler):
    """'How many appreciations do we have': a COUNT query, never the items themselves."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CountAppreciationsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        _enter(handler_input, None)
        try:
            count = self.jar.store.count_appreciations(turn_of(handler_input).household)
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "appreciations_uncounted", "error": str(error)}))
            record_outcome(handler_input, "appreciations_unreadable")
            return _listen(handler_input, _lines().read_failed)
        if count == 0:
            _enter(handler_input, AWAITING_TEXT)
            return _listen(handler_input, _lines().empty_jar)
        return _done(handler_input, _lines().count.speech.format(count=_how_many(count)))


class DeleteLastHandler(JarHandler):
    """'Delete the last appreciation': read the newest one out and ask before deleting it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeleteLastAppreciationIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        _enter(handler_input, None)
        try:
            page = self.jar.store.appreciations(turn_of(handler_input).household, AppreciationView(), 1)
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "appreciations_unreadable", "error": str(error)}))
            record_outcome(handler_input, "appreciations_unreadable")
            return _listen(handler_input, _lines().delete_failed)
        if not page.items:
            return _done(handler_input, _lines().already_empty.speech)
        newest = page.items[0]
        _enter(handler_input, CONFIRM_DELETE_LAST, **{DELETE_SK: newest.sk})
        return _listen(handler_input, _lines().delete_last_confirm, text=_spoken(newest.text))


class DeleteAllHandler(JarHandler):
    """'Delete all our appreciations': say how many, and ask before deleting any."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeleteAllAppreciationsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        _enter(handler_input, None)
        try:
            count = self.jar.store.count_appreciations(turn_of(handler_input).household)
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "appreciations_uncounted", "error": str(error)}))
            record_outcome(handler_input, "appreciations_unreadable")
            return _listen(handler_input, _lines().delete_failed)
        if count == 0:
            return _done(handler_input, _lines().already_empty.speech)
        _enter(handler_input, CONFIRM_DELETE_ALL)
        return _listen(handler_input, _lines().delete_all_confirm, count=_how_many(count))


class YesHandler(JarHandler):
    """'Yes' to one of the jar's questions: retry the save or the signing, or delete what was asked about."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and _in_state(handler_input, *CONFIRMING)

    def handle(self, handler_input: HandlerInput) -> Response:
        state = _session(handler_input).get(STATE)
        if state == CONFIRM_DELETE_LAST:
            return self.jar.delete_last(handler_input)
        if state == CONFIRM_DELETE_ALL:
            return self.jar.delete_all(handler_input)
        if state == CONFIRM_SIGN_RETRY:
            to_sign = _to_sign(handler_input)
            if to_sign is None or not isinstance(to_sign.get("author"), str):
                _enter(handler_input, None)
                return _listen(handler_input, _lines().anything_else)
            return self.jar.put_name(handler_input, to_sign)
        pending = dict(_session(handler_input).get(PENDING) or {})
        if "text" not in pending:
            _enter(handler_input, AWAITING_TEXT)
            return _listen(handler_input, _lines().prompt)
        return self.jar.save(handler_input, pending)


class NoHandler(AbstractRequestHandler):
    """'No' to one of the jar's questions: nothing is saved, signed or deleted."""

    KEPT: ClassVar[dict[str, str]] = {
        CONFIRM_RETRY: "let_go",
        CONFIRM_SIGN_RETRY: "left_unsigned",
        CONFIRM_DELETE_LAST: "kept",
        CONFIRM_DELETE_ALL: "kept_all",
    }

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and _in_state(handler_input, *CONFIRMING)

    def handle(self, handler_input: HandlerInput) -> Response:
        line: SpokenLine = getattr(_lines(), self.KEPT[_session(handler_input)[STATE]])
        _enter(handler_input, None)
        return _done(handler_input, line.speech)


class JarHelpHandler(AbstractRequestHandler):
    """Help in one of the jar's states explains what that state is waiting for."""

    HELP: ClassVar[dict[str, str]] = {
        AWAITING_TEXT: "help_text",
        AWAITING_AUTHOR: "help_author",
        READING: "help_reading",
        **dict.fromkeys(CONFIRMING, "help_confirm"),
    }

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input) and _in_state(handler_input, *STATES)

    def handle(self, handler_input: HandlerInput) -> Response:
        return _listen(handler_input, getattr(_lines(), self.HELP[_session(handler_input)[STATE]]))


class JarFallbackHandler(JarHandler):
    """Words that fit no intent, in one of the jar's states: answer for that state, not in general."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.FallbackIntent")(handler_input) and _in_state(handler_input, *STATES)

    def handle(self, handler_input: HandlerInput) -> Response:
        state = _session(handler_input)[STATE]
        if state == AWAITING_AUTHOR:  # asked once: an answer we cannot use leaves it unsigned
            return self.jar.sign(handler_input, None, None, unheard=True)
        if state == AWAITING_TEXT:  # e.g. an answer without "I appreciate", which Alexa cannot capture
            return _listen(handler_input, _lines().unheard)
        if state == READING:
            return _listen(handler_input, _lines().help_reading)
        return _listen(handler_input, _lines().yes_or_no)


def handlers(deps: Dependencies) -> list[AbstractRequestHandler]:
    """The jar's handlers: those that act only in the jar's states first."""
    jar = Jar(deps.store)
    return [
        AuthorHandler(jar),
        UnsignedHandler(jar),
        YesHandler(jar),
        NoHandler(),
        StopReadingHandler(),
        MoreHandler(jar),
        JarHelpHandler(),
        JarFallbackHandler(jar),
        SaveAppreciationHandler(jar),
        LogAppreciationHandler(),
        NameHandler(jar),
        ReadHandler(jar),
        ReadWeekHandler(jar),
        ReadAuthorHandler(jar),
        CountHandler(jar),
        DeleteLastHandler(jar),
        DeleteAllHandler(jar),
    ]
