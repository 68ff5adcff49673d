"""Where a reminder's conversation is: the values of the session's STATE it asks with, and the prefix of
the AskFor token that carries a confirmed reminder through Alexa's permission question (the answer comes
in a request of its own). What an open question waits on is in pending.py."""

ASK_WHAT = "reminders.ask_what"
ASK_WHEN = "reminders.ask_when"
CONFIRM = "reminders.confirm"
OFFER = "reminders.offer"
STATES = (ASK_WHAT, ASK_WHEN, CONFIRM, OFFER)
TOKEN_PREFIX = "reminders:"
