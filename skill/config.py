"""Settings read from the Lambda environment."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """What the skill needs from its environment: the table it owns and the skill it answers for."""

    model_config = SettingsConfigDict(frozen=True)

    table_name: str
    skill_id: str
    log_level: str = "INFO"


def settings() -> Settings:
    """The settings as the environment holds them now."""
    return Settings()
