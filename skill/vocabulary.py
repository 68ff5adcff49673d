"""Every name the skill shares with Alexa or with itself across turns, spelt once.

Intent and slot names are the interaction model's (a test holds the two together in every locale);
request types are Alexa's; session keys survive between the turns of one session; request keys live for
one turn. Nothing outside this module writes one of these names as a string literal.
"""

from enum import StrEnum


class Intent(StrEnum):
    """The interaction model's intents, Amazon's built-ins among them."""

    HELP = "AMAZON.HelpIntent"
    STOP = "AMAZON.StopIntent"
    CANCEL = "AMAZON.CancelIntent"
    NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
    FALLBACK = "AMAZON.FallbackIntent"
    YES = "AMAZON.YesIntent"
    NO = "AMAZON.NoIntent"
    PAUSE = "AMAZON.PauseIntent"
    RESUME = "AMAZON.ResumeIntent"
    REPEAT = "AMAZON.RepeatIntent"
    NEXT = "AMAZON.NextIntent"
    MORE = "AMAZON.MoreIntent"
    # Tonight's question
    TONIGHTS_QUESTION = "TonightsQuestionIntent"
    ANOTHER_QUESTION = "AnotherQuestionIntent"
    SKIP_QUESTION = "SkipQuestionIntent"
    THIRTY_SIX_QUESTIONS = "ThirtySixQuestionsIntent"
    DECK_QUESTION = "DeckQuestionIntent"
    # The check-in
    START_CHECKIN = "StartCheckInIntent"
    CHECKIN_TIME_LEFT = "CheckInTimeLeftIntent"
    PAUSE_CHECKIN = "PauseCheckInIntent"
    RESUME_CHECKIN = "ResumeCheckInIntent"
    END_CHECKIN = "EndCheckInIntent"
    CHECKIN_COUNT = "CheckInCountIntent"
    # The appreciation jar and partners' names
    SAVE_APPRECIATION = "SaveAppreciationIntent"
    LOG_APPRECIATION = "LogAppreciationIntent"
    APPRECIATION_AUTHOR = "AppreciationAuthorIntent"
    ANONYMOUS_APPRECIATION = "AnonymousAppreciationIntent"
    NAME = "NameIntent"
    READ_APPRECIATIONS = "ReadAppreciationsIntent"
    READ_WEEK_APPRECIATIONS = "ReadWeekAppreciationsIntent"
    READ_AUTHOR_APPRECIATIONS = "ReadAuthorAppreciationsIntent"
    MORE_APPRECIATIONS = "MoreAppreciationsIntent"
    COUNT_APPRECIATIONS = "CountAppreciationsIntent"
    DELETE_LAST_APPRECIATION = "DeleteLastAppreciationIntent"
    DELETE_ALL_APPRECIATIONS = "DeleteAllAppreciationsIntent"
    # Privacy
    DELETE_ALL_DATA = "DeleteAllDataIntent"
    # The monthly check-in
    START_MONTHLY_CHECKIN = "StartMonthlyCheckInIntent"
    MONTHLY_PLAN = "MonthlyPlanIntent"
    # What makes you feel loved: the quiz, its results, an idea for tonight
    START_LOVE_QUIZ = "StartLoveQuizIntent"
    LOVE_LANGUAGE = "LoveLanguageIntent"
    LOVE_IDEA = "LoveIdeaIntent"
    # Short answers to an either-or question
    FIRST_CHOICE = "FirstChoiceIntent"
    SECOND_CHOICE = "SecondChoiceIntent"
    BOTH_CHOICES = "BothChoicesIntent"
    NEITHER_CHOICE = "NeitherChoiceIntent"
    # Reminders
    SET_REMINDER = "SetReminderIntent"
    REMINDER_TIME = "ReminderTimeIntent"
    LIST_REMINDERS = "ListRemindersIntent"
    CHANGE_REMINDER = "ChangeReminderIntent"
    CANCEL_REMINDER = "CancelReminderIntent"


class Slot(StrEnum):
    """The interaction model's slot names."""

    TEXT = "text"
    FIRST_NAME = "firstName"
    PARTNER_NAME = "partnerName"
    DECK = "deck"
    DURATION = "duration"
    RITUAL = "ritual"
    DAYS = "days"
    TIME = "time"


class RequestType(StrEnum):
    """Alexa's request types that some handler answers."""

    LAUNCH = "LaunchRequest"
    SESSION_ENDED = "SessionEndedRequest"
    CONNECTIONS_RESPONSE = "Connections.Response"
    SKILL_DISABLED = "AlexaSkillEvent.SkillDisabled"
    PERMISSION_ACCEPTED = "AlexaSkillEvent.SkillPermissionAccepted"
    PERMISSION_CHANGED = "AlexaSkillEvent.SkillPermissionChanged"


class SessionKey(StrEnum):
    """Session attributes. STATE names the open question (its value starts with the asking feature's
    name); the others hold what that question waits on, and belong to one feature each."""

    STATE = "state"
    CHECKIN_OFFERED_MINUTES = "checkin.minutes"
    JAR_PENDING = "appreciation.pending"
    JAR_TO_SIGN = "appreciation.to_sign"
    JAR_READ = "appreciation.read"
    JAR_DELETE_SK = "appreciation.delete_sk"
    JAR_NEWEST = "appreciation.newest"
    CHECKIN_OFFERED_KIND = "checkin.kind"
    MONTHLY_MINUTES = "monthly.minutes"
    MONTHLY_PENDING_PLAN = "monthly.pending_plan"
    LOVE_QUIZ = "love.quiz"
    REMINDER_PENDING = "reminders.pending"


class RequestKey(StrEnum):
    """Request attributes: what one turn works out once and several parts of it read."""

    TURN = "request.turn"
    FEATURE = "request.feature"
    HANDLER = "request.handler"
    OUTCOME = "request.outcome"
    CURRENT_CHECKIN = "request.current_checkin"
    QUESTION_PROGRESS = "request.question_progress"


class Scope(StrEnum):
    """Permission scopes the skill asks for (declared in the skill package's manifest)."""

    TIMERS = "alexa::alerts:timers:skill:readwrite"
    REMINDERS = "alexa::alerts:reminders:skill:readwrite"
