"""A check-in in parts on an Echo's screen: the part you are in and a calm countdown to the next, nothing
else. The countdown runs on the device (APL's elapsedTime), so the skill renders it once, when the
check-in starts or resumes, and again, stopped, when it is paused."""

from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces

from content.monthly import MonthlyLines, monthly_screen
from skill.store.checkins import CheckIn

SCREEN_TOKEN = "closer-together-checkin"
MIN_IDLE_MS = 60_000


def _ms(length: timedelta) -> int:
    return max(int(length.total_seconds() * 1000), 0)


def part_ends(checkin: CheckIn, left: timedelta) -> list[int]:
    """When each part ends, in milliseconds from now (0 for parts already over), with `left` to go."""
    length = timedelta(minutes=checkin.planned_minutes)
    elapsed = length - left
    return [_ms(end - elapsed) for end in (*checkin.part_starts(), length)]


def show_parts(
    handler_input: HandlerInput,
    checkin: CheckIn,
    left: timedelta,
    paused: bool,
    titles: list[str],
    lines: MonthlyLines,
) -> None:
    """Render the check-in's screen, on devices that have one."""
    if get_supported_interfaces(handler_input).alexa_presentation_apl is None:
        return
    # Only screens need APL's models, a cold start's ~8 ms to import.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    document = monthly_screen()
    if not paused:
        # The screen stays as long as the check-in has left to run, not Alexa's default half a minute.
        settings = {**document["settings"], "idleTimeout": max(_ms(left), MIN_IDLE_MS)}
        document = {**document, "settings": settings}
    handler_input.response_builder.add_directive(
        RenderDocumentDirective(
            token=SCREEN_TOKEN,
            document=document,
            datasources={
                "checkin": {
                    "titles": titles,
                    "partEnds": part_ends(checkin, left),
                    "paused": paused,
                    "pausedNote": lines.screen_paused,
                    "over": lines.screen_over,
                }
            },
        )
    )
