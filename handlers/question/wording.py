"""How a question is said and shown: the words, a pause before its follow-up, APL on screens, a card."""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces
from ask_sdk_model import Response

from content import phrases
from content.models import SpokenLine
from content.questions import Question, question_bank, question_screen
from handlers.question.state import Mode
from handlers.respond import tell
from skill.speech import escape, pause, sentences

SCREEN_TOKEN = "closer-together-question"
FOLLOW_UP_PAUSE_MS = 700
HINT_PAUSE_MS = 1000  # the question lands before the words about what to say next
_NUMBER_WORDS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"),
    *("twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
)
_TENS = {20: "twenty", 30: "thirty"}


def spoken_number(number: int) -> str:
    """1 to 39 in words ("fourteen", "thirty-six"): Alexa reads them, and the card shows the same."""
    if number < len(_NUMBER_WORDS):
        return _NUMBER_WORDS[number]
    tens, units = divmod(number, 10)
    return _TENS[tens * 10] + (f"-{_NUMBER_WORDS[units]}" if units else "")


def _spoken(question: Question) -> str:
    """The question as SSML, its follow-up after a pause in which to take it in."""
    if question.follow_up is None:
        return escape(question.text)
    return sentences(escape(question.text), pause(FOLLOW_UP_PAUSE_MS), escape(question.follow_up))


def _show(handler_input: HandlerInput, question: Question, heading: str) -> None:
    """The question on an Echo's screen, for devices that have one."""
    if get_supported_interfaces(handler_input).alexa_presentation_apl is None:
        return
    # Only screens need APL's models, a cold start's ~8 ms to import.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    handler_input.response_builder.add_directive(
        RenderDocumentDirective(
            token=SCREEN_TOKEN,
            document=question_screen(),
            datasources={
                "question": {"heading": heading, "text": question.text, "followUp": question.follow_up or ""}
            },
        )
    )


def heading_of(context: dict[str, str], position: int | None = None) -> str:
    """The words above a question on a card or a screen."""
    mode = context.get("mode")
    if mode == Mode.THIRTY_SIX and position is not None:
        return f"Question {position} of 36"
    if mode == Mode.TONIGHT:
        return "Tonight's question"
    deck = question_bank().deck(str(context.get("deck"))) if mode == Mode.DECK else None
    return f"A question about {deck.spoken_name}" if deck else "Another question"


def present(
    handler_input: HandlerInput,
    line: SpokenLine,
    question: Question,
    context: dict[str, str],
    **fill: str,
) -> Response:
    """Ask a question aloud and show it (APL on screens, a card in the app), and close the session: the
    couple talk to each other now. The last words say how to ask for more."""
    position = (
        question_bank().thirty_six.index(question) + 1 if context.get("mode") == Mode.THIRTY_SIX else None
    )
    heading = heading_of(context, position)
    _show(handler_input, question, heading)
    lines = phrases().question
    hint = lines.thirty_six_hint if position is not None else lines.next_hint
    speech = line.speech.format(question=_spoken(question), number=spoken_number(position or 0), **fill)
    card = sentences(f"{heading}:", question.text, question.follow_up or "")
    return tell(handler_input, sentences(speech, pause(HINT_PAUSE_MS), hint), card=card)
