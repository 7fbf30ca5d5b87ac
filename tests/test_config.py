"""Settings: read from the environment, and unsafe production settings refuse to start."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from supervision import create_app
from supervision.config import DEVELOPMENT_SECRET, ConfigError, load_config
from supervision.extensions import limiter

ENV_VARS = (
    "SUPERVISION_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "SUPERVISION_DEMO_MODE",
    "SUPERVISION_SECURE_COOKIES",
    "SUPERVISION_MAIL_TRANSPORT",
)
GOOD_SECRET = "k" * 32


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sets exactly the variables it is about (CI sets REDIS_URL, for one)."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _keep_limiter() -> Iterator[None]:
    """``create_app`` re-initializes the shared Limiter; give the session app its own back."""
    state = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(state)


def production(**overrides: Any) -> dict[str, Any]:
    """Production settings that touch no service (in-memory SQLite, no Redis)."""
    return {
        "ENV_NAME": "production",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        **overrides,
    }


# -- the production secret check ------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [None, "", DEVELOPMENT_SECRET, "short-secret", "k" * 31],
    ids=["missing", "empty", "development", "short", "31-chars"],
)
def test_production_refuses_an_unsafe_secret_key(secret: str | None) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(production(SECRET_KEY=secret))


def test_production_starts_with_a_long_random_secret_key() -> None:
    app = create_app(production(SECRET_KEY=GOOD_SECRET))
    assert app.config["SECRET_KEY"] == GOOD_SECRET
    assert app.config["ENV_NAME"] == "production"
    assert not app.config.get("TESTING")


def test_production_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    overrides = production()
    with pytest.raises(ConfigError):
        create_app(overrides)
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    assert create_app(overrides).config["SECRET_KEY"] == GOOD_SECRET


# -- reading the environment ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u:p@h:5433/db", "postgresql+psycopg://u:p@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/attune.sqlite", "sqlite:////tmp/attune.sqlite"),
    ],
)
def test_database_url_gets_an_explicit_driver(
    monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", given)
    assert load_config()["SQLALCHEMY_DATABASE_URI"] == expected


def test_development_turns_on_demo_mode_and_plain_cookies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_ENV", "development")
    config = load_config()
    assert config["ENV_NAME"] == "development"
    assert config["DEMO_MODE"] is True
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SECRET_KEY"] == DEVELOPMENT_SECRET
    assert config["MAIL_TRANSPORT"] == "log"


@pytest.mark.parametrize("env_name", ["production", None])
def test_production_is_the_default_with_secure_cookies(
    monkeypatch: pytest.MonkeyPatch, env_name: str | None
) -> None:
    if env_name:
        monkeypatch.setenv("SUPERVISION_ENV", env_name)
    config = load_config()
    assert config["ENV_NAME"] == "production"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["DEMO_MODE"] is False
    assert config["SECRET_KEY"] is None
    assert config["MAIL_TRANSPORT"] == "smtp"


def test_redis_url_sets_the_rate_limit_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_config()["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/3")
    config = load_config()
    assert config["REDIS_URL"] == "redis://cache.internal:6379/3"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/3"


def test_explicit_settings_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISION_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    config = load_config({"DEMO_MODE": False, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert config["DEMO_MODE"] is False
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
