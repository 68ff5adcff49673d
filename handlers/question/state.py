"""Where the question last asked came from, which decides what "another one", "skip" and "repeat" mean.

The session closes once a question is asked (the couple talk to each other, not to Alexa), so the
question on the table is kept with the household's progress (`QuestionProgress.on_table`), not in a
session."""

from enum import StrEnum

# The welcome offers tonight's question ("Shall I ask tonight's question?"): a "yes" then asks it.
OFFER_TONIGHT = "question.offer_tonight"
STATES = (OFFER_TONIGHT,)


class Mode(StrEnum):
    """Where the question on the table came from."""

    TONIGHT = "tonight"
    ROTATION = "rotation"
    DECK = "deck"
    THIRTY_SIX = "thirty_six"
