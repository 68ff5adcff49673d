"""How the monthly check-in speaks of the month: last month's plan read back, the month's check-ins and
appreciations as a gift (never a score: nothing is said of what did not happen), and the plan saved."""

from content.models import echoed, opening
from content.monthly import MonthlyLines, monthly_content
from skill.speech import escape, pause, sentences
from skill.store.appreciations import Appreciation
from skill.store.month_plans import MonthPlan

HIGHLIGHT_PAUSE_MS = 700


def lines() -> MonthlyLines:
    return monthly_content().lines


def plain(text: str) -> str:
    """Words as said, made safe to speak, without the closing punctuation our sentence brings."""
    return escape(text.rstrip(" .!?"))


def recall(plan: MonthPlan | None) -> str:
    """Last month's plan, read back with a question ("" if there is none); a long one by its first words."""
    if plan is None:
        return ""
    if echoed(plan.text):
        return lines().recall.format(plan=plain(plan.text))
    return lines().recall_long.format(start=plain(opening(plan.text)))


def counted(count: int, one: str, many: str) -> str:
    return one if count == 1 else many.format(count=count)


def the_month(checkins: int, appreciations: int) -> str:
    """What the month held, said only of what there was."""
    said = lines()
    shared = [
        counted(count, one, many)
        for count, one, many in (
            (checkins, said.one_checkin, said.many_checkins),
            (appreciations, said.one_appreciation, said.many_appreciations),
        )
        if count
    ]
    if len(shared) == 2:
        return said.month_both.format(checkins=shared[0], appreciations=shared[1])
    if shared:
        return said.month_one.format(what=shared[0])
    return said.month_quiet


def highlight(note: Appreciation) -> str:
    """One appreciation read back, with who it is from; a long one by its first words."""
    text = plain(note.text if echoed(note.text) else opening(note.text))
    if note.author:
        return lines().highlight_from.format(name=escape(note.author), text=text)
    return lines().highlight.format(text=text)


def highlights(appreciations: list[Appreciation]) -> str:
    """The month's appreciations read back, a pause after each so it can land."""
    read = [sentences(highlight(note), pause(HIGHLIGHT_PAUSE_MS)) for note in appreciations]
    return sentences(lines().highlights, *read)
