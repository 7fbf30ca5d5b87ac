"""Latency of each key page against the bare route of the same size, from outside (HTTP on
loopback, gunicorn), plus SQL statements per page (in-process) and scanner throughput."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

import requests

from supervision.deid import scan
from tests.bench.scale.pages import PAGES, Page, login_form, resolve
from tests.bench.scale.queries import page_statements
from tests.bench.scale.seed import bench_app, served_settings

REPO = Path(__file__).resolve().parents[3]
# The held-out set ships with the repository; the shared development set sits beside the clone
# (or one level up, beside a worktree) on development machines only.
SCANNER_SETS = {
    "heldout": [REPO / "tests" / "deid" / "heldout.jsonl"],
    "dev": [
        REPO.parent / "shared" / "deid" / "dev.jsonl",
        REPO.parents[1] / "shared" / "deid" / "dev.jsonl",
    ],
}


def http_session(base: str, user_id: int) -> requests.Session:
    session = requests.Session()
    form = login_form(lambda: session.get(f"{base}/login", timeout=30).text, user_id)
    response = session.post(f"{base}/login", data=form, allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"login of user {user_id} failed ({response.status_code})")
    return session


def _get(session: requests.Session, url: str) -> tuple[float, int, int]:
    began = time.perf_counter()
    response = session.get(url, allow_redirects=False, timeout=60)
    body = response.content
    return (time.perf_counter() - began) * 1000, response.status_code, len(body)


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def measure_page(
    session: requests.Session, base: str, path: str, n: int, warmup: int
) -> dict[str, Any]:
    """``n`` requests to the page and ``n`` to the bare route of its size, interleaved."""
    _, status, size = _get(session, base + path)
    bare = requests.Session()
    bare_url = f"{base}/__bare__/{size}"
    for _ in range(warmup):
        _get(session, base + path)
        _get(bare, bare_url)
    page_ms, bare_ms, errors = [], [], 0
    for _ in range(n):
        ms, code, _ = _get(session, base + path)
        page_ms.append(ms)
        errors += code != 200
        bare_ms.append(_get(bare, bare_url)[0])
    page, ceiling = summary(page_ms), summary(bare_ms)
    return {
        "path": path,
        "status": status,
        "bytes": size,
        "requests": n,
        "errors": errors,
        **page,
        "bare_median_ms": ceiling["median_ms"],
        "bare_p95_ms": ceiling["p95_ms"],
        "ratio": round(page["median_ms"] / max(ceiling["median_ms"], 0.01), 1),
    }


def measure_pages(
    base: str, database_url: str, n: int = 200, warmup: int = 10, pages: tuple[Page, ...] = PAGES
) -> dict[str, dict[str, Any]]:
    sessions: dict[int, requests.Session] = {}
    results: dict[str, dict[str, Any]] = {}
    for page in pages:
        if page.user_id not in sessions:
            sessions[page.user_id] = http_session(base, page.user_id)
        session = sessions[page.user_id]
        path = resolve(page, lambda p, s=session: s.get(base + p, timeout=60).text)
        results[page.name] = measure_page(session, base, path, n, warmup)
        print(f"  {page.name:<17} {results[page.name]['median_ms']:>8.1f} ms", flush=True)
    statements = page_statements(bench_app(database_url, **served_settings()), pages)
    for name, found in statements.items():
        results[name]["queries"] = found["queries"]
        results[name]["slowest_sql"] = found["slowest"]
    return results


def scanner_throughput(rounds: int = 3) -> dict[str, Any]:
    """Vignettes per second and KB/s of the identifier scanner (best of ``rounds``)."""
    result: dict[str, Any] = {}
    for name, candidates in SCANNER_SETS.items():
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            continue
        with path.open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in fh if line.strip()]
        scan(texts[0])  # load the word lists once, outside the timing
        best = float("inf")
        for _ in range(rounds):
            began = time.perf_counter()
            for text in texts:
                scan(text)
            best = min(best, time.perf_counter() - began)
        chars = sum(len(t.encode()) for t in texts)
        result[name] = {
            "vignettes": len(texts),
            "kilobytes": round(chars / 1000, 1),
            "vignettes_per_s": round(len(texts) / best, 1),
            "kb_per_s": round(chars / 1000 / best, 1),
        }
    return result
