"""Settings, read from the environment with safe production defaults.

Every setting is listed in README.md. A mapping passed to ``create_app`` overrides them (tests).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

DEVELOPMENT_SECRET = "dev-only-secret-do-not-use-in-production"  # noqa: S105
RETENTION_KEYS = ("RETENTION_CLOSED_CASE_DAYS", "RETENTION_AUDIT_DAYS", "RETENTION_OUTBOX_DAYS")
INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


def _database_url(url: str) -> str:
    # SQLAlchemy 2 wants an explicit driver; hosting platforms hand out postgres:// URLs.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _roles_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


def _engine_options(url: str) -> dict[str, Any]:
    options: dict[str, Any] = {"hide_parameters": True}
    if url.startswith("postgresql"):
        # Per process. A request holds one connection, two while the session table stores a
        # session (its own connection, so it never commits a view's work): ten serve four
        # threads a process without opening and closing overflow connections.
        options["pool_size"] = _env_int("SUPERVISION_DB_POOL_SIZE", 10)
        options["max_overflow"] = _env_int("SUPERVISION_DB_MAX_OVERFLOW", 10)
        options["pool_timeout"] = 10  # seconds a request waits for a connection, then fails
        options["pool_recycle"] = 3600  # outlive no server- or proxy-side idle timeout
    return options


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the settings mapping from the environment, then apply ``overrides``."""
    env = (_env("SUPERVISION_ENV", "production") or "production").lower()
    development = env == "development"
    default_db = f"sqlite:///{INSTANCE_DIR / 'supervision.sqlite'}"
    database_url = _database_url(_env("DATABASE_URL", default_db) or default_db)
    redis_url = _env("REDIS_URL")
    config: dict[str, Any] = {
        "ENV_NAME": env,
        "SECRET_KEY": _env("SECRET_KEY", DEVELOPMENT_SECRET if development else None),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # hide_parameters: a statement logged (or in an error) never carries case text or hashes.
        # No pool_pre_ping: a connection is checked only after lying idle (extensions.py).
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "REDIS_URL": redis_url,
        "DEMO_MODE": _env_bool("SUPERVISION_DEMO_MODE", development),
        "BASE_URL": _env("SUPERVISION_BASE_URL", "http://127.0.0.1:5000"),
        # Requests: bodies past this size are refused with 413.
        "MAX_CONTENT_LENGTH": _env_int("SUPERVISION_MAX_CONTENT_LENGTH", 1024 * 1024),
        # Sessions: server side; idle timeout moved on by use (a minute at a time); absolute cap.
        "SESSION_COOKIE_NAME": "attune_session",
        "SESSION_COOKIE_SECURE": _env_bool("SUPERVISION_SECURE_COOKIES", not development),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=_env_int("SUPERVISION_SESSION_IDLE_MINUTES", 120)
        ),
        "SESSION_ABSOLUTE_HOURS": _env_int("SUPERVISION_SESSION_ABSOLUTE_HOURS", 12),
        # Without Redis, one request in this many (at random) also deletes expired sessions;
        # 0 leaves that to `flask retention purge` alone (the tests: a page's statements are
        # then the same on every run).
        "SESSION_CLEANUP_EVERY": _env_int("SUPERVISION_SESSION_CLEANUP_EVERY", 200),
        # Second factor: always required of site admins; also of these group roles.
        "TWO_FACTOR_ROLES": _roles_list(_env("SUPERVISION_TWO_FACTOR_ROLES", "") or ""),
        "TWO_FACTOR_ISSUER": _env("SUPERVISION_TWO_FACTOR_ISSUER", "Attune"),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        # Forms: CSRF tokens live as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        # Rate limits (Flask-Limiter syntax).
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _env_bool("SUPERVISION_RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": _env("SUPERVISION_LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "RESET_RATE_LIMIT": _env("SUPERVISION_RESET_RATE_LIMIT", "5 per minute;20 per hour"),
        # Mail: outbox rows delivered by `flask mail send`; in development written to the log.
        "MAIL_SERVER": _env("MAIL_SERVER"),
        "MAIL_PORT": _env_int("MAIL_PORT", 587),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": _env("MAIL_DEFAULT_SENDER", "Attune <no-reply@localhost>"),
        "MAIL_TRANSPORT": _env("SUPERVISION_MAIL_TRANSPORT", "log" if development else "smtp"),
        "PASSWORD_RESET_HOURS": 1,
        "INVITATION_DAYS": 7,
        # -- Meetings: how a group meeting counts towards each attending supervisee's hours:
        # "divided" (its duration over the number of supervisees) or "full" (the whole duration).
        "GROUP_SUPERVISION_HOURS": _env("SUPERVISION_GROUP_SUPERVISION_HOURS", "divided"),
        # -- Retention (`flask retention purge`): days kept after a case closed, after an audit
        # entry was written, after an outbox message was delivered.
        "RETENTION_CLOSED_CASE_DAYS": _env_int("SUPERVISION_RETENTION_CLOSED_CASE_DAYS", 2555),
        "RETENTION_AUDIT_DAYS": _env_int("SUPERVISION_RETENTION_AUDIT_DAYS", 2555),
        "RETENTION_OUTBOX_DAYS": _env_int("SUPERVISION_RETENTION_OUTBOX_DAYS", 90),
    }
    if overrides:
        config.update(overrides)
    return config


def check_config(config: dict[str, Any]) -> None:
    """Refuse to start with settings that are unsafe outside development and tests."""
    if config.get("GROUP_SUPERVISION_HOURS") not in ("divided", "full"):  # -- Meetings
        raise ConfigError('SUPERVISION_GROUP_SUPERVISION_HOURS must be "divided" or "full".')
    for key in RETENTION_KEYS:  # -- Retention: a period of 0 would purge everything at once
        if int(config.get(key, 1)) < 1:
            raise ConfigError(f"SUPERVISION_{key} must be a whole number of days, at least 1.")
    unknown = set(config.get("TWO_FACTOR_ROLES", ())) - {"facilitator", "supervisor"}
    if unknown:
        raise ConfigError(
            "SUPERVISION_TWO_FACTOR_ROLES lists roles that can be made to use a second factor: "
            f"facilitator, supervisor (not {', '.join(sorted(unknown))})."
        )
    if config.get("TESTING") or config.get("ENV_NAME") == "development":
        return
    secret = config.get("SECRET_KEY")
    if not secret or secret == DEVELOPMENT_SECRET or len(secret) < 32:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            '(python -c "import secrets; print(secrets.token_hex(32))").'
        )
