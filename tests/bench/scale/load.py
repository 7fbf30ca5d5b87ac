"""The load test: locust headless on loopback against gunicorn on a seeded world, then the
count of acknowledged writes in the database.

The login rate limit (10 per minute per address) would refuse most of the 50 logins that all
come from 127.0.0.1 within seconds; the server of this run raises it to 1000 per minute (one
address here stands for many people). Nothing else is relaxed.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select

from supervision.models import Annotation, Post
from tests.bench.scale import report
from tests.bench.scale.presets import PRESETS
from tests.bench.scale.seed import seed, sqlalchemy_url
from tests.bench.scale.server import REPO, serving

OUTPUT = REPO / "instance" / "bench" / "load.json"
LOAD_ENV = {"SUPERVISION_LOGIN_RATE_LIMIT": "1000 per minute"}


def _locust(base: str, size: str, users: int, seconds: int, run: str, work: Path) -> Path:
    env = {
        **os.environ,
        "LOAD_SIZE": size,
        "LOAD_RUN": run,
        "LOAD_ACK_FILE": str(work / "acks.json"),
        "PYTHONPATH": str(REPO),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "--host", base, "--users", str(users),
        "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{seconds}s",
        "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "10",
    ]  # fmt: skip
    if os.environ.get("LOAD_RESET_STATS") == "1":  # leave the logins' ramp out of the figures
        command.append("--reset-stats")
    subprocess.run(command, cwd=REPO, env=env, check=False)
    return work / "locust_stats.csv"


def _number(value: str) -> float:
    return float(value) if value not in ("", "N/A") else float("nan")


def _aggregated(stats_csv: Path) -> dict[str, Any]:
    with stats_csv.open(encoding="utf-8") as fh:
        rows = {f"{row['Type']} {row['Name']}".strip(): row for row in csv.DictReader(fh)}
    total = rows["Aggregated"]  # its Type column is empty
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "median_ms": _number(total["50%"]),
        "p95_ms": _number(total["95%"]),
        "by_name": {
            name: {"requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                   "median_ms": _number(r["50%"]), "p95_ms": _number(r["95%"])}
            for name, r in rows.items() if name != "Aggregated"
        },
    }  # fmt: skip


def _stored(database_url: str, run: str) -> dict[str, int]:
    """Rows carrying this run's markers, counted in the database."""
    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        marker = f"load-{run}-%"
        posts = conn.scalar(select(func.count()).where(Post.body.like(marker)))
        notes = conn.scalar(select(func.count()).where(Annotation.body.like(marker)))
    engine.dispose()
    return {"posts": int(posts or 0), "annotations": int(notes or 0)}


def run_load(database_url: str, size: str, users: int, seconds: int, reseed: bool) -> int:
    if reseed:
        print(f"==> Seeding the {size} world", flush=True)
        seed(database_url, PRESETS[size])
    run = time.strftime("%Y%m%d%H%M%S")
    work = REPO / "instance" / "bench" / f"load-{run}"
    work.mkdir(parents=True, exist_ok=True)
    print(f"==> Locust: {users} users for {seconds} s on the {size} world", flush=True)
    with serving(database_url, env=LOAD_ENV) as base:
        stats = _aggregated(_locust(base, size, users, seconds, run, work))
    acked = json.loads((work / "acks.json").read_text(encoding="utf-8"))
    stored = _stored(database_url, run)
    writes = {kind: {"acknowledged": len(acked[kind]), "stored": stored[kind]} for kind in stored}
    ok = (
        stats["failures"] == 0
        and stats["requests_per_s"] >= 150
        and all(w["acknowledged"] == w["stored"] for w in writes.values())
    )
    result = {"size": size, "users": users, "seconds": seconds, **stats, "writes": writes,
              "machine": report.machine(), "verdict": "PASS" if ok else "FAIL"}  # fmt: skip
    report.write(OUTPUT, result)
    print(
        f"\n{stats['requests']} requests, {stats['requests_per_s']} requests/s, median "
        f"{stats['median_ms']} ms, p95 {stats['p95_ms']} ms, {stats['failures']} errors"
    )
    for kind, w in writes.items():
        print(f"{kind}: {w['acknowledged']} acknowledged, {w['stored']} in the database")
    print(f"targets (0 errors, >= 150 requests/s, every write stored): {result['verdict']}")
    print(f"JSON: {OUTPUT}")
    return 0
