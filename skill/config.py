"""Settings read from the Lambda environment, once per container."""

import os
from dataclasses import dataclass


class MissingSettingError(KeyError):
    """The environment lacks a setting the skill cannot run without."""


@dataclass(frozen=True)
class Settings:
    """What the skill needs from its environment: the table it owns, the skill it answers for, the
    certificates it trusts for Alexa's APIs (certifi's when unset), and the queue that carries on purges
    (unset outside Lambda: a purge then goes only as far as its turn)."""

    table_name: str
    skill_id: str
    log_level: str = "INFO"
    ca_bundle: str | None = None
    purge_queue_url: str | None = None


REQUIRED = ("TABLE_NAME", "SKILL_ID")


def settings() -> Settings:
    """The settings as the environment holds them now; MissingSettingError names every one missing."""
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise MissingSettingError(", ".join(missing))
    return Settings(
        table_name=os.environ["TABLE_NAME"],
        skill_id=os.environ["SKILL_ID"],
        log_level=os.environ.get("LOG_LEVEL", "INFO"),
        ca_bundle=os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None,
        purge_queue_url=os.environ.get("PURGE_QUEUE_URL") or None,
    )
