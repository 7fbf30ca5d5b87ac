"""The gunicorn settings: production defaults, each overridable from the environment, and the
client's address taken from the proxy in front (the rate limits count by it)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType, SimpleNamespace

import pytest

from supervision import gunicorn_config

ENV = (
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_BIND",
    "GUNICORN_TIMEOUT",
    "GUNICORN_PRELOAD",
    "GUNICORN_CONTROL_SOCKET",
    "FORWARDED_PROXIES",
)


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(gunicorn_config)


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    yield
    importlib.reload(gunicorn_config)


def test_defaults_are_for_production(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load(monkeypatch)
    assert config.bind == ["127.0.0.1:8000"]  # only the proxy on this host reaches it
    assert config.worker_class == "gthread" and config.threads == 4
    assert config.workers >= 2
    assert config.timeout == 30 and config.preload_app is False
    assert config.accesslog == "-" and "%(q)s" not in config.access_log_format
    assert config.control_socket_disable is True  # two instances on one host do not collide


def test_the_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_BIND="10.0.0.5:9000",
        GUNICORN_TIMEOUT="60",
        GUNICORN_PRELOAD="1",
    )
    assert (config.workers, config.threads, config.timeout) == (3, 8, 60)
    assert config.bind == ["10.0.0.5:9000"] and config.preload_app is True


def _remote_addr(
    config: ModuleType, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    seen: dict[str, str] = {}
    monkeypatch.setattr(config.gc, "freeze", lambda: None)  # not the test process's objects

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        seen.update(addr=environ["REMOTE_ADDR"], scheme=environ["wsgi.url_scheme"])
        return []

    worker = SimpleNamespace(wsgi=app)
    config.post_worker_init(worker)
    environ = {"REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", **headers}
    worker.wsgi(environ, lambda *_: None)
    return seen["addr"], seen["scheme"]


def test_the_client_address_comes_from_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "HTTP_X_FORWARDED_PROTO": "https"}
    assert _remote_addr(load(monkeypatch), forwarded, monkeypatch) == ("203.0.113.9", "https")
    # Nothing in front: the header is the client's own claim and is ignored.
    assert _remote_addr(load(monkeypatch, FORWARDED_PROXIES="0"), forwarded, monkeypatch) == (
        "127.0.0.1",
        "http",
    )


def test_a_worker_moves_the_loaded_app_out_of_the_collectors_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = load(monkeypatch)
    frozen: list[bool] = []
    monkeypatch.setattr(config.gc, "freeze", lambda: frozen.append(True))
    config.post_worker_init(SimpleNamespace(wsgi=lambda environ, start_response: []))
    assert frozen == [True]
