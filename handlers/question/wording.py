"""How a question is said and shown: the words, a pause before its follow-up, APL on screens, a card."""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces
from ask_sdk_model import Response

from content import phrases
from content.models import ListeningLine
from content.questions import Question, question_bank, question_screen
from handlers.question.state import Mode, put_on_table
from handlers.respond import ask
from skill.speech import escape, pause, sentences

SCREEN_TOKEN = "closer-together-question"
FOLLOW_UP_PAUSE_MS = 700
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


def present(
    handler_input: HandlerInput,
    line: ListeningLine,
    question: Question,
    heading: str,
    context: dict[str, str],
    **fill: str,
) -> Response:
    """Ask a question aloud, remember it for next/repeat/skip, and show it: APL on screens, else a card."""
    put_on_table(handler_input, context, question.id)
    _show(handler_input, question, heading)
    speech = line.speech.format(question=_spoken(question), **fill).strip()
    card = sentences(f"{heading}:", question.text, question.follow_up or "")
    return ask(handler_input, speech, line.reprompt, card=card)


def present_tonight(handler_input: HandlerInput, line: ListeningLine, question: Question) -> Response:
    return present(handler_input, line, question, "Tonight's question", {"mode": Mode.TONIGHT})


def present_thirty_six(handler_input: HandlerInput, position: int, intro: str) -> Response:
    """Say one of the 36 with its place: "question fourteen of thirty-six"."""
    return present(
        handler_input,
        phrases().question.thirty_six,
        question_bank().thirty_six[position - 1],
        f"Question {position} of 36",
        {"mode": Mode.THIRTY_SIX},
        intro=escape(intro),
        number=spoken_number(position),
    )
