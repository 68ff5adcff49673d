"""The jar's handlers: what each request means in the jar's conversation (yes, no, more, help and
fallback only in the jar's own states)."""

from typing import ClassVar

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content.models import SpokenLine, echoed, opening
from handlers.appreciation.service import Jar, this_week
from handlers.appreciation.state import (
    AWAITING_AUTHOR,
    AWAITING_TEXT,
    CONFIRM_DELETE_ALL,
    CONFIRM_DELETE_LAST,
    CONFIRM_RETRY,
    CONFIRM_SIGN_RETRY,
    CONFIRMING,
    READING,
    STATES,
    enter,
    newest_note,
    suggested_names,
    waiting_to_sign,
)
from handlers.appreciation.wording import (
    display_name,
    done,
    how_many,
    known_as,
    lines,
    listen,
    spoken,
    words_heard,
)
from handlers.base import Handler, is_intent, session, slot_value, state_is
from handlers.respond import record_outcome
from skill.context import turn_of
from skill.speech import escape
from skill.store import Store
from skill.store.appreciations import AppreciationView
from skill.vocabulary import Intent, SessionKey, Slot

MAX_TEXT_CHARS = 500
MAX_NAME_CHARS = 40
# "skip" belongs to SkipQuestionIntent in the shared model; while we ask who an appreciation is from,
# it (and "no") mean "leave it unsigned".
UNSIGNED_INTENTS = (Intent.ANONYMOUS_APPRECIATION, Intent.BOTH_CHOICES, Intent.SKIP_QUESTION, Intent.NO)
MORE_INTENTS = (Intent.MORE, Intent.NEXT, Intent.YES, Intent.MORE_APPRECIATIONS)


def name_in(handler_input: HandlerInput, slot: Slot = Slot.FIRST_NAME) -> str | None:
    """A name slot, if it holds something that can be a name."""
    heard_name = slot_value(handler_input, slot)
    if (
        heard_name is None
        or len(heard_name) > MAX_NAME_CHARS
        or not any(char.isalpha() for char in heard_name)
    ):
        return None
    return heard_name


class JarHandler(Handler):
    """A handler of the jar: it works through the household's Jar."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.jar = Jar(store)


class SaveAppreciationHandler(JarHandler):
    """'I appreciate how you made coffee': check the words, then save them (signed when we can)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.SAVE_APPRECIATION)

    def respond(self, handler_input: HandlerInput) -> Response:
        text = words_heard(slot_value(handler_input, Slot.TEXT))
        if text is None:
            enter(handler_input, AWAITING_TEXT)
            return listen(handler_input, lines().unheard)
        if len(text) > MAX_TEXT_CHARS:
            record_outcome(handler_input, "appreciation_too_long")
            enter(handler_input, AWAITING_TEXT)
            return listen(handler_input, lines().too_long)
        return self.jar.file(handler_input, text)


class LogAppreciationHandler(JarHandler):
    """'Log an appreciation': ask what, and let the answer come back as SaveAppreciationIntent."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.LOG_APPRECIATION)

    def respond(self, handler_input: HandlerInput) -> Response:
        enter(handler_input, AWAITING_TEXT)
        return listen(handler_input, lines().prompt)


class AuthorHandler(JarHandler):
    """'It's from Sam' (or 'my name is Sam') while we ask who an appreciation is from."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.APPRECIATION_AUTHOR, Intent.NAME) and state_is(
            handler_input, AWAITING_AUTHOR
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        name = name_in(handler_input)
        # Only "my name is …" names the speaker's own voice; "it's from …" may name the partner.
        speaker = turn_of(handler_input).person_id if is_intent(handler_input, Intent.NAME) else None
        return self.jar.sign(handler_input, name, speaker, unheard=name is None)


class CorrectAuthorHandler(JarHandler):
    """'No, it's from Alex' just after a note was saved or signed: the newest note takes that name."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent(handler_input, Intent.APPRECIATION_AUTHOR)
            and newest_note(handler_input) is not None
            and name_in(handler_input) is not None
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        heard = name_in(handler_input)
        assert heard is not None, "can_handle heard a name"
        return self.jar.correct(handler_input, heard)


class UnsignedHandler(JarHandler):
    """'Skip' (or "no name", "no") while we ask who an appreciation is from: leave it unsigned."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, *UNSIGNED_INTENTS) and state_is(handler_input, AWAITING_AUTHOR)

    def respond(self, handler_input: HandlerInput) -> Response:
        return self.jar.sign(handler_input, None, None)


class NameHandler(JarHandler):
    """'My name is Sam': the name of the recognised voice, or else one of the household's names."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NAME)

    def respond(self, handler_input: HandlerInput) -> Response:
        heard = name_in(handler_input)
        partner = name_in(handler_input, Slot.PARTNER_NAME)
        enter(handler_input, None)
        if heard is None:
            return listen(handler_input, lines().name_unheard)
        if partner is not None:
            return self._both(handler_input, display_name(heard), display_name(partner))
        turn = turn_of(handler_input)
        name = display_name(heard)
        if not self.jar.remember_name(turn, name, turn.person_id):
            record_outcome(handler_input, "name_not_saved")
            return listen(handler_input, lines().name_failed)
        line = lines().name_saved_voice if turn.person_id else lines().name_saved
        return done(handler_input, line.speech.format(name=escape(name)))

    def _both(self, handler_input: HandlerInput, name: str, partner: str) -> Response:
        """'We're Sam and Alex': one voice said both names, so neither is tied to a voice."""
        turn = turn_of(handler_input)
        if not (self.jar.remember_name(turn, name, None) and self.jar.remember_name(turn, partner, None)):
            record_outcome(handler_input, "name_not_saved")
            return listen(handler_input, lines().name_failed)
        return done(
            handler_input, lines().names_saved.speech.format(names=f"{escape(name)} and {escape(partner)}")
        )


class ReadHandler(JarHandler):
    """'Read our appreciations': the newest three."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.READ_APPRECIATIONS)

    def respond(self, handler_input: HandlerInput) -> Response:
        return self.jar.read(handler_input, {"kind": "all"}, None)


class ReadWeekHandler(JarHandler):
    """'Read this week's appreciations': those saved since Monday, in the household's own time zone."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.READ_WEEK_APPRECIATIONS)

    def respond(self, handler_input: HandlerInput) -> Response:
        return self.jar.read(handler_input, this_week(turn_of(handler_input)), None)


class ReadAuthorHandler(JarHandler):
    """'Read Sam's appreciations': only those signed by that name (any name we have not heard: all)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.READ_AUTHOR_APPRECIATIONS)

    def respond(self, handler_input: HandlerInput) -> Response:
        heard = name_in(handler_input)
        if heard is None:
            return self.jar.read(handler_input, {"kind": "all"}, None)
        # "Read Sam's appreciations" can arrive as "Sam's" in a first-name slot.
        name = display_name(heard.removesuffix("'s").removesuffix("\u2019s"))
        author = known_as(self.jar.profile(turn_of(handler_input)), name)
        return self.jar.read(handler_input, {"kind": "author", "author": author}, None)


class MoreHandler(JarHandler):
    """'More' (or next, yes) while reading continues from the cursor; "more appreciations" starts anew."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        reading = is_intent(handler_input, *MORE_INTENTS) and state_is(handler_input, READING)
        return reading or is_intent(handler_input, Intent.MORE_APPRECIATIONS)

    def respond(self, handler_input: HandlerInput) -> Response:
        read = session(handler_input).get(SessionKey.JAR_READ) if state_is(handler_input, READING) else None
        if not read:
            return self.jar.read(handler_input, {"kind": "all"}, None)
        return self.jar.read(handler_input, read, read.get("cursor"))


class StopReadingHandler(JarHandler):
    """'No' to "would you like more?": stop reading, stay in the session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO) and state_is(handler_input, READING)

    def respond(self, handler_input: HandlerInput) -> Response:
        enter(handler_input, None)
        return listen(handler_input, lines().anything_else)


class CountHandler(JarHandler):
    """'How many appreciations do we have': a COUNT query, never the items themselves."""

    failure_event = "appreciations_unreadable"

    def failure_line(self) -> SpokenLine:
        return lines().read_failed

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.COUNT_APPRECIATIONS)

    def respond(self, handler_input: HandlerInput) -> Response:
        enter(handler_input, None)
        count = self.store.appreciations.count(turn_of(handler_input).household)
        if count == 0:
            enter(handler_input, AWAITING_TEXT)
            return listen(handler_input, lines().empty_jar)
        return done(handler_input, lines().count.speech.format(count=how_many(count)))


class DeleteLastHandler(JarHandler):
    """'Delete the last appreciation': read the newest one out and ask before deleting it."""

    failure_event = "appreciations_unreadable"

    def failure_line(self) -> SpokenLine:
        return lines().delete_failed

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.DELETE_LAST_APPRECIATION)

    def respond(self, handler_input: HandlerInput) -> Response:
        enter(handler_input, None)
        page = self.store.appreciations.page(turn_of(handler_input).household, AppreciationView(), 1)
        if not page.items:
            return done(handler_input, lines().already_empty.speech)
        newest = page.items[0]
        enter(handler_input, CONFIRM_DELETE_LAST, **{SessionKey.JAR_DELETE_SK: newest.sk})
        if echoed(newest.text):
            return listen(handler_input, lines().delete_last_confirm, text=spoken(newest.text))
        long_confirm = lines().delete_last_confirm_long or lines().delete_last_confirm
        return listen(
            handler_input, long_confirm, start=spoken(opening(newest.text)), text=spoken(newest.text)
        )


class DeleteAllHandler(JarHandler):
    """'Delete all our appreciations': say how many, and ask before deleting any."""

    failure_event = "appreciations_unreadable"

    def failure_line(self) -> SpokenLine:
        return lines().delete_failed

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.DELETE_ALL_APPRECIATIONS)

    def respond(self, handler_input: HandlerInput) -> Response:
        enter(handler_input, None)
        count = self.store.appreciations.count(turn_of(handler_input).household)
        if count == 0:
            return done(handler_input, lines().already_empty.speech)
        enter(handler_input, CONFIRM_DELETE_ALL)
        return listen(handler_input, lines().delete_all_confirm, count=how_many(count))


class YesHandler(JarHandler):
    """'Yes' to one of the jar's questions: retry the save or the signing, delete what was asked about, or
    sign with the one name "Is it from Sam?" suggested."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, *CONFIRMING, AWAITING_AUTHOR)

    def respond(self, handler_input: HandlerInput) -> Response:
        state = session(handler_input).get(SessionKey.STATE)
        if state == AWAITING_AUTHOR:
            names = suggested_names(handler_input)
            if len(names) == 1:
                return self.jar.sign(handler_input, names[0], None)
            return listen(handler_input, lines().help_author)
        if state == CONFIRM_DELETE_LAST:
            return self.jar.delete_last(handler_input)
        if state == CONFIRM_DELETE_ALL:
            return self.jar.delete_all(handler_input)
        if state == CONFIRM_SIGN_RETRY:
            to_sign = waiting_to_sign(handler_input)
            if to_sign is None or not isinstance(to_sign.get("author"), str):
                enter(handler_input, None)
                return listen(handler_input, lines().anything_else)
            return self.jar.put_name(handler_input, to_sign)
        pending = dict(session(handler_input).get(SessionKey.JAR_PENDING) or {})
        if "text" not in pending:
            enter(handler_input, AWAITING_TEXT)
            return listen(handler_input, lines().prompt)
        return self.jar.save(handler_input, pending)


class NoHandler(JarHandler):
    """'No' to one of the jar's questions: nothing is saved, signed or deleted."""

    KEPT: ClassVar[dict[str, str]] = {
        CONFIRM_RETRY: "let_go",
        CONFIRM_SIGN_RETRY: "left_unsigned",
        CONFIRM_DELETE_LAST: "kept",
        CONFIRM_DELETE_ALL: "kept_all",
    }

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO) and state_is(handler_input, *CONFIRMING)

    def respond(self, handler_input: HandlerInput) -> Response:
        line: SpokenLine = getattr(lines(), self.KEPT[session(handler_input)[SessionKey.STATE]])
        enter(handler_input, None)
        return done(handler_input, line.speech)


class JarHelpHandler(JarHandler):
    """Help in one of the jar's states explains what that state is waiting for."""

    HELP: ClassVar[dict[str, str]] = {
        AWAITING_TEXT: "help_text",
        AWAITING_AUTHOR: "help_author",
        READING: "help_reading",
        **dict.fromkeys(CONFIRMING, "help_confirm"),
    }

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.HELP) and state_is(handler_input, *STATES)

    def respond(self, handler_input: HandlerInput) -> Response:
        return listen(handler_input, getattr(lines(), self.HELP[session(handler_input)[SessionKey.STATE]]))


class JarFallbackHandler(JarHandler):
    """Words that fit no intent, in one of the jar's states: answer for that state, not in general."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.FALLBACK) and state_is(handler_input, *STATES)

    def respond(self, handler_input: HandlerInput) -> Response:
        state = session(handler_input)[SessionKey.STATE]
        if state == AWAITING_AUTHOR and waiting_to_sign(handler_input) is not None:
            # Not a name: perhaps a new note said without "I appreciate". Say truly what is kept.
            enter(handler_input, None)
            record_outcome(handler_input, "appreciation_left_unsigned")
            return listen(handler_input, lines().who_unheard)
        if state == AWAITING_AUTHOR:  # a session of an earlier release, whose note is not yet saved
            return self.jar.sign(handler_input, None, None, unheard=True)
        if state == AWAITING_TEXT:  # e.g. an answer without "I appreciate", which Alexa cannot capture
            return listen(handler_input, lines().unheard)
        if state == READING:
            return listen(handler_input, lines().help_reading)
        return listen(handler_input, lines().yes_or_no)


HANDLERS: tuple[type[Handler], ...] = (
    AuthorHandler,
    CorrectAuthorHandler,
    UnsignedHandler,
    YesHandler,
    NoHandler,
    StopReadingHandler,
    MoreHandler,
    JarHelpHandler,
    JarFallbackHandler,
    SaveAppreciationHandler,
    LogAppreciationHandler,
    NameHandler,
    ReadHandler,
    ReadWeekHandler,
    ReadAuthorHandler,
    CountHandler,
    DeleteLastHandler,
    DeleteAllHandler,
)
