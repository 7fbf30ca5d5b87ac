"""Flask extensions, created unbound. A leaf module: it imports nothing of ours."""

import sqlite3
import time
from typing import Any

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry, Pool

# Named constraints let Alembic (and SQLite batch mode) alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_connection_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        # SQLite ignores ON DELETE CASCADE and every foreign key unless asked, per connection.
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten text is zeroed, not left in free pages (redaction, withdrawal).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


# A pooled connection is checked (a round trip) before use only after lying idle this long:
# one a worker used a moment ago is alive, and ``pool_pre_ping`` would check it on every
# checkout (each request, and again for the audit trail's after-request commit). One that
# broke while in use fails that request and SQLAlchemy replaces the pool's connections.
PING_AFTER_IDLE_SECONDS = 10.0
_CHECKED_IN_AT = "checked_in_at"


@event.listens_for(Pool, "checkin")
def _note_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    if record is not None:
        record.info[_CHECKED_IN_AT] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    checked_in_at = record.info.get(_CHECKED_IN_AT)
    if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
        return  # new, or used a moment ago
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()  # the ping's implicit transaction (PostgreSQL)
    except Exception as error:  # the pool retries with a fresh connection
        raise exc.DisconnectionError() from error
