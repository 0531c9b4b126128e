"""One settings object, read from environment variables prefixed PAINPATH_."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET_KEY = "demo-only-secret-key-do-not-use-in-production"  # noqa: S105


class Environment(StrEnum):
    DEMO = "demo"
    PRODUCTION = "production"
    TEST = "test"


class Settings(BaseSettings):
    """Configuration. Safe defaults exist for the demo only; production refuses to start without them."""

    model_config = SettingsConfigDict(env_prefix="PAINPATH_", extra="ignore")

    env: Environment = Environment.DEMO
    database_url: str = f"sqlite:///{Path('var') / 'painpath.db'}"
    secret_key: str = DEMO_SECRET_KEY
    session_hours: int = Field(default=12, ge=1, le=72)
    session_cookie_secure: bool | None = None
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    clinic_timezone: str = "Europe/London"
    log_level: str = "INFO"
    log_json: bool = True
    huey_url: str | None = None
    huey_sqlite_path: str = str(Path("var") / "huey.db")

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            if self.secret_key == DEMO_SECRET_KEY or len(self.secret_key) < 32:
                raise ValueError(
                    "PAINPATH_SECRET_KEY must be set to 32+ random characters in production"
                )
            if self.database_url.startswith("sqlite"):
                raise ValueError("production needs PostgreSQL: set PAINPATH_DATABASE_URL")
        return self

    @property
    def cookie_secure(self) -> bool:
        if self.session_cookie_secure is not None:
            return self.session_cookie_secure
        return self.env is Environment.PRODUCTION


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
