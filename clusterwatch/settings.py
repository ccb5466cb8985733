"""One typed settings object, read from the environment; bad values fail at start-up."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///clusterwatch.db"


def normalise_database_url(value: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as an SQLite file).

    Plain `postgresql://` URLs are pointed at the psycopg 3 driver, the one we install.
    """
    value = value.strip()
    if not value:
        raise ValueError("the database URL is empty")
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser()}"
    scheme = value.split("://", 1)[0]
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if scheme == "postgresql+psycopg" or scheme == "sqlite":
        return value
    raise ValueError(
        f"unsupported database URL scheme {scheme!r}: use sqlite:///FILE or postgresql://…"
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLUSTERWATCH_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # PostgreSQL only: keep clusterwatch's tables in this schema (one database, several
    # regions' installations; the tests use one schema per run).
    database_schema: str | None = None
    # Which loaded plan the web application shows when the database holds several.
    plan: str | None = None
    default_language: str = "zh"
    # The date the reporting calendar (due dates, entry windows) takes as today; unset, the
    # real date. Set for tests and for demonstrating a reporting round.
    today: dt.date | None = None
    # Behind a proxy that ends TLS the app sees http: set this so the sign-in cookie is Secure anyway.
    secure_cookies: bool = False

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("database_schema")
    @classmethod
    def _check_schema(cls, value: str | None) -> str | None:
        if value is not None and not value.replace("_", "").isalnum():
            raise ValueError("database_schema may hold letters, digits and _ only")
        return value or None

    @field_validator("default_language")
    @classmethod
    def _check_language(cls, value: str) -> str:
        if value not in ("zh", "en"):
            raise ValueError("default_language must be 'zh' or 'en'")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
