"""The jar's service: filing one appreciation, signing it, reading a page, deleting, knowing names."""

import logging
from datetime import datetime
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content.models import echoed
from handlers.appreciation.state import (
    AWAITING_AUTHOR,
    AWAITING_TEXT,
    CONFIRM_DELETE_ALL,
    CONFIRM_RETRY,
    CONFIRM_SIGN_RETRY,
    READING,
    enter,
    newest_note,
    waiting_to_sign,
)
from handlers.appreciation.wording import (
    display_name,
    done,
    either,
    how_many,
    item,
    known_as,
    lines,
    listen,
    spoken,
)
from handlers.base import session, store_failed
from handlers.respond import record_outcome
from skill.context import Turn, turn_of
from skill.household_time import week_window
from skill.logs import log_event
from skill.speech import escape
from skill.store import Store
from skill.store.appreciations import Appreciation, AppreciationPage, AppreciationView
from skill.store.profile import Profile
from skill.store.table import PartialDeleteError, StoreUnavailableError
from skill.vocabulary import SessionKey

log = logging.getLogger(__name__)

PAGE_SIZE = 3
MAX_DELETES_PER_TURN = 1000  # 40 BatchWriteItem calls: comfortably inside Alexa's 8 seconds
MAX_SUGGESTED_NAMES = 3  # "Is it from Sam, Alex or Jo?": more names than that is no longer a question
SPEECH_BUDGET = 6000  # SSML characters a page may use, under Alexa's 8000 even for text heavy with "&"


def this_week(turn: Turn) -> dict[str, Any]:
    """The household's week so far, as a JSON-safe read view (the same week the check-ins count)."""
    since, until = week_window(turn.local_now())
    return {"kind": "week", "window": [since.isoformat(), until.isoformat()]}


def view(read: dict[str, Any]) -> AppreciationView:
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
            return self.store.profiles.load(turn.household)
        except StoreUnavailableError:
            log_event(log, "profile_unavailable", level=logging.WARNING)
            return Profile()

    def remember_name(self, turn: Turn, name: str, person_id: str | None) -> bool:
        """Keep a partner's name in the profile (for this voice if given); whether it is stored."""
        try:
            # Read afresh, never reuse `profile()`: its empty stand-in for an unreadable profile, saved
            # back, would wipe the household's names and settings.
            profile = self.store.profiles.load(turn.household)
            if profile.remember_name(name, person_id):
                self.store.profiles.save(turn.household, profile)
        except StoreUnavailableError:
            log_event(log, "name_not_saved", level=logging.WARNING)
            return False
        return True

    def file(self, handler_input: HandlerInput, text: str) -> Response:
        """Save a new appreciation, signed by the recognised voice's name; without one, save it unsigned
        first and then ask who it is from. Asked every time: partners taking turns at one Echo must not
        get each other's credit."""
        turn = turn_of(handler_input)
        pending: dict[str, Any] = {"text": text}
        profile = self.profile(turn)
        if turn.person_id in profile.names_by_person:
            pending["author"] = profile.names_by_person[turn.person_id]
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
            self.store.appreciations.save(turn.household, appreciation)
        except StoreUnavailableError:
            enter(handler_input, CONFIRM_RETRY, **{SessionKey.JAR_PENDING: pending})
            return store_failed(handler_input, "appreciation_not_saved", lines().save_failed)
        record_outcome(handler_input, "appreciation_saved")
        text = spoken(appreciation.text)
        said = lines()
        short = echoed(appreciation.text)
        newest = {"sk": appreciation.sk, "text": appreciation.text}
        if pending.get("ask_author"):  # stored unsigned: now, and only now, ask who it is from
            names = (profile or self.profile(turn)).names()[:MAX_SUGGESTED_NAMES]
            enter(handler_input, AWAITING_AUTHOR, **{SessionKey.JAR_TO_SIGN: {**newest, "names": names}})
            if names:
                line = said.who_of_names if short else said.who_of_names_long or said.who_of_names
                return listen(handler_input, line, text=text, names=either(names))
            return listen(handler_input, said.who if short else said.who_long or said.who, text=text)
        enter(handler_input, None)
        session(handler_input)[SessionKey.JAR_NEWEST] = newest
        if appreciation.author:
            line = said.saved_from if short else said.saved_from_long or said.saved_from
            return done(handler_input, line.speech.format(name=escape(appreciation.author), text=text))
        line = said.saved if short else said.saved_long or said.saved
        return done(handler_input, line.speech.format(text=text))

    def sign(
        self, handler_input: HandlerInput, heard: str | None, person_id: str | None, *, unheard: bool = False
    ) -> Response:
        """The answer to "who is it from?" about a stored appreciation: a name (kept in the profile too)
        signs it; None leaves it unsigned.

        Asked once: a name we could not make out leaves it unsigned rather than asking again."""
        to_sign = waiting_to_sign(handler_input)
        # A session asked by an earlier release, which asked before saving: its appreciation is unsaved.
        unsaved = session(handler_input).get(SessionKey.JAR_PENDING)
        unsaved_text = unsaved.get("text") if isinstance(unsaved, dict) else None
        if to_sign is None and not isinstance(unsaved_text, str):
            enter(handler_input, AWAITING_TEXT)
            return listen(handler_input, lines().prompt)
        turn = turn_of(handler_input)
        name = known_as(self.profile(turn), display_name(heard)) if heard else None
        if name:
            self.remember_name(turn, name, person_id)
        if to_sign is None:
            return self.save(handler_input, {"text": unsaved_text, "author": name})
        enter(handler_input, None)
        if name is None:
            record_outcome(handler_input, "appreciation_left_unsigned")
            line = lines().saved_no_name_heard if unheard else lines().left_unsigned
            return done(handler_input, line.speech)
        return self.put_name(handler_input, {**to_sign, "author": name})

    def put_name(self, handler_input: HandlerInput, to_sign: dict[str, Any]) -> Response:
        """Sign the stored appreciation with `to_sign["author"]`, or say truly that it is still unsigned."""
        turn = turn_of(handler_input)
        try:
            signed = self.store.appreciations.sign(turn.household, to_sign["sk"], to_sign["author"])
        except StoreUnavailableError:
            enter(handler_input, CONFIRM_SIGN_RETRY, **{SessionKey.JAR_TO_SIGN: to_sign})
            return store_failed(handler_input, "appreciation_not_signed", lines().sign_failed)
        enter(handler_input, None)
        if not signed:  # deleted since we asked: signing never brings it back
            record_outcome(handler_input, "appreciation_gone")
            return done(handler_input, lines().already_gone.speech)
        record_outcome(handler_input, "appreciation_signed")
        session(handler_input)[SessionKey.JAR_NEWEST] = {"sk": to_sign["sk"], "text": to_sign["text"]}
        return done(handler_input, lines().signed.speech.format(name=escape(to_sign["author"])))

    def correct(self, handler_input: HandlerInput, heard: str) -> Response:
        """ "No, it's from Alex" just after a note was saved or signed: sign the newest note afresh."""
        newest = newest_note(handler_input)
        assert newest is not None, "only asked when the session saved a note"
        turn = turn_of(handler_input)
        name = known_as(self.profile(turn), display_name(heard))
        self.remember_name(turn, name, None)  # the partner's name: "it's from" never names the speaker
        return self.put_name(handler_input, {**newest, "author": name})

    def read(self, handler_input: HandlerInput, read: dict[str, Any], cursor: str | None) -> Response:
        """Speak one page of a view, newest first, and offer more while there is more."""
        turn = turn_of(handler_input)
        try:
            page = self.store.appreciations.page(turn.household, view(read), PAGE_SIZE, after=cursor)
        except StoreUnavailableError:
            enter(handler_input, None)
            return store_failed(handler_input, "appreciations_unreadable", lines().read_failed)
        first = cursor is None
        if not page.items:
            return self._nothing_to_read(handler_input, read, page, first)
        said, next_cursor = self._fit(page, turn.local_now())
        if first:
            said.insert(0, self._intro(read))
        if next_cursor is None:
            enter(handler_input, None)
            return done(handler_input, *said, lines().read_end)
        enter(handler_input, READING, **{SessionKey.JAR_READ: {**read, "cursor": next_cursor}})
        return listen(handler_input, lines().more, *said)

    @staticmethod
    def _fit(page: AppreciationPage, local_now: datetime) -> tuple[list[str], str | None]:
        """The page's sentences within the speech budget, and where the next page starts."""
        said: list[str] = []
        for index, appreciation in enumerate(page.items):
            sentence = item(appreciation, local_now)
            if said and sum(map(len, said)) + len(sentence) > SPEECH_BUDGET:
                return said, page.items[index - 1].sk
            said.append(sentence)
        return said, page.cursor

    @staticmethod
    def _intro(read: dict[str, Any]) -> str:
        if read["kind"] == "week":
            return lines().intro_week
        if read["kind"] == "author":
            return lines().intro_author.format(name=escape(read["author"]))
        return lines().intro_all

    @staticmethod
    def _nothing_to_read(
        handler_input: HandlerInput, read: dict[str, Any], page: AppreciationPage, first: bool
    ) -> Response:
        if page.cursor:  # an author's page that hit the per-turn read bound before finding any
            enter(handler_input, READING, **{SessionKey.JAR_READ: {**read, "cursor": page.cursor}})
            return listen(handler_input, lines().still_looking, name=escape(read["author"]))
        if not first:
            enter(handler_input, None)
            return done(handler_input, lines().read_end)
        enter(handler_input, AWAITING_TEXT)
        if read["kind"] == "week":
            return listen(handler_input, lines().empty_week)
        if read["kind"] == "author":
            return listen(handler_input, lines().empty_author, name=escape(read["author"]))
        return listen(handler_input, lines().empty_jar)

    def delete_last(self, handler_input: HandlerInput) -> Response:
        """'Yes' to deleting the newest appreciation: delete exactly the one we read out."""
        sk = session(handler_input).get(SessionKey.JAR_DELETE_SK)
        enter(handler_input, None)
        try:
            deleted = self.store.appreciations.delete(turn_of(handler_input).household, sk) if sk else None
        except StoreUnavailableError:
            return store_failed(handler_input, "appreciation_not_deleted", lines().delete_failed)
        if deleted is None:
            return done(handler_input, lines().already_gone.speech)
        record_outcome(handler_input, "appreciation_deleted")
        return done(handler_input, lines().deleted_last.speech)

    def delete_all(self, handler_input: HandlerInput) -> Response:
        """'Yes' to emptying the jar: delete a turn's worth, and ask to carry on if more are left."""
        enter(handler_input, None)
        try:
            removed, finished = self.store.appreciations.delete_all(
                turn_of(handler_input).household, MAX_DELETES_PER_TURN
            )
        except PartialDeleteError as error:
            log_event(log, "appreciations_partly_deleted", level=logging.WARNING, removed=error.removed)
            record_outcome(handler_input, "appreciations_partly_deleted")
            if error.removed == 0:
                return listen(handler_input, lines().delete_failed)
            return listen(handler_input, lines().delete_partly_failed, count=how_many(error.removed))
        record_outcome(handler_input, "appreciations_deleted")
        if not finished:
            enter(handler_input, CONFIRM_DELETE_ALL)
            return listen(handler_input, lines().delete_all_more, count=how_many(removed))
        if removed == 0:
            return done(handler_input, lines().already_empty.speech)
        return done(handler_input, lines().deleted_all.speech.format(count=how_many(removed)))
